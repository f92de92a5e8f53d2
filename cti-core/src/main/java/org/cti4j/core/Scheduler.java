package org.cti4j.core;

import java.time.Duration;

/**
 * Runs tasks after a delay: the engine's timers ({@code max_ring_seconds}, {@code max_answer_seconds},
 * {@code max_connect_seconds}, the inbound answer timeout, a conference's {@code max_seconds}). The engine hands each
 * expiry to the owning resource's strand, so a task must only post work, never do it.
 *
 * <p>The default runs on one shared timer thread. Tests may give a {@code org.cti4j.core.testing.ManualScheduler}
 * to move time by hand.
 */
public interface Scheduler {

    /**
     * Runs {@code task} once after {@code delay}, unless cancelled first.
     *
     * @return a handle to cancel it
     */
    Timer schedule(Duration delay, Runnable task);

    /** A scheduled task. */
    @FunctionalInterface
    interface Timer {

        /** Cancels the task if it has not run. Safe to call twice, and after it ran. */
        void cancel();
    }
}
