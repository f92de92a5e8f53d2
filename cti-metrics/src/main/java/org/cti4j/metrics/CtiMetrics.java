package org.cti4j.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import org.cti4j.api.Call;
import org.cti4j.api.CdrListener;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.Conference;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.DuoCallback;
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
 * Set-ups per second are the rate of {@code cti4j_legs_started_total}; failures by cause are
 * {@code cti4j_legs_ended_total{answered="false"}}. Thread-safe.
 */
public final class CtiMetrics implements CdrListener {

    private final MeterRegistry registry;
    private final Counter answered;

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
        return this;
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
