package org.cti4j.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cti4j.api.Call;
import org.cti4j.api.CallListener;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.Conference;
import org.cti4j.api.ConferenceListener;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.DialOptions;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackListener;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.EngineStatistics;
import org.cti4j.api.Resource;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The metrics of an engine with scripted signalling and media: gauges of what is live, counters of leg events. */
class CtiMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final ScriptedSignaling sip = new ScriptedSignaling();
    private final List<CdrRecord> cdrs = new CopyOnWriteArrayList<>();
    private final CtiMetrics metrics = CtiMetrics.create(registry);
    private final ScriptedMedia media = new ScriptedMedia();
    private final CoreEngine engine = CoreEngine.builder().nodeId("1.2.3").signaling(sip).media(media)
            .cdrListener(metrics.andThen(cdrs::add)).build();

    @AfterEach
    void close() {
        engine.close();
    }

    private static DialOptions options() {
        return DialOptions.builder().fromUri("sip:1000@127.0.0.1").toUri("sip:2000@127.0.0.1:5062")
                .maxAnswerSeconds(600).maxRingSeconds(30).build();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    private double counter(String name, String... tags) {
        var found = registry.find(name).tags(tags).counter();
        return found == null ? 0 : found.count();
    }

    @Test
    void liveResourcesAreGaugedAndEveryLegIsCountedByOutcomeAndCause() {
        metrics.watch(engine);
        engine.createConference(ConferenceOptions.builder().maxSeconds(600).build(), new ConferenceListener() { });
        engine.dial(options(), new CallListener() { });
        ScriptedSignaling.Outbound answered = sip.nextDialled(WAIT);
        answered.answer();
        engine.dial(options(), new CallListener() { });
        ScriptedSignaling.Outbound busy = sip.nextDialled(WAIT);

        assertThat(gauge("cti4j.calls.live")).isEqualTo(2);
        assertThat(gauge("cti4j.conferences.live")).isEqualTo(1);
        assertThat(gauge("cti4j.duo.callbacks.live")).isZero();
        // The CDR listener hears of a leg on the resource's event thread, maybe after signalling was given the leg.
        Await.until("the answer counted", WAIT, () -> counter("cti4j.legs.answered") == 1);
        Await.until("both starts counted", WAIT, () -> counter("cti4j.legs.started", "direction", "outbound") == 2);

        busy.fail(486, "Busy Here");
        answered.remoteHangup(200);
        Await.until("two CDRs", WAIT, () -> cdrs.size() == 2);
        assertThat(counter("cti4j.legs.ended", "answered", "false", "cause", "486", "direction", "outbound"))
                .isEqualTo(1);
        assertThat(counter("cti4j.legs.ended", "answered", "true", "cause", "200", "dropped_by", "usr"))
                .isEqualTo(1);
        assertThat(registry.find("cti4j.legs.ended").counters()).hasSize(2);
        assertThat(gauge("cti4j.calls.live")).isZero();
    }

    private double count(String name) {
        return registry.get(name).functionCounter().count();
    }

    @Test
    void theEnginesMediaAndSignallingFiguresAreReadAtEachScrape() {
        sip.statistics(new EngineStatistics.Signaling(0, 0, 0, 0, 0, List.of(
                new EngineStatistics.Registration("carrier", "sip:cti@192.0.2.1", false),
                new EngineStatistics.Registration("pbx", "sip:cti@192.0.2.2", true))));
        metrics.watch(engine);
        assertThat(count("cti4j.rtp.packets.received")).isZero();
        assertThat(registry.get("cti4j.sip.registered").tag("account", "carrier").gauge().value()).isZero();
        assertThat(registry.get("cti4j.sip.registered").tag("account", "pbx").gauge().value()).isEqualTo(1);

        media.statistics(new EngineStatistics.Media(3, 10, 5000, 4900, 7, 12, 2, 1));
        sip.statistics(new EngineStatistics.Signaling(40, 80, 3, 4, 6, List.of(
                new EngineStatistics.Registration("carrier", "sip:cti@192.0.2.1", true),
                new EngineStatistics.Registration("pbx", "sip:cti@192.0.2.2", false))));
        // A read serves a scrape's meters for 100 ms; the next scrape reads again.
        Await.until("the new figures read", WAIT, () -> count("cti4j.rtp.packets.received") == 5000);
        assertThat(gauge("cti4j.rtp.sessions")).isEqualTo(3);
        assertThat(count("cti4j.rtp.sessions.opened")).isEqualTo(10);
        assertThat(count("cti4j.rtp.packets.sent")).isEqualTo(4900);
        assertThat(count("cti4j.rtp.packets.dropped")).isEqualTo(7);
        assertThat(count("cti4j.rtp.packets.lost")).isEqualTo(12);
        assertThat(count("cti4j.rtp.packets.late")).isEqualTo(2);
        assertThat(count("cti4j.rtp.srtp.failures")).isEqualTo(1);
        assertThat(count("cti4j.sip.requests.received")).isEqualTo(40);
        assertThat(count("cti4j.sip.responses.received")).isEqualTo(80);
        assertThat(count("cti4j.sip.retransmissions.received")).isEqualTo(3);
        assertThat(count("cti4j.sip.retransmissions.sent")).isEqualTo(4);
        assertThat(count("cti4j.sip.responses.dropped")).isEqualTo(6);
        assertThat(registry.get("cti4j.sip.registered").tag("account", "carrier").gauge().value()).isEqualTo(1);
        assertThat(registry.get("cti4j.sip.registered").tag("account", "pbx").gauge().value()).isZero();
    }

    @Test
    void anEngineThatCountsNothingGetsNoMediaOrSignallingMeters() {
        CtiEngine remote = new CtiEngine() {
            @Override
            public String nodeId() {
                return "1.2.4";
            }

            @Override
            public Call dial(DialOptions options, CallListener listener) {
                throw new UnsupportedOperationException();
            }

            @Override
            public DuoCallback startDuoCallback(DuoCallbackOptions options, DuoCallbackListener listener) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Conference createConference(ConferenceOptions options, ConferenceListener listener) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<Resource> find(String resId) {
                return Optional.empty();
            }

            @Override
            public List<Resource> resources() {
                return List.of();
            }

            @Override
            public void setIncomingCallListener(CallListener listener) {
            }

            @Override
            public CompletionStage<Void> shutdown() {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void close() {
            }
        };
        CtiMetrics.create(registry).watch(remote);
        assertThat(gauge("cti4j.calls.live")).isZero();
        assertThat(registry.find("cti4j.rtp.packets.received").functionCounter()).isNull();
        assertThat(registry.find("cti4j.sip.requests.received").functionCounter()).isNull();
    }
}
