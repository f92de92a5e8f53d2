package org.cti4j.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.cti4j.api.EngineFailureException;
import org.cti4j.api.InvalidStateException;
import org.cti4j.api.Resource;
import org.cti4j.core.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every resource implementation shares: its id, its strand (all its state is touched only there), its ordered
 * event dispatch, and the guarantee that nothing is dispatched after its final event.
 */
abstract class AbstractResource implements Resource {

    private static final Logger log = LoggerFactory.getLogger(AbstractResource.class);

    final EngineContext ctx;
    private final String resId;
    private final long processId;
    private final String module;
    private final Instant beginTime;
    /** The latest time this resource has read; see {@link #now()}. */
    private final AtomicReference<Instant> lastTime;
    private final Strand strand;
    private final EventDispatcher events;
    /** Strand-confined: the final event was dispatched; nothing may follow it. */
    private boolean finalEventSent;
    private volatile boolean released;
    /**
     * What the resource does first (dial, offer, start), until it has run; see {@link #beginWith(Runnable)}. Set
     * before the resource is published, then cleared on the strand.
     */
    private volatile Runnable start;

    AbstractResource(EngineContext ctx, String module) {
        this.ctx = ctx;
        this.module = module;
        this.processId = ctx.ids.nextProcessId();
        this.resId = ctx.ids.resId(module, processId);
        this.beginTime = ctx.now();
        this.lastTime = new AtomicReference<>(beginTime);
        this.strand = new Strand(resId, ctx.strandPool, ctx.strandGroup);
        this.events = new EventDispatcher(resId, ctx.eventExecutor, ctx.listenerGroup);
    }

    @Override
    public final String resId() {
        return resId;
    }

    @Override
    public final long processId() {
        return processId;
    }

    @Override
    public final String module() {
        return module;
    }

    @Override
    public final Instant beginTime() {
        return beginTime;
    }

    @Override
    public final boolean isReleased() {
        return released;
    }

    /**
     * Returns the engine clock's time, but never earlier than a time this resource read before: the times of one
     * resource and its legs (begin, answer, connect, end, state changes) are in the order they were taken even if
     * the clock steps back (a wall clock set back by NTP or by hand), so that no CDR ends before it began or was
     * answered. A step back shows as time standing still for the resource until the clock catches up.
     */
    final Instant now() {
        Instant now = ctx.now();
        return lastTime.accumulateAndGet(now, (last, read) -> read.isAfter(last) ? read : last);
    }

    /**
     * Makes {@code first} the first thing this resource does on its strand (dial, offer, start), whatever order
     * threads post in: any task posted before it ran (an API call on a resource found with {@code resources()} the
     * moment it was registered, a far end's message) runs it first. Called by the creating thread before the
     * resource is registered; {@link #begin()} posts it once it is.
     */
    final void beginWith(Runnable first) {
        start = first;
    }

    /** Posts the start given to {@link #beginWith}: called once the resource is registered. */
    final void begin() {
        strand.execute(this::runStart);
    }

    /** Runs {@code task} on this resource's strand, after the resource's start. */
    final void post(Runnable task) {
        if (start == null) {
            // Started already (it is cleared only once it ran): nothing to put first.
            strand.execute(task);
            return;
        }
        strand.execute(() -> {
            runStart();
            task.run();
        });
    }

    /** On the strand: runs the start if it has not run yet. */
    private void runStart() {
        Runnable first = start;
        if (first != null) {
            start = null;
            first.run();
        }
    }

    /** Returns whether the calling thread is running a task of this resource's strand. */
    final boolean inStrand() {
        return strand.inStrand();
    }

    /**
     * Checks that the calling thread runs a task of this resource's strand, where all its state lives: called at the
     * entry of every method that may run only there, so that a call from elsewhere fails at once, naming itself,
     * rather than racing the strand.
     *
     * @throws IllegalStateException if called on another thread (a bug in the engine)
     */
    final void checkOnStrand(String method) {
        if (!strand.inStrand()) {
            throw new IllegalStateException(resId + ": " + method + " may run only on the resource's strand, not on"
                    + " thread " + Thread.currentThread().getName());
        }
    }

