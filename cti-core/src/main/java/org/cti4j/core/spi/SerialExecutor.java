package org.cti4j.core.spi;

import java.util.concurrent.Executor;
import org.cti4j.core.internal.Strand;

/**
 * A serial executor on a shared pool, as the engine runs each resource: tasks run one at a time, in submission
 * order, never two at once, on whichever pool thread is free. Providers keep the state of a signalling leg or a media
 * session in plain fields touched only by tasks of one serial executor, the same way the engine does for a resource.
 *
 * <p>{@link #execute} may be called from any thread and never blocks. A task that throws is logged and the executor
 * goes on. If the pool refuses work (it is shut down), the queued tasks are dropped and logged.
 */
public interface SerialExecutor extends Executor {

    /**
     * Returns a serial executor whose tasks run on {@code pool}.
     *
     * @param name names the executor in logs
     * @param pool the shared pool its tasks run on
     */
    static SerialExecutor create(String name, Executor pool) {
        return new Strand(name, pool);
    }

    /** Returns whether the calling thread is running a task of this executor. */
    boolean isCurrent();
}
