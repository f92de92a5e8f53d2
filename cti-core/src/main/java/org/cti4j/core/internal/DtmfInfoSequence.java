package org.cti4j.core.internal;

import java.time.Duration;
import java.time.Instant;
import org.cti4j.core.spi.MediaOperation;
import org.cti4j.core.spi.SignalingLeg;

/**
 * Keys sent one after another by SIP INFO, for a far end that did not negotiate telephone-event: one INFO per key,
 * each sent only once the one before was answered and at least {@value #KEY_SPACING_MILLIS} ms after it (a key's
 * {@value #KEY_MILLIS} ms and a {@value #GAP_MILLIS} ms gap, as keys sent as RFC 4733 events are spaced); a {@code ,}
 * pauses {@value #PAUSE_MILLIS} ms. A non-2xx answer, a timeout or a failure to send ends it with that error;
 * {@link #stop()} ends it after the key under way has been answered. Its listener hears the end exactly once.
 *
 * <p>Strand-confined: started, answered (the signalling's answers are posted to the strand) and stopped on its call's
 * strand only; it never blocks. The hang-up is not its business: the call ends the send itself, and an answer that
 * comes after the end is ignored.
 */
final class DtmfInfoSequence implements MediaOperation {

    /** The duration each INFO announces. */
    static final int KEY_MILLIS = 160;
    /** The silence between two keys. */
    static final int GAP_MILLIS = 60;
    /** The least time from one INFO to the next. */
    static final int KEY_SPACING_MILLIS = KEY_MILLIS + GAP_MILLIS;
    /** The pause a {@code ,} makes. */
    static final int PAUSE_MILLIS = 500;

    private final AbstractResource owner;
    private final SignalingLeg leg;
    private final String keys;
    private final MediaOperation.Listener listener;
    private final StrandTimer timer;
    private int next;
    /** How many INFOs were sent: names the one awaited, so that no other answer is taken for it. */
    private int sent;
    private boolean awaiting;
    private Instant sentAt;
    private boolean stopRequested;
    private boolean ended;

    private DtmfInfoSequence(AbstractResource owner, SignalingLeg leg, String keys, MediaOperation.Listener listener) {
        this.owner = owner;
        this.leg = leg;
        this.keys = keys;
        this.listener = listener;
        this.timer = owner.newTimer("dtmf-info");
    }

    /**
     * On the strand: starts sending {@code keys} (checked: {@code 0-9 * # A-D} and {@code ,}) over {@code leg}.
     *
     * @param listener hears the end once, on the strand: {@code null} when every key was answered 2xx or the sequence
     *     was stopped, else why it failed
     */
    static DtmfInfoSequence start(AbstractResource owner, SignalingLeg leg, String keys,
            MediaOperation.Listener listener) {
        owner.checkOnStrand("send DTMF by INFO");
        DtmfInfoSequence sequence = new DtmfInfoSequence(owner, leg, keys, listener);
        sequence.sendNext();
        return sequence;
    }

    private void sendNext() {
        if (ended) {
            return;
        }
        if (stopRequested || next == keys.length()) {
            end(null);
            return;
        }
        char key = keys.charAt(next++);
        if (key == ',') {
            timer.start(Duration.ofMillis(PAUSE_MILLIS), this::sendNext);
            return;
        }
        int number = ++sent;
        awaiting = true;
        sentAt = owner.now();
        leg.sendDtmfInfo(key, KEY_MILLIS, error -> owner.post(() -> answered(number, key, error)));
    }

    private void answered(int number, char key, String error) {
        if (ended || !awaiting || number != sent) {
            return;
        }
        awaiting = false;
        if (error != null) {
            end("the far end did not take key '" + key + "' by SIP INFO (it did not negotiate telephone-event): "
                    + error);
            return;
        }
        if (stopRequested) {
            end(null);
            return;
        }
        long elapsed = Duration.between(sentAt, owner.now()).toMillis();
        timer.start(Duration.ofMillis(Math.max(0, KEY_SPACING_MILLIS - elapsed)), this::sendNext);
    }

    /**
     * Stops sending: the key whose INFO was sent is awaited, the rest is not sent; the listener then hears the end
     * with no error. On the strand.
     */
    @Override
    public void stop() {
        owner.checkOnStrand("stop DTMF by INFO");
        if (ended) {
            return;
        }
        stopRequested = true;
        if (!awaiting) {
            end(null);
        }
    }

    /** The call ended and reports the send itself: nothing more is sent, and the listener hears nothing. */
    void abandon() {
        ended = true;
        timer.cancel();
    }

    private void end(String error) {
        if (ended) {
            return;
        }
        ended = true;
        timer.cancel();
        listener.onCompleted(error);
    }
}
