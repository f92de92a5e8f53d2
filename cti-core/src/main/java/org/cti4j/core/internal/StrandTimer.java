package org.cti4j.core.internal;

import java.time.Duration;
import org.cti4j.core.Scheduler;

/**
 * A restartable timer of one resource, used only on its strand. An expiry that races with {@link #cancel()} or a
 * restart is recognised by its generation and ignored, so a cancelled timer never fires.
 */
final class StrandTimer {

    private final AbstractResource owner;
    private final String name;
    private Scheduler.Timer pending;
    private long generation;

    StrandTimer(AbstractResource owner, String name) {
        this.owner = owner;
        this.name = name;
    }

    /** (Re)starts the timer: {@code action} runs on the strand after {@code delay} unless cancelled first. */
    void start(Duration delay, Runnable action) {
        owner.checkOnStrand("timer start");
        cancel();
        long expected = generation;
        pending = owner.schedule(delay, () -> {
            if (generation == expected) {
                pending = null;
                generation++;
                action.run();
            }
        });
    }

    /** Stops the timer if it runs. */
    void cancel() {
        generation++;
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
    }

    @Override
    public String toString() {
        return owner.resId() + "/" + name;
    }
}
