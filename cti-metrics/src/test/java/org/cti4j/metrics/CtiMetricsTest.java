package org.cti4j.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cti4j.api.CallListener;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.ConferenceListener;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.DialOptions;
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
    private final CoreEngine engine = CoreEngine.builder().nodeId("1.2.3").signaling(sip).media(new ScriptedMedia())
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
        Await.until("the answer counted", WAIT, () -> counter("cti4j.legs.answered") == 1);
        assertThat(counter("cti4j.legs.started", "direction", "outbound")).isEqualTo(2);

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
}
