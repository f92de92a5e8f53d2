package org.cti4j.core.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cti4j.core.spi.SerialExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A serial executor on a shared pool: tasks run one at a time, in submission order, never two at once, on whichever
 * pool thread is free. A resource's state lives in plain fields touched only by tasks of its strand; providers use
 * strands the same way for the state of a signalling leg or a media session.
 *
 * <p>A task that throws is logged and the strand goes on. After a batch of tasks the strand gives its thread back,
 * so that one busy strand cannot starve the others. {@link #execute} may be called from any thread and never
 * blocks; if the pool refuses work (it is shut down) the queued tasks are dropped and logged.
 */
public final class Strand implements SerialExecutor {

    private static final Logger log = LoggerFactory.getLogger(Strand.class);
    private static final int BATCH = 64;

    /** The strand whose task the current thread runs, if any: see {@link #currentGroup()}. */
    private static final ThreadLocal<Strand> CURRENT = new ThreadLocal<>();

    private final String name;
    private final Executor pool;
    private final Object group;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile Thread runner;

    /**
     * Creates a strand.
     *
     * @param name names the strand in logs
     * @param pool the shared pool its tasks run on
     */
    public Strand(String name, Executor pool) {
        this(name, pool, null);
    }

    /**
     * Creates a strand that belongs to {@code group}: the engine gives its resources' strands one group and their
     * listener dispatchers another, so that a blocking call can tell what kind of thread it is on.
     *
     * @param name names the strand in logs
     * @param pool the shared pool its tasks run on
     * @param group what the strand belongs to, or {@code null}
     */
    public Strand(String name, Executor pool, Object group) {
        this.name = name;
        this.pool = pool;
        this.group = group;
    }

    /**
     * Returns the group of the strand whose task the calling thread is running (the innermost one, when an executor
     * that runs tasks inline nests one strand's task in another's), or {@code null} if it runs none.
     */
    public static Object currentGroup() {
        Strand current = CURRENT.get();
        return current != null ? current.group : null;
    }

    /** Queues {@code task} to run after every task queued before it. */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    /** Returns whether the calling thread is running a task of this strand. */
    public boolean inStrand() {
        return runner == Thread.currentThread();
    }

    @Override
    public boolean isCurrent() {
        return inStrand();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                log.warn("{}: pool refused work ({} tasks dropped): the engine is stopped", name, tasks.size());
                tasks.clear();
            }
        }
    }

    private void drain() {
        runner = Thread.currentThread();
        Strand outer = CURRENT.get();
        CURRENT.set(this);
        try {
            for (int i = 0; i < BATCH; i++) {
                Runnable task = tasks.poll();
                if (task == null) {
                    break;
                }
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    log.error("{}: a task failed", name, e);
                }
            }
        } finally {
            if (outer != null) {
                CURRENT.set(outer);
            } else {
                CURRENT.remove();
            }
            runner = null;
            scheduled.set(false);
        }
        if (!tasks.isEmpty()) {
            schedule();
        }
    }

    @Override
    public String toString() {
        return "Strand[" + name + "]";
    }
}
