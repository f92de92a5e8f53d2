package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cti4j.core.EngineFixture.WAIT;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallState;
import org.cti4j.api.SendDtmfEndReason;
import org.cti4j.core.EngineFixture.Dialled;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.spi.PayloadType;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code send_dtmf_start} to a far end that did not negotiate telephone-event: one SIP INFO per key, each after the
 * one before was answered and spaced as RFC 4733 keys are, {@code ,} a 500 ms pause; failures, the hang-up, exactly
 * one completion.
 */
class SendDtmfInfoTest {

    private static final MediaDescription WITHOUT_EVENTS = new MediaDescription("127.0.0.1", 40000,
            List.of(PayloadType.PCMU, PayloadType.PCMA), MediaDirection.SENDRECV);

    private final EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
        assertThat(f.recorder.violations()).isEmpty();
    }

    /** A call whose far end answered without telephone-event. */
    private Dialled connectedWithoutEvents() {
        Dialled d = f.dial();
        d.far().answer(WITHOUT_EVENTS);
        f.recorder.next(CallEvent.DialCompleted.class);
        f.recorder.next(CallEvent.Answered.class);
        EngineFixture.awaitState(d.call(), CallState.IDLE);
        return d;
    }

    private static void awaitInfos(ScriptedSignaling.Leg far, int count) {
        Await.until(count + " INFOs", WAIT, () -> far.infos().size() >= count);
        assertThat(far.infos()).as("INFOs sent").hasSize(count);
    }

    /** Waits until the sequence's timer is armed besides the call's max_answer_seconds, and returns its delay. */
    private Duration awaitSequenceTimer() {
        f.awaitTimers(2);
        return f.clock.pendingDelays().get(0);
    }

    /**
     * Lets the sequence's timer (the key spacing, a pause) fire, moving the clock by just its delay: what the sequence
     * does next runs on the call's strand after the advance returns, so the clock must not have moved on meanwhile.
     */
    private void runTimers() {
        f.clock.advance(awaitSequenceTimer());
    }

    @Test
    void sendsOneInfoPerKeyEachAfterTheOneBeforeWasAnsweredAndPausesAtAComma() {
        Dialled d = connectedWithoutEvents();
        CompletionStage<CallEvent.SendDtmfCompleted> sent = d.call().sendDtmfStart("1*,#a");
        awaitInfos(d.far(), 1);
        assertThat(d.far().infos()).containsExactly("info 1 160");
        assertThat(f.media.sessions().get(0).last("dtmf")).as("RFC 4733 events").isNull();

        d.far().answerInfo(null);
        assertThat(awaitSequenceTimer()).as("the spacing of keys").isEqualTo(Duration.ofMillis(220));
        assertThat(d.far().infos()).as("the next key before the spacing elapsed").hasSize(1);
        f.clock.advance(Duration.ofMillis(219));
        assertThat(d.far().infos()).hasSize(1);
        f.clock.advance(Duration.ofMillis(1));
        awaitInfos(d.far(), 2);
        assertThat(d.far().infos().get(1)).isEqualTo("info * 160");

        d.far().answerInfo(null);
        runTimers();
        assertThat(awaitSequenceTimer()).as("the comma's pause").isEqualTo(Duration.ofMillis(500));
        f.clock.advance(Duration.ofMillis(500));
        awaitInfos(d.far(), 3);
        d.far().answerInfo(null);
        runTimers();
        awaitInfos(d.far(), 4);
        assertThat(d.far().infos()).containsExactly("info 1 160", "info * 160", "info # 160", "info A 160");
        d.far().answerInfo(null);
        runTimers();

        CallEvent.SendDtmfCompleted event = f.recorder.next(CallEvent.SendDtmfCompleted.class);
        assertThat(event).isEqualTo(new CallEvent.SendDtmfCompleted(d.call().resId(), "1*,#A",
                SendDtmfEndReason.FINISHED, null));
        assertThat(sent.toCompletableFuture().join()).isEqualTo(event);
    }

    @Test
    void aRefusedInfoEndsTheSequenceFailedWithTheAnswer() {
        Dialled d = connectedWithoutEvents();
        d.call().sendDtmfStart("12");
        awaitInfos(d.far(), 1);
        d.far().answerInfo("415 Unsupported Media Type");
        CallEvent.SendDtmfCompleted event = f.recorder.next(CallEvent.SendDtmfCompleted.class);
        assertThat(event.reason()).isEqualTo(SendDtmfEndReason.FAILED);
        assertThat(event.error()).contains("key '1'").contains("415 Unsupported Media Type");
        assertThat(d.far().infos()).as("nothing after the refused key").hasSize(1);
        assertThat(f.clock.pending()).as("timers left besides max_answer_seconds").isEqualTo(1);
        assertThat(d.call().state()).as("the call goes on").isEqualTo(CallState.IDLE);
    }

    @Test
    void aHangUpWhileAnInfoAwaitsItsAnswerEndsItOnceByTheHangUp() {
        Dialled d = connectedWithoutEvents();
        d.call().sendDtmfStart("123");
        awaitInfos(d.far(), 1);
        d.far().remoteHangup(200);
        assertThat(f.recorder.next(CallEvent.SendDtmfCompleted.class).reason()).isEqualTo(SendDtmfEndReason.HANGUP);
        f.recorder.next(CallEvent.Released.class);
        d.far().answerInfo(null);
        f.clock.advance(Duration.ofSeconds(1));
        assertThat(d.far().infos()).as("nothing sent after the hang-up").hasSize(1);
        assertThat(f.recorder.pending()).as("events after on_released").isEmpty();
    }

    @Test
    void aHangUpDuringTheSpacingSendsNothingMore() {
        Dialled d = connectedWithoutEvents();
        d.call().sendDtmfStart("1,2");
        awaitInfos(d.far(), 1);
        d.far().answerInfo(null);
        awaitSequenceTimer();
        d.far().remoteHangup(200);
        assertThat(f.recorder.next(CallEvent.SendDtmfCompleted.class).reason()).isEqualTo(SendDtmfEndReason.HANGUP);
        f.recorder.next(CallEvent.Released.class);
        f.clock.advance(Duration.ofSeconds(2));
        assertThat(d.far().infos()).hasSize(1);
        assertThat(f.clock.pending()).isZero();
    }
}
