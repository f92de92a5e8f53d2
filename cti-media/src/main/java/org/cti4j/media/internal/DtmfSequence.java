package org.cti4j.media.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.cti4j.core.spi.MediaOperation;

/**
 * Keys sent one after another as RFC 4733 events through a session's {@link DtmfSender}: each key waits for the one
 * before to be sent whole (its end packets and the gap after it), a {@code ,} waits {@value #PAUSE_MILLIS} ms. Its
 * listener hears the end once: all sent, stopped, or the session closed. A stop lets the key under way finish (its
 * end packets go out) and tells the listener only then. Advanced by the session's tick on the worker thread;
 * {@link #stop()} from any thread.
 */
final class DtmfSequence implements MediaOperation {

    /** The pause a {@code ,} makes. */
    static final int PAUSE_MILLIS = 500;

    private final String keys;
    private final DtmfSender sender;
    private final int keyMillis;
    private final MediaOperation.Listener listener;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean stopping;
    // worker only
    private int next;
    private long pauseUntil;
    private boolean pausing;

    DtmfSequence(String keys, DtmfSender sender, int keyMillis, MediaOperation.Listener listener) {
        this.keys = keys;
        this.sender = sender;
        this.keyMillis = keyMillis;
        this.listener = listener;
    }

    /** Worker thread: queues what is due; returns whether the sequence is over (all sent, or ended). */
    boolean tick(long now) {
        if (ended.get()) {
            return true;
        }
        if (stopping) {
            // The key under way (or queued by the last tick) goes out whole, end packets included; nothing after it.
            if (sender.busy()) {
                return false;
            }
            end(null);
            return true;
        }
        if (pausing && now - pauseUntil < 0) {
            return false;
        }
        pausing = false;
        if (sender.busy()) {
            return false;
        }
        if (next == keys.length()) {
            end(null);
            return true;
        }
        char key = keys.charAt(next++);
        if (key == ',') {
            pausing = true;
            pauseUntil = now + PAUSE_MILLIS * 1_000_000L;
        } else {
            sender.enqueue(Dtmf.event(key), keyMillis);
        }
        return false;
    }

    /** Ends it, telling the listener once; {@code error} {@code null} when it ended well. */
    void end(String error) {
        if (ended.compareAndSet(false, true)) {
            listener.onCompleted(error);
        }
    }

    /**
     * Stops sending: the key under way is finished (RFC 4733 needs its end packets), the rest is not sent; the listener
     * hears the end at the first tick after the key's last end packet (at once during a pause).
     */
    @Override
    public void stop() {
        stopping = true;
    }
}
