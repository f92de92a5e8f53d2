package org.cti4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.CallState;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.DialOptions;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ManualScheduler;
import org.junit.jupiter.api.Test;

/** {@code @CtiTest(manualClock = true)}: the engine's timers move when the test says, the phones stay real. */
@CtiTest(manualClock = true)
class ManualClockTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aSixtySecondRingTimeoutTakesNoTime(CtiEngine engine, ManualScheduler clock, TestPhone callee) {
        callee.ringWithoutAnswer();
        long start = System.nanoTime();
        Call call = engine.dial(DialOptions.builder().fromUri("sip:400@127.0.0.1").toUri(callee.uri())
                .maxAnswerSeconds(600).maxRingSeconds(60).build(), new CallListener() { });
        TestCall ringing = callee.awaitCall(WAIT);
        // The ring timer starts when the engine has taken in the phone's 180: move the clock after that only.
        Await.until("the engine's call ringing", WAIT, () -> call.state() == CallState.RING);

        clock.advance(Duration.ofSeconds(59));
        assertThat(ringing.isReleased()).isFalse();
        clock.advance(Duration.ofSeconds(1));

        CallEvent.Released released = ringing.awaitReleased(WAIT);
        assertThat(released.cause()).isEqualTo(487);
        assertThat(call.whenReleased()).succeedsWithin(WAIT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
