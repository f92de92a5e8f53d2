package org.cti4j.core.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.cti4j.core.Scheduler;

/**
 * A {@link Scheduler} and clock whose time moves only when a test says so: {@link #advance(Duration)} runs every task
 * that falls due, in order, on the calling thread. Give the same instance to
 * {@link org.cti4j.core.CoreEngine.Builder#scheduler} and {@link org.cti4j.core.CoreEngine.Builder#clock}.
 *
 * <p>Thread-safe, and time never moves back: advances from several threads take turns, each one moving time by its
 * whole duration from where the previous one left it, so that the end time is the same whatever their interleaving.
 * A task may advance the clock itself; a task that waits for another thread's advance would wait forever.
 */
public final class ManualScheduler implements Scheduler, InstantSource {

    private final Instant origin;
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    /** Held for a whole {@link #advance}, so that two advances never interleave (a task may advance again). */
    private final ReentrantLock advancing = new ReentrantLock();
    private long nowNanos;
    private long sequence;

    /** Starts the clock at {@code origin}. */
    public ManualScheduler(Instant origin) {
        this.origin = origin;
    }

    /** Starts the clock at the current system time. */
    public ManualScheduler() {
        this(Instant.ofEpochMilli(System.currentTimeMillis()));
    }

    private static final class Task implements Comparable<Task>, Timer {
        final long due;
        final long order;
        final Runnable action;
        final ManualScheduler owner;
        boolean cancelled;

        Task(ManualScheduler owner, long due, long order, Runnable action) {
            this.owner = owner;
            this.due = due;
            this.order = order;
            this.action = action;
        }

        @Override
        public int compareTo(Task other) {
            return due != other.due ? Long.compare(due, other.due) : Long.compare(order, other.order);
        }

        @Override
        public void cancel() {
            synchronized (owner) {
                cancelled = true;
                owner.tasks.remove(this);
            }
        }
    }

    @Override
    public synchronized Timer schedule(Duration delay, Runnable action) {
        Task task = new Task(this, nowNanos + Math.max(0, delay.toNanos()), sequence++, action);
        tasks.add(task);
        return task;
    }

    @Override
    public synchronized Instant instant() {
        return origin.plusNanos(nowNanos);
    }

    /** Returns how many tasks wait to fall due. */
    public synchronized int pending() {
        return tasks.size();
    }

    /** Returns the delays, from now, of the tasks waiting to fall due, soonest first. */
    public synchronized List<Duration> pendingDelays() {
        List<Task> sorted = new ArrayList<>(tasks);
        sorted.sort(null);
        return sorted.stream().map(t -> Duration.ofNanos(t.due - nowNanos)).toList();
    }

    /** Moves time forward by {@code duration}, running every task that falls due, in order. */
    public void advance(Duration duration) {
        advancing.lock();
        try {
            long target;
            synchronized (this) {
                target = nowNanos + duration.toNanos();
            }
            while (true) {
                Task next;
                synchronized (this) {
                    next = tasks.peek();
                    if (next == null || next.due > target) {
                        // A task that advanced the clock itself may have moved it past this target.
                        nowNanos = Math.max(nowNanos, target);
                        return;
                    }
                    tasks.poll();
                    nowNanos = Math.max(nowNanos, next.due);
                }
                if (!next.cancelled) {
                    next.action.run();
                }
            }
        } finally {
            advancing.unlock();
        }
    }
}
