package org.cti4j.media.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.cti4j.core.spi.MediaOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A playback under way on one session: gives the session's worker one 20 ms frame per tick, and completes exactly
 * once (end of the source, failure, {@link #stop()}, replacement by another playback, or the session's end).
 */
public abstract class Playback implements MediaOperation {

    /** {@link #nextFrame}: a frame was written. */
    public static final int FRAME = 0;
    /** {@link #nextFrame}: no audio is ready yet; the frame was filled with silence. */
    public static final int UNDERRUN = 1;
    /** {@link #nextFrame}: the source has ended; nothing was written. */
    public static final int ENDED = 2;

    private static final Logger log = LoggerFactory.getLogger(Playback.class);

    private final AtomicBoolean completed = new AtomicBoolean();
    private final Listener listener;

    public Playback(Listener listener) {
        this.listener = listener;
    }

    /** Worker thread: writes the next 160 samples into {@code frame}; returns {@link #FRAME}, ... */
    public abstract int nextFrame(short[] frame);

    /** Returns whether it has completed. */
    public final boolean isCompleted() {
        return completed.get();
    }

    /** Completes it, the first time only, and tells the listener. Any thread. Returns whether this call did. */
    public final boolean complete(String error) {
        if (!completed.compareAndSet(false, true)) {
            return false;
        }
        onCompleted();
        try {
            listener.onCompleted(error);
        } catch (RuntimeException e) {
            log.warn("a playback listener threw", e);
        }
        return true;
    }

    /** Releases what the playback holds, once, when it completes. */
    public void onCompleted() {
    }

    /** Stops the playback; the listener hears {@code null} now unless it already completed. Safe to call twice. */
    @Override
    public final void stop() {
        complete(null);
    }
}
