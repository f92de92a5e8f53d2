package org.cti4j.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;
import org.cti4j.api.Call;
import org.cti4j.api.CdrListener;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.Conference;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.EngineStatistics;
import org.cti4j.api.LegAnswered;
import org.cti4j.api.LegStarted;
import org.cti4j.api.Resource;

/**
 * Micrometer metrics of a {@link CtiEngine}: what it has live, and every call leg's start, answer and end. It hears
 * the legs as the engine's {@link CdrListener} and reads the live resources when the registry is read (a scrape), so
 * it adds nothing to a call's path but one counter increment per leg event.
 *
 * <pre>{@code
 * MeterRegistry registry = ...;                       // e.g. a PrometheusMeterRegistry
 * CtiMetrics metrics = CtiMetrics.create(registry);
 * CtiEngine engine = CtiEngine.builder().cdrListener(metrics.andThen(myCdrs)).build();
 * metrics.watch(engine);
 * }</pre>
 *
 * <p>The meters (Prometheus names in brackets):
 * <ul>
 *   <li>{@code cti4j.calls.live}, {@code cti4j.duo.callbacks.live}, {@code cti4j.conferences.live} (gauges,
 *       {@code cti4j_calls_live} ...): the resources live now;</li>
 *   <li>{@code cti4j.legs.started} ({@code cti4j_legs_started_total}), tagged {@code direction}
 *       ({@code inbound}, {@code outbound}): legs dialled or offered;</li>
 *   <li>{@code cti4j.legs.answered} ({@code cti4j_legs_answered_total}): legs answered;</li>
 *   <li>{@code cti4j.legs.ended} ({@code cti4j_legs_ended_total}), tagged {@code direction}, {@code answered}
 *       ({@code true}, {@code false}: a set-up that failed), {@code cause} (the SIP status: {@code 486} for a busy
 *       callee, {@code 200} for a normal end) and {@code dropped_by} ({@code sys}, {@code usr}): one per CDR.</li>
 * </ul>
 * For an engine that counts its media and signalling ({@link CtiEngine#statistics()}: an engine of cti-core, not a
 * remote one), {@link #watch} also registers, read from those statistics at each scrape (once per scrape: a read
 * serves every meter for 100 ms):
 * <ul>
 *   <li>{@code cti4j.rtp.sessions} (gauge): RTP sessions open now; {@code cti4j.rtp.sessions.opened}
 *       ({@code cti4j_rtp_sessions_opened_total}) and the counters {@code cti4j.rtp.packets.received},
 *       {@code .sent}, {@code .dropped}, {@code .lost}, {@code .late} and {@code cti4j.rtp.srtp.failures}
 *       ({@code cti4j_rtp_packets_received_total} ...): see {@link EngineStatistics.Media};</li>
 *   <li>{@code cti4j.sip.requests.received}, {@code cti4j.sip.responses.received},
 *       {@code cti4j.sip.retransmissions.received}, {@code cti4j.sip.retransmissions.sent},
 *       {@code cti4j.sip.responses.dropped} (counters): see {@link EngineStatistics.Signaling};</li>
 *   <li>{@code cti4j.sip.registered} (gauge, tagged {@code account}): 1 while the account is registered, 0
 *       otherwise; one per account configured when {@code watch} is called.</li>
 * </ul>
 * Set-ups per second are the rate of {@code cti4j_legs_started_total}; failures by cause are
 * {@code cti4j_legs_ended_total{answered="false"}}; loss is the rate of {@code cti4j_rtp_packets_lost_total} over
 * that of {@code cti4j_rtp_packets_received_total}. Thread-safe.
 */
public final class CtiMetrics implements CdrListener {

    private final MeterRegistry registry;
    private final Counter answered;
    /** The readers of the engines watched: Micrometer holds a meter's state weakly, so they are held here. */
    private final List<StatisticsReader> readers = new CopyOnWriteArrayList<>();

