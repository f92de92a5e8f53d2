package org.cti4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.cti4j.api.CallEvent;
import org.cti4j.api.DroppedBy;
import org.cti4j.api.InvalidStateException;
import org.cti4j.api.PlayEndReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two test phones calling each other directly: what one plays and presses, the other hears. */
class TestPhoneTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private TestPhone alice;
    private TestPhone bob;

    @BeforeEach
    void start() {
        alice = TestPhone.start("alice");
        bob = TestPhone.start("bob");
    }

    @AfterEach
    void stop() {
        TestPhone.closeAll(alice, bob);
    }

    @Test
    void aCallCarriesTonesBothWaysAndKeysAndTheHangUp() throws Exception {
        TestCall outgoing = alice.call(bob.uri().toString());
        TestCall incoming = bob.awaitCall(WAIT);
        outgoing.awaitAnswered(WAIT);
        incoming.awaitAnswered(WAIT);

        CallEvent.PlayCompleted played = outgoing.playTone(1000, Duration.ofSeconds(1)).toCompletableFuture()
                .get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(played.reason()).isEqualTo(PlayEndReason.FINISHED);
        incoming.awaitTone(1000, Duration.ofMillis(800), WAIT);
        incoming.awaitSilence(Duration.ofMillis(200), WAIT);

        incoming.playTone(600, Duration.ofMillis(600));
        outgoing.awaitTone(600, Duration.ofMillis(400), WAIT);

        incoming.pressKeys("12#");
        outgoing.awaitKeys("12#", WAIT);

        incoming.hangUp();
        CallEvent.Released released = outgoing.awaitReleased(WAIT);
        assertThat(released.droppedBy()).isEqualTo(DroppedBy.USR);
        assertThat(incoming.awaitReleased(WAIT).droppedBy()).isEqualTo(DroppedBy.SYS);
        assertThat(alice.liveCalls()).isEmpty();
    }

    @Test
    void aToneNotHeardFailsSayingWhatWasHeardInstead() {
        TestCall outgoing = alice.call(bob.uri().toString());
        TestCall incoming = bob.awaitCall(WAIT);
        outgoing.awaitAnswered(WAIT);
        outgoing.playTone(440, Duration.ofSeconds(2));

        assertThatThrownBy(() -> incoming.awaitTone(1200, Duration.ofMillis(500), Duration.ofMillis(1500)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("phone bob did not hear 1200 Hz for 500 ms within 1.5 s")
                .hasMessageContaining("440 Hz");
    }

    @Test
    void keysOtherThanExpectedFailNamingThem() {
        TestCall outgoing = alice.call(bob.uri().toString());
        TestCall incoming = bob.awaitCall(WAIT);
        outgoing.awaitAnswered(WAIT);
        outgoing.pressKeys("5");
        assertThatThrownBy(() -> incoming.awaitKeys("4", WAIT)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected the keys 4 but received 5");
        assertThatThrownBy(() -> incoming.awaitKeys("9", Duration.ofMillis(300))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("did not receive the keys 9 within 0.3 s; it received none");
    }

    @Test
    void aBusyPhoneRejectsWith486AndARingingOneIsNotAnswered() {
        bob.busy();
        TestCall refused = alice.call(bob.uri().toString());
        bob.awaitCall(WAIT);
        CallEvent.Released released = refused.awaitReleased(WAIT);
        assertThat(released.cause()).isEqualTo(486);

        bob.ringWithoutAnswer();
        TestCall ringing = alice.call(bob.uri().toString());
        TestCall unanswered = bob.awaitCall(WAIT);
        assertThatThrownBy(() -> ringing.awaitAnswered(Duration.ofMillis(500))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("not answered within 0.5 s");
        ringing.hangUp();
        assertThat(unanswered.awaitReleased(WAIT).cause()).isEqualTo(487);
    }

    @Test
    void aHeldFarEndIsNotHeardAndStillHearsUntilItIsTakenOffHold() {
        TestCall outgoing = alice.call(bob.uri().toString());
        TestCall incoming = bob.awaitCall(WAIT);
        outgoing.awaitAnswered(WAIT);
        incoming.awaitAnswered(WAIT);
        incoming.playTone(600, Duration.ofSeconds(30));
        outgoing.awaitTone(600, Duration.ofMillis(300), WAIT);

        outgoing.hold(WAIT);
        assertThat(outgoing.call().isHeld()).isTrue();
        assertThat(incoming.call().isHeld()).isFalse();
        outgoing.awaitSilence(Duration.ofMillis(500), WAIT);
        outgoing.playTone(1000, Duration.ofSeconds(30));
        incoming.awaitTone(1000, Duration.ofMillis(300), WAIT);
        assertThatThrownBy(() -> outgoing.hold(WAIT)).isInstanceOf(InvalidStateException.class)
                .hasMessageContaining("its far end is on hold already");

        outgoing.unhold(WAIT);
        assertThat(outgoing.call().isHeld()).isFalse();
        outgoing.awaitTone(600, Duration.ofMillis(300), WAIT);
        incoming.awaitTone(1000, Duration.ofMillis(300), WAIT);
        assertThatThrownBy(() -> outgoing.unhold(WAIT)).isInstanceOf(InvalidStateException.class)
                .hasMessageContaining("its far end is not on hold");
    }

    @Test
    void aPhoneAnswersAfterTheDelayItWasGiven() {
        bob.answerAfter(Duration.ofMillis(700));
        long start = System.nanoTime();
        TestCall outgoing = alice.call(bob.uri().toString());
        outgoing.awaitAnswered(WAIT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
    }

    @Test
    void aPhoneWithoutATargetNeedsAFullUri() {
        assertThatThrownBy(() -> alice.call("ivr")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("give a SIP URI");
        assertThatThrownBy(() -> alice.reject(200)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestPhone.builder().name("a b")).isInstanceOf(IllegalArgumentException.class);
    }
}
