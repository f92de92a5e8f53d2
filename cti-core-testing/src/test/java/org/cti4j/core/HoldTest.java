package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cti4j.core.EngineFixture.WAIT;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallState;
import org.cti4j.api.InvalidStateException;
import org.cti4j.core.EngineFixture.Dialled;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code hold} and {@code unhold}: one re-INVITE at a time, its answer applied to the media, exactly one
 * {@code on_hold_completed} for each, refusals in the wrong state, and what the far end's failures do.
 */
class HoldTest {

    private static final MediaDescription HELD_ANSWER = ScriptedSignaling.FAR_END_MEDIA
            .withDirection(MediaDirection.RECVONLY);

    private final EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
        assertThat(f.recorder.violations()).isEmpty();
    }

    private static CallEvent.HoldCompleted completed(CompletionStage<CallEvent.HoldCompleted> stage) {
        assertThat(stage.toCompletableFuture()).succeedsWithin(WAIT);
        return stage.toCompletableFuture().join();
    }

    @Test
    void holdOffersSendonlyAppliesTheAnswerAndUnholdOffersSendrecv() {
        Dialled d = f.connectedCall();
        CompletionStage<CallEvent.HoldCompleted> held = d.call().hold();
        assertThat(d.far().awaitAction("reoffer", WAIT)).isEqualTo("reoffer SENDONLY");
        assertThat(d.call().isHeld()).as("held before the far end answered").isFalse();

        d.far().answerReoffer(HELD_ANSWER, 200, null);
        CallEvent.HoldCompleted event = f.recorder.next(CallEvent.HoldCompleted.class);
        assertThat(event).isEqualTo(new CallEvent.HoldCompleted(d.call().resId(), true, null));
        assertThat(completed(held)).isEqualTo(event);
        assertThat(d.call().isHeld()).isTrue();
        assertThat(d.call().state()).isEqualTo(CallState.IDLE);
        List<MediaDescription> remotes = f.media.sessions().get(0).remotes();
        assertThat(remotes.get(remotes.size() - 1)).isEqualTo(HELD_ANSWER);

        CompletionStage<CallEvent.HoldCompleted> resumed = d.call().unhold();
        Await.until("the unhold's re-INVITE", WAIT,
                () -> d.far().actions().stream().filter(a -> a.startsWith("reoffer")).count() == 2);
        assertThat(d.far().actions()).filteredOn(a -> a.startsWith("reoffer"))
                .containsExactly("reoffer SENDONLY", "reoffer SENDRECV");
        d.far().answerReoffer(ScriptedSignaling.FAR_END_MEDIA, 200, null);
        assertThat(completed(resumed).held()).isFalse();
        assertThat(d.call().isHeld()).isFalse();
    }

    @Test
    void aChangeIsRefusedBeforeTheAnswerWhileAnotherIsUnderWayAndWhenItChangesNothing() {
        Dialled d = f.dial();
        assertThatThrownBy(() -> d.call().hold()).isInstanceOf(InvalidStateException.class)
                .hasMessageContaining("it is not answered");
        d.far().answer();
        EngineFixture.awaitState(d.call(), CallState.IDLE);
        assertThatThrownBy(() -> d.call().unhold()).isInstanceOf(InvalidStateException.class)
                .hasMessageContaining("its far end is not on hold");

        d.call().hold();
        assertThatThrownBy(() -> d.call().hold()).isInstanceOf(InvalidStateException.class)
                .hasMessageContaining("a hold or unhold is under way");
        assertThatThrownBy(() -> d.call().unhold()).isInstanceOf(InvalidStateException.class)
                .hasMessageContaining("a hold or unhold is under way");
        d.far().answerReoffer(HELD_ANSWER, 200, null);
        f.recorder.nextOf(CallEvent.HoldCompleted.class);
        assertThatThrownBy(() -> d.call().hold()).isInstanceOf(InvalidStateException.class)
                .hasMessageContaining("its far end is on hold already");
    }

    @Test
    void aRefusedChangeKeepsTheStateAndMayBeTriedAgain() {
        Dialled d = f.connectedCall();
        CompletionStage<CallEvent.HoldCompleted> glare = d.call().hold();
        d.far().answerReoffer(null, 491, "491 Request Pending");
        assertThat(completed(glare)).isEqualTo(new CallEvent.HoldCompleted(d.call().resId(), false,
                "491 Request Pending"));
        assertThat(d.call().isHeld()).isFalse();
        assertThat(d.call().state()).isEqualTo(CallState.IDLE);

        CompletionStage<CallEvent.HoldCompleted> again = d.call().hold();
        d.far().answerReoffer(HELD_ANSWER, 200, null);
        assertThat(completed(again).held()).isTrue();
    }

    @Test
    void aFarEndThatLostTheCallOrNeverAnswersIsHungUp() {
        Dialled d = f.connectedCall();
        CompletionStage<CallEvent.HoldCompleted> lost = d.call().hold();
        d.far().answerReoffer(null, 408, "408 no answer to the re-INVITE");
        assertThat(completed(lost).error()).isEqualTo("408 no answer to the re-INVITE");
        assertThat(d.far().awaitAction("hangup", WAIT)).isEqualTo("hangup 408");
        CallEvent.Released released = f.recorder.nextOf(CallEvent.Released.class);
        assertThat(released.cause()).isEqualTo(408);
    }

    @Test
    void theCallEndingFirstCompletesTheChangeOnceWithAnError() {
        Dialled d = f.connectedCall();
        CompletionStage<CallEvent.HoldCompleted> pending = d.call().hold();
        d.far().awaitAction("reoffer", WAIT);
        d.far().remoteHangup(200);
        CallEvent.HoldCompleted event = f.recorder.next(CallEvent.HoldCompleted.class);
        assertThat(event.error()).isEqualTo("the call ended before the far end answered");
        assertThat(event.held()).isFalse();
        f.recorder.next(CallEvent.Released.class);
        assertThat(completed(pending)).isEqualTo(event);

        d.far().answerReoffer(HELD_ANSWER, 200, null);
        assertThat(f.recorder.all()).filteredOn(CallEvent.HoldCompleted.class::isInstance).hasSize(1);
    }
}