    private CtiMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.answered = Counter.builder("cti4j.legs.answered").description("call legs answered").register(registry);
    }

    /** Returns metrics that register their meters in {@code registry}; give them to the engine as its CDR listener. */
    public static CtiMetrics create(MeterRegistry registry) {
        return new CtiMetrics(Objects.requireNonNull(registry, "registry"));
    }

    /**
     * Registers the gauges of {@code engine}'s live calls, duo callbacks and conferences, read at each scrape.
     *
     * @return these metrics
     */
    public CtiMetrics watch(CtiEngine engine) {
        Objects.requireNonNull(engine, "engine");
        gauge("cti4j.calls.live", "calls live now", engine, Call.class);
        gauge("cti4j.duo.callbacks.live", "duo callbacks live now", engine, DuoCallback.class);
        gauge("cti4j.conferences.live", "conferences live now", engine, Conference.class);
        engine.statistics().ifPresent(first -> {
            StatisticsReader reader = new StatisticsReader(engine);
            readers.add(reader);
            watchStatistics(reader, first);
        });
        return this;
    }

    private void watchStatistics(StatisticsReader stats, EngineStatistics first) {
        Gauge.builder("cti4j.rtp.sessions", stats, s -> s.read().media().sessionsOpen())
                .description("RTP sessions open now").register(registry);
        counter("cti4j.rtp.sessions.opened", "RTP sessions opened", stats, m -> m.media().sessionsOpened());
        counter("cti4j.rtp.packets.received", "RTP packets accepted from the far ends", stats,
                m -> m.media().packetsReceived());
        counter("cti4j.rtp.packets.sent", "RTP packets sent", stats, m -> m.media().packetsSent());
        counter("cti4j.rtp.packets.dropped", "datagrams on the RTP ports not accepted (malformed, unknown payload "
                + "type or source)", stats, m -> m.media().packetsDropped());
        counter("cti4j.rtp.packets.lost", "RTP packets the far ends' sequence numbers skipped", stats,
                m -> m.media().packetsLost());
        counter("cti4j.rtp.packets.late", "RTP packets that came after a later one", stats,
                m -> m.media().packetsLate());
        counter("cti4j.rtp.srtp.failures", "SRTP packets dropped (authentication failed, replayed)", stats,
                m -> m.media().srtpFailures());
        counter("cti4j.sip.requests.received", "SIP requests received, retransmissions included", stats,
                m -> m.signaling().requestsReceived());
        counter("cti4j.sip.responses.received", "SIP responses received, retransmissions included", stats,
                m -> m.signaling().responsesReceived());
        counter("cti4j.sip.retransmissions.received", "SIP requests received again while their transaction was "
                + "still there", stats, m -> m.signaling().retransmissionsReceived());
        counter("cti4j.sip.retransmissions.sent", "SIP requests sent again for want of an answer", stats,
                m -> m.signaling().retransmissionsSent());
        counter("cti4j.sip.responses.dropped", "SIP responses dropped because nothing waited for them (no "
                + "transaction, call or registration of theirs)", stats, m -> m.signaling().responsesDropped());
        for (EngineStatistics.Registration registration : first.signaling().registrations()) {
            String account = registration.account();
            Gauge.builder("cti4j.sip.registered", stats, s -> registered(s.read(), account))
                    .description("1 while the account's registrar holds its binding, 0 otherwise")
                    .tag("account", account).register(registry);
        }
    }

    private void counter(String name, String description, StatisticsReader stats,
            ToDoubleFunction<EngineStatistics> value) {
        FunctionCounter.builder(name, stats, s -> value.applyAsDouble(s.read())).description(description)
                .register(registry);
    }

    private static double registered(EngineStatistics statistics, String account) {
        for (EngineStatistics.Registration registration : statistics.signaling().registrations()) {
            if (registration.account().equals(account)) {
                return registration.registered() ? 1 : 0;
            }
        }
        return 0;
    }

    private void gauge(String name, String description, CtiEngine engine, Class<? extends Resource> type) {
        Gauge.builder(name, engine, e -> e.resources().stream().filter(type::isInstance).count())
                .description(description).register(registry);
    }

    /**
     * Returns a CDR listener that counts here, then hands every call to {@code next} (the application's own CDR
     * listener, a CDR file): for an engine that has one already.
     */
    public CdrListener andThen(CdrListener next) {
        Objects.requireNonNull(next, "next");
        return new CdrListener() {
            @Override
            public void onLegStarted(LegStarted started) {
                CtiMetrics.this.onLegStarted(started);
                next.onLegStarted(started);
            }

            @Override
            public void onLegAnswered(LegAnswered legAnswered) {
                CtiMetrics.this.onLegAnswered(legAnswered);
                next.onLegAnswered(legAnswered);
            }

            @Override
            public void onCdr(CdrRecord record) {
                CtiMetrics.this.onCdr(record);
                next.onCdr(record);
            }
        };
    }

    @Override
    public void onLegStarted(LegStarted started) {
        Counter.builder("cti4j.legs.started").description("call legs dialled or offered")
                .tag("direction", started.callDir().wireName()).register(registry).increment();
    }

    @Override
    public void onLegAnswered(LegAnswered legAnswered) {
        answered.increment();
    }

    @Override
    public void onCdr(CdrRecord record) {
        Counter.builder("cti4j.legs.ended").description("call legs ended, by outcome and cause")
                .tag("direction", record.callDir().wireName())
                .tag("answered", Boolean.toString(record.answerTime() != null))
                .tag("cause", Integer.toString(record.cause()))
                .tag("dropped_by", record.droppedBy().wireName())
                .register(registry).increment();
    }
}
