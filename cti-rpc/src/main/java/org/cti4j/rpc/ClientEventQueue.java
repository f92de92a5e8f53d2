package org.cti4j.rpc;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the client's listener calls one at a time, in the order they were queued, on an executor: the application's
 * or one daemon thread of the client's own. Serial for every resource at once, which keeps each resource's events in
 * order and nothing after its {@code onReleased}. A task that throws is logged and the next one runs.
 */
final class ClientEventQueue {

    private static final Logger log = LoggerFactory.getLogger(ClientEventQueue.class);
    /** Tasks run per turn on a shared executor before the queue lets other work in. */
    private static final int BATCH = 64;

    private final Executor executor;
    private final ExecutorService owned;
    private final Object lock = new Object();
    /** Guarded by lock: the listener calls not run yet, in order. */
    private final Queue<Task> tasks = new ArrayDeque<>();
    /** Guarded by lock: a drain is submitted or running. */
    private boolean scheduled;
    /** Set on the thread while it runs this queue's listener calls. */
    private final ThreadLocal<Boolean> draining = new ThreadLocal<>();

    private record Task(String what, Runnable action) {
    }

    /** Uses {@code executor}, or one daemon thread of its own when it is {@code null}. */
    ClientEventQueue(Executor executor) {
        if (executor == null) {
            owned = Executors.newSingleThreadExecutor(ClientThreads.daemon("cti4j-rpc-events"));
            this.executor = owned;
        } else {
            owned = null;
            this.executor = executor;
        }
    }

    /** Queues a listener call; {@code what} names it in the log if it throws. */
    void execute(String what, Runnable action) {
        synchronized (lock) {
            tasks.add(new Task(what, action));
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        submit();
    }

    private void submit() {
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            int dropped;
            synchronized (lock) {
                dropped = tasks.size();
                tasks.clear();
                scheduled = false;
            }
            log.warn("the event executor refused {} listener calls (is it shut down?)", dropped);
        }
    }

    /** Returns whether the calling thread is running this queue's listener calls right now. */
    boolean isListenerThread() {
        return draining.get() != null;
    }

    private void drain() {
        draining.set(Boolean.TRUE);
        try {
            drainBatch();
        } finally {
            draining.remove();
        }
    }

    private void drainBatch() {
        for (int i = 0; i < BATCH; i++) {
            Task task;
            synchronized (lock) {
                task = tasks.poll();
                if (task == null) {
                    scheduled = false;
                    return;
                }
            }
            try {
                task.action().run();
            } catch (RuntimeException | Error e) {
                log.warn("listener {} threw; the client goes on", task.what(), e);
            }
        }
        submit();
    }

    /** Lets the queued calls run, then ends the own thread (if any); an application's executor is left alone. */
    void shutdown() {
        if (owned != null) {
            // Queued drains still run; later submissions are refused and logged.
            execute("shutdown", owned::shutdown);
        }
    }
}
