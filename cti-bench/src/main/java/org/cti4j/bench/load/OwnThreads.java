package org.cti4j.bench.load;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;

/**
 * The harness's own threads (relays, probe, launcher, sampler, hold timer), so that the CPU they use can be told
 * apart from the engine's: the engine runs in the same process.
 */
final class OwnThreads implements ThreadFactory {

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private final String prefix;
    private int next;

    OwnThreads(String prefix) {
        this.prefix = prefix;
    }

    /** Creates (does not start) a daemon thread of the harness. */
    @Override
    public synchronized Thread newThread(Runnable task) {
        Thread thread = new Thread(task, prefix + "-" + ++next);
        thread.setDaemon(true);
        threads.add(thread);
        return thread;
    }

    /** Creates (does not start) a named daemon thread of the harness. */
    Thread newThread(String name, Runnable task) {
        Thread thread = new Thread(task, prefix + "-" + name);
        thread.setDaemon(true);
        threads.add(thread);
        return thread;
    }

    /** Counts {@code thread} (the launcher: the harness's main thread) as one of the harness's. */
    void adopt(Thread thread) {
        threads.add(thread);
    }

    /** Returns whether the thread with this id is one of the harness's. */
    boolean owns(long threadId) {
        for (Thread thread : threads) {
            if (thread.getId() == threadId) {
                return true;
            }
        }
        return false;
    }

    /** Returns the CPU time all the harness's threads used so far, in nanoseconds (threads that ended: lost). */
    long cpuNanos() {
        long total = 0;
        for (Thread thread : threads) {
            long t = mx.getThreadCpuTime(thread.getId());
            if (t > 0) {
                total += t;
            }
        }
        return total;
    }
}
