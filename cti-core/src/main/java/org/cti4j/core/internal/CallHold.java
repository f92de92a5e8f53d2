package org.cti4j.core.internal;

import java.util.concurrent.CompletableFuture;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;

/**
 * Whether a call holds its far end ({@code hold} / {@code unhold}): one re-INVITE at a time through the signalling
 * leg, its answer applied to the media session, and exactly one {@code on_hold_completed} for each accepted request
 * (the call ending first completes it with an error).
 *
 * <p>Strand-confined: started and ended on its call's strand; the signalling's answers are posted to the strand, and
 * one that comes after the call ended or after another change began is ignored.
 */
final class CallHold {

    private final CallResource call;
    private final CallListener listener;
    private boolean held;
    /** The change awaited, or {@code null}. */
    private Change change;

    /** One hold or unhold; compared by identity, so that only its own answer is taken for it. */
    private static final class Change {
        final boolean hold;
        final CompletableFuture<CallEvent.HoldCompleted> future;

        Change(boolean hold, CompletableFuture<CallEvent.HoldCompleted> future) {
            this.hold = hold;
            this.future = future;
        }
    }

    CallHold(CallResource call, CallListener listener) {
        this.call = call;
        this.listener = listener;
    }

    /** Returns whether the far end is on hold. */
    boolean held() {
        return held;
    }

    /** Returns whether a hold or unhold awaits the far end's answer. */
    boolean changing() {
        return change != null;
    }

    /** On the strand, once {@code hold} or {@code unhold} was allowed: sends the re-INVITE over {@code leg}. */
    void start(boolean hold, Leg leg, CompletableFuture<CallEvent.HoldCompleted> future) {
        call.checkOnStrand(hold ? "hold" : "unhold");
        Change started = new Change(hold, future);
        change = started;
        MediaDirection direction = hold ? MediaDirection.SENDONLY : MediaDirection.SENDRECV;
        leg.signalingLeg().reoffer(direction,
                (answer, status, reason) -> call.post(() -> answered(started, leg, answer, status, reason)));
    }

    private void answered(Change answeredChange, Leg leg, MediaDescription answer, int status, String reason) {
        if (change != answeredChange || leg.isEnded()) {
            return;
        }
        if (answer == null) {
            finish(reason);
            if (status == 408 || status == 481) {
                // RFC 3261 14.1: the far end no longer has the dialog, or never answered: end it.
                leg.hangup(status, "the far end did not answer the re-INVITE: " + reason);
            }
            return;
        }
        if (!leg.applyRemote(answer)) {
            finish("the far end's answer cannot be used");
            leg.hangup(488, "the far end's answer to the re-INVITE cannot be used");
            return;
        }
        held = answeredChange.hold;
        finish(null);
    }

    /** On the strand: the call ended; a change still awaited completes with an error. */
    void onCallEnded() {
        if (change != null) {
            finish("the call ended before the far end answered");
        }
    }

    private void finish(String error) {
        Change finished = change;
        change = null;
        call.publish();
        CallEvent.HoldCompleted event = new CallEvent.HoldCompleted(call.resId(), held, error);
        call.emit("onHoldCompleted", () -> {
            try {
                listener.onHoldCompleted(call, event);
            } finally {
                finished.future.complete(event);
            }
        });
    }
}
