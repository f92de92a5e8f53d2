package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cti4j.core.EngineFixture.T0;
import static org.cti4j.core.EngineFixture.WAIT;

import java.time.Duration;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.ConferenceListener;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.DuoCallbackListener;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.EngineUnavailableException;
import org.cti4j.api.ErrorCode;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ManualScheduler;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's limits protect the calls it has: past {@code maxLiveCalls} or {@code maxCallsPerSecond}, new inbound
 * calls get 503 with {@code Retry-After} and constructs an {@link EngineUnavailableException} naming the limit; the
 * calls already live are untouched, and new work is taken again as soon as the limit allows.
 */
class EngineLimitsTest {

    private final ScriptedSignaling sip = new ScriptedSignaling();
    private final ScriptedMedia media = new ScriptedMedia();
    private final ManualScheduler clock = new ManualScheduler(T0);
    private final Recorder recorder = new Recorder();
    private CoreEngine engine;

    private CoreEngine start(int maxLiveCalls, int maxCallsPerSecond) {
        engine = CoreEngine.builder().nodeId("1.2.3").signaling(sip).media(media).clock(clock).scheduler(clock)
                .incomingCallListener(recorder).maxLiveCalls(maxLiveCalls).maxCallsPerSecond(maxCallsPerSecond)
                .build();
        return engine;
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
        assertThat(recorder.violations()).isEmpty();
    }

    private static DuoCallbackOptions duoOptions() {
        return DuoCallbackOptions.builder().from1Uri("400@127.0.0.1").to1Uri("1001@127.0.0.1:5062")
                .from2Uri("400@127.0.0.1").to2Uri("1002@127.0.0.1:5064").maxConnectSeconds(60).build();
    }

    @Test
    void pastTheMostLiveCallsNewCallsAreRefusedUntilOneEnds() {
        start(2, 0);
        Call first = engine.dial(EngineFixture.dialOptions(), recorder);
        ScriptedSignaling.Outbound far = sip.nextDialled(WAIT);
        ScriptedSignaling.Inbound caller = sip.incoming("sip:5@10.0.0.1", "sip:1@127.0.0.1", true);
        recorder.nextOf(CallEvent.Incoming.class);

        assertThatThrownBy(() -> engine.dial(EngineFixture.dialOptions(), recorder))
                .isInstanceOfSatisfying(EngineUnavailableException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessage("engine 1.2.3 is at its limit: 2 calls live, at most 2 allowed (max_live_calls); "
                        + "sys.call refused; place it on another engine or try again later");
        assertThat(sip.refusal()).as("probes and new calls refused at the limit").isEqualTo(Duration.ofSeconds(5));
        ScriptedSignaling.Inbound refused = sip.incoming("sip:6@10.0.0.1", "sip:1@127.0.0.1", true);
        assertThat(refused.actions()).as("an inbound call past the limit").containsExactly("reject 503 retry-after 5");
        // A conference is no call: it is taken.
        engine.createConference(ConferenceOptions.builder().maxSeconds(60).build(), new ConferenceListener() { })
                .release();
        assertThat(far.actions()).as("the live calls untouched").isEmpty();
        assertThat(caller.actions()).doesNotContain("reject 503");

        first.drop();
        Await.until("the first call released", WAIT, first::isReleased);
        Await.until("new calls taken again", WAIT, () -> sip.refusal() == null);
        Await.until("its count given back", WAIT, () -> {
            try {
                engine.dial(EngineFixture.dialOptions(), recorder);
                return true;
            } catch (EngineUnavailableException stillFull) {
                return false;
            }
        });
        // Two live again (the inbound call and the new dial): a duo callback, two calls, does not fit.
        assertThatThrownBy(() -> engine.startDuoCallback(duoOptions(), new DuoCallbackListener() { }))
                .isInstanceOf(EngineUnavailableException.class).hasMessageContaining("ext.duo_callback refused");
    }

    @Test
    void pastTheMostNewCallsInASecondNewCallsWaitForTheNextSecond() {
        start(0, 3);
        engine.dial(EngineFixture.dialOptions(), recorder);
        engine.startDuoCallback(duoOptions(), new DuoCallbackListener() { });
        ScriptedSignaling.Inbound taken = sip.incoming("sip:5@10.0.0.1", "sip:1@127.0.0.1", true);
        recorder.nextOf(CallEvent.Incoming.class);
        assertThat(taken.actions()).doesNotContain("reject 503 retry-after 5");

        assertThatThrownBy(() -> engine.dial(EngineFixture.dialOptions(), recorder))
                .isInstanceOf(EngineUnavailableException.class)
                .hasMessageContaining("3 new calls in this second already (max_calls_per_second)");
        assertThat(sip.refusal()).as("a busy second does not fail the probes").isNull();
        ScriptedSignaling.Inbound refused = sip.incoming("sip:6@10.0.0.1", "sip:1@127.0.0.1", true);
        assertThat(refused.actions()).containsExactly("reject 503 retry-after 5");

        clock.advance(Duration.ofSeconds(1));
        engine.dial(EngineFixture.dialOptions(), recorder);
        assertThat(engine.resources()).hasSize(4);
    }

    @Test
    void aNegativeLimitIsRefusedAndZeroMeansNone() {
        assertThatThrownBy(() -> CoreEngine.builder().maxLiveCalls(-1))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("max_live_calls -1");
        assertThatThrownBy(() -> CoreEngine.builder().maxCallsPerSecond(-2))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("max_calls_per_second -2");
        start(0, 0);
        for (int i = 0; i < 50; i++) {
            engine.dial(EngineFixture.dialOptions(), recorder);
        }
        assertThat(engine.resources()).hasSize(50);
    }
}
