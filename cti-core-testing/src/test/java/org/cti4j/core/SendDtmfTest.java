package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cti4j.core.EngineFixture.WAIT;

import java.util.concurrent.CompletionStage;
import org.cti4j.api.CallEvent;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.InvalidStateException;
import org.cti4j.api.SendDtmfEndReason;
import org.cti4j.core.EngineFixture.Dialled;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code send_dtmf_start}: keys checked at once, one sequence at a time, its completion sent exactly once. */
class SendDtmfTest {

    private final EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
        assertThat(f.recorder.violations()).isEmpty();
    }

    private ScriptedMedia.Operation awaitSending(String keys) {
        ScriptedMedia.Session session = f.media.sessions().get(0);
        Await.until("sending " + keys, WAIT, () -> session.last("dtmf " + keys) != null);
        return session.last("dtmf " + keys);
    }

    @Test
    void keysSentAreReportedOnceWhenTheMediaHasSentThem() {
        Dialled d = f.connectedCall();
        CompletionStage<CallEvent.SendDtmfCompleted> sent = d.call().sendDtmfStart("12,#a");
        ScriptedMedia.Operation sending = awaitSending("12,#A");
        assertThatThrownBy(() -> d.call().sendDtmfStart("3")).isInstanceOf(InvalidStateException.class)
                .hasMessageContaining("keys are being sent already");
        sending.finish();
        CallEvent.SendDtmfCompleted event = f.recorder.next(CallEvent.SendDtmfCompleted.class);
        assertThat(event).isEqualTo(new CallEvent.SendDtmfCompleted(d.call().resId(), "12,#A",
                SendDtmfEndReason.FINISHED, null));
        assertThat(sent.toCompletableFuture().join()).isEqualTo(event);
        d.call().sendDtmfStart("3");
        awaitSending("3").fail("the far end did not negotiate telephone-event");
        CallEvent.SendDtmfCompleted failed = f.recorder.next(CallEvent.SendDtmfCompleted.class);
        assertThat(failed.reason()).isEqualTo(SendDtmfEndReason.FAILED);
        assertThat(failed.error()).contains("telephone-event");
    }

    @Test
    void aHangUpEndsTheSendingAndBadKeysAreRefusedAtOnce() {
        Dialled d = f.connectedCall();
        assertThatThrownBy(() -> d.call().sendDtmfStart("12x")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("keys '12x' holds 'x'");
        assertThatThrownBy(() -> d.call().sendDtmfStart("")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("1 to 64");
        d.call().sendDtmfStart("123");
        awaitSending("123");
        d.far().remoteHangup(200);
        assertThat(f.recorder.next(CallEvent.SendDtmfCompleted.class).reason()).isEqualTo(SendDtmfEndReason.HANGUP);
        f.recorder.next(CallEvent.Released.class);
        assertThatThrownBy(() -> d.call().sendDtmfStart("1")).isInstanceOf(InvalidStateException.class);
    }

    @Test
    void aStopEndsTheSequenceOnceWithStoppedAndIsRefusedWhenNothingIsSent() {
        Dialled d = f.connectedCall();
        assertThatThrownBy(() -> d.call().sendDtmfStop()).isInstanceOf(InvalidStateException.class)
                .hasMessageContaining("sendDtmfStop").hasMessageContaining("no keys are being sent");
        CompletionStage<CallEvent.SendDtmfCompleted> sent = d.call().sendDtmfStart("123456");
        ScriptedMedia.Operation sending = awaitSending("123456");
        d.call().sendDtmfStop();
        CallEvent.SendDtmfCompleted event = f.recorder.next(CallEvent.SendDtmfCompleted.class);
        assertThat(event).isEqualTo(new CallEvent.SendDtmfCompleted(d.call().resId(), "123456",
                SendDtmfEndReason.STOPPED, null));
        assertThat(sent.toCompletableFuture().join()).isEqualTo(event);
        assertThat(sending.isStoppedByEngine()).isTrue();
        assertThatThrownBy(() -> d.call().sendDtmfStop()).isInstanceOf(InvalidStateException.class);
        sending.finish();
        d.call().sendDtmfStart("7");
        awaitSending("7").finish();
        assertThat(f.recorder.next(CallEvent.SendDtmfCompleted.class).reason()).isEqualTo(SendDtmfEndReason.FINISHED);
    }
}