    /**
     * Runs {@code command} on this resource's strand and waits for it, so that an API call is checked against, and
     * applied to, the live state before it returns: a caller that calls {@code answer()} then {@code playStart()}
     * finds the call answered. Waiting is short (one hop to a strand that never blocks); a caller that is running
     * on this strand already (a listener on a direct event executor) runs the command inline. A caller on the strand
     * of another resource of the engine may not wait (a strand never blocks: with every pool thread waiting so, no
     * strand could run) and is refused at once.
     *
     * @throws RuntimeException what the command threw ({@link InvalidStateException}, ...)
     * @throws IllegalStateException if called on the strand of another resource of this engine
     * @throws org.cti4j.api.EngineFailureException if the engine does not run the command within 10 s
     */
    final <T> T call(Supplier<T> command) {
        if (strand.inStrand()) {
            return command.get();
        }
        if (ctx.onStrandThread()) {
            throw new IllegalStateException(resId + ": an operation on it was called on thread "
                    + Thread.currentThread().getName() + ", which runs another resource's strand; an engine thread"
                    + " must not wait for a strand: call it from a listener on an event executor that is not the"
                    + " strand's (the engine's own, by default) or from an application thread");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        post(() -> {
            try {
                result.complete(command.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                runtime.setStackTrace(new Throwable().getStackTrace());
                throw runtime;
            }
            throw new EngineFailureException(resId + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new EngineFailureException(resId + ": the engine did not take the command within"
                    + " 10 s (is it shut down, or are its threads blocked?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineFailureException(resId + ": interrupted while waiting for the engine");
        }
    }

    /**
     * Runs the API operation {@code command} on this resource's strand, as {@link #call} does, unless the resource is
     * released: that is final, so it is refused at once on any thread (the strand may have stopped), and again on
     * the strand if the resource was released while the command waited its turn.
     *
     * @throws InvalidStateException naming {@code operation} if the resource is released, or what the command threw
     */
    final void callUnlessReleased(String operation, Runnable command) {
        if (released) {
            throw refused(operation, "RELEASED", "released");
        }
        call(() -> {
            if (released) {
                throw refused(operation, "RELEASED", "released");
            }
            command.run();
            return null;
        });
    }

    /** Returns a timer whose expiry runs on this resource's strand. */
    final StrandTimer newTimer(String name) {
        return new StrandTimer(this, name);
    }

    /** On the strand: the engine shuts down; end the resource as quickly as the protocol allows. */
    abstract void shutdown();

    /** On the strand: queues a listener call, unless the final event was already sent. */
    final void emit(String what, Runnable listenerCall) {
        checkOnStrand("emit " + what);
        if (finalEventSent) {
            log.error("{}: {} after the final event was dropped (a bug in cti4j)", resId, what);
            return;
        }
        ctx.pendingEvents.incrementAndGet();
        events.dispatch(what, () -> {
            try {
                listenerCall.run();
            } finally {
                ctx.eventDone();
            }
        });
    }

    /**
     * On the strand: marks the resource released, removes it from the registry, and queues its final calls (the
     * listener's {@code onReleased}, completing {@code whenReleased}, the CDRs), each guarded on its own so that one
     * that throws does not stop the next; nothing can be emitted afterwards.
     */
    final void emitFinal(String what, Runnable... calls) {
        checkOnStrand("emitFinal " + what);
        // Released and out of the registry before any final call can run, so that onReleased sees the resource gone;
        // the extra pending event keeps a shutdown from seeing the engine quiet before those calls are queued.
        released = true;
        ctx.pendingEvents.incrementAndGet();
        try {
            ctx.unregister(this);
            for (Runnable call : calls) {
                emit(what, call);
            }
            finalEventSent = true;
        } finally {
            ctx.eventDone();
        }
    }

    /** Builds the exception for an operation the current state forbids. */
    final InvalidStateException refused(String operation, String state, String why) {
        return new InvalidStateException(resId, state, operation, why);
    }

    /** Called by a {@link StrandTimer}; a plain relay so timers can reach {@link #post}. */
    final Scheduler.Timer schedule(Duration delay, Runnable onStrand) {
        return ctx.scheduler.schedule(delay, () -> post(onStrand));
    }

    @Override
    public String toString() {
        return resId;
    }
}
