package org.cti4j.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cti4j.api.Call;
import org.cti4j.api.CallListener;
import org.cti4j.api.Conference;
import org.cti4j.api.ConferenceListener;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.DialOptions;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackListener;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.EngineFailureException;
import org.cti4j.api.EngineStatistics;
import org.cti4j.api.EngineUnavailableException;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.RecordFormat;
import org.cti4j.api.Resource;
import org.cti4j.core.Scheduler;
import org.cti4j.core.spi.InboundLeg;
import org.cti4j.core.spi.LegListener;
import org.cti4j.core.spi.MediaException;
import org.cti4j.core.spi.SignalingProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link org.cti4j.core.CoreEngine}: the registry of resources, their creation, and the engine's
 * lifecycle (start, shutdown, stop). Internal: applications use {@code CoreEngine} or
 * {@link org.cti4j.api.CtiEngine#builder()}.
 */
public final class Engine {

    private static final Logger log = LoggerFactory.getLogger(Engine.class);
    /** How long {@link #close()} waits for the providers to stop once the shutdown timeout has passed. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(70);
    /** What a draining engine tells callers it refuses (SIP {@code Retry-After}): try again in a minute, elsewhere. */
    static final Duration DRAIN_RETRY_AFTER = Duration.ofSeconds(60);
    /** What an engine at its limits tells callers it refuses: try again in a few seconds. */
    static final Duration OVERLOAD_RETRY_AFTER = Duration.ofSeconds(5);

    private final String nodeId;
    private final EngineContext ctx;
    private final Duration shutdownTimeout;
    private final List<ExecutorService> ownedExecutors = new ArrayList<>();
    private final SystemScheduler ownedScheduler;
    private final Object lifecycle = new Object();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile CallListener incomingCallListener;
    /** Guarded by {@link #lifecycle}. */
    private boolean shuttingDown;
    /** Guarded by {@link #lifecycle}: {@link #drain} was called; no new resource is taken. */
    private boolean draining;
    private final int maxLiveCalls;
    private final int maxCallsPerSecond;
    /** Guarded by {@link #lifecycle}: the second of the clock new calls are counted in, and how many came in it. */
    private long rateSecond = Long.MIN_VALUE;
    private int rateCount;

    /**
     * Builds the engine and starts its signalling provider.
     *
     * @throws EngineFailureException if the signalling provider cannot start
     */
    public Engine(EngineSettings s) {
        this.nodeId = s.nodeId();
        this.shutdownTimeout = s.shutdownTimeout();
        this.maxLiveCalls = s.maxLiveCalls();
        this.maxCallsPerSecond = s.maxCallsPerSecond();
        this.incomingCallListener = s.incomingCallListener();
        Scheduler scheduler = s.scheduler();
        if (scheduler == null) {
            ownedScheduler = new SystemScheduler("cti4j-timer");
            scheduler = ownedScheduler;
        } else {
            ownedScheduler = null;
        }
        Executor events = s.eventExecutor() != null ? s.eventExecutor()
                : own(Executors.newFixedThreadPool(2, NamedThreadFactory.daemon("cti4j-events")));
        Executor strands = s.strandPool() != null ? s.strandPool()
                : own(Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                        NamedThreadFactory.daemon("cti4j-strand")));
        this.ctx = new EngineContext(new ResIds(nodeId, s.clock()), s.clock(), scheduler, strands, events,
                s.signaling(), s.media(), s.cdrListener(), s.inboundAnswerTimeout(), s.files(), this::checkQuiet);
        try {
            s.signaling().start(new SignalingProvider.InboundCallHandler() {
                @Override
                public LegListener onInboundCall(InboundLeg leg) {
                    return Engine.this.onInboundCall(leg);
                }

                @Override
                public Duration refusal() {
                    return Engine.this.refusal();
                }
            });
        } catch (RuntimeException e) {
            if (stopped.compareAndSet(false, true)) {
                stopProvidersAndThreads();
            }
            throw e instanceof EngineFailureException ef ? ef
                    : new EngineFailureException("the signalling provider failed to start: " + e.getMessage(), e);
        }
        log.info("cti4j engine {} started", nodeId);
    }

    private ExecutorService own(ExecutorService executor) {
        ownedExecutors.add(executor);
        return executor;
    }

    /** Returns the node id. */
    public String nodeId() {
        return nodeId;
    }

    /** See {@link org.cti4j.api.CtiEngine#dial}. */
    public Call dial(DialOptions options, CallListener listener) {
        CallResource call = CallResource.outbound(ctx, options, listener);
        register(call, call::startOutbound);
        return call;
    }

    /** See {@link org.cti4j.api.CtiEngine#startDuoCallback}. */
    public DuoCallback startDuoCallback(DuoCallbackOptions options, DuoCallbackListener listener) {
        if (Objects.requireNonNull(options, "options").isRecorded()) {
            RecordingOutcome.requireRecordable(ctx.media, options.recordFormat(), options.recordFile());
        }
        DuoCallbackResource duo = new DuoCallbackResource(ctx, options, listener);
        register(duo, duo::start);
        return duo;
    }

    /** See {@link org.cti4j.api.CtiEngine#createConference}. */
    public Conference createConference(ConferenceOptions options, ConferenceListener listener) {
        if (Objects.requireNonNull(options, "options").isRecorded()) {
            RecordingOutcome.requireRecordable(ctx.media, RecordFormat.forFileName(options.recordFile()),
                    options.recordFile());
        }
        ConferenceResource conference;
        try {
            conference = new ConferenceResource(ctx, options, listener);
        } catch (MediaException e) {
            throw new EngineFailureException("cannot create a conference: " + e.getMessage(), e);
        }
        register(conference, conference::start);
        return conference;
    }

    /** Registers {@code resource} and has it begin with {@code first}, before any command another thread posts. */
    private void register(AbstractResource resource, Runnable first) {
        resource.beginWith(first);
        synchronized (lifecycle) {
            if (shuttingDown) {
                throw new EngineFailureException("engine " + nodeId + " is shut down: " + resource.module()
                        + " refused");
            }
            if (draining) {
                throw new EngineUnavailableException("engine " + nodeId + " is draining: " + resource.module()
                        + " refused; place it on another engine");
            }
            String overloaded = admit(EngineContext.callsOf(resource));
            if (overloaded != null) {
                throw new EngineUnavailableException("engine " + nodeId + " is at its limit: " + overloaded + "; "
                        + resource.module() + " refused; place it on another engine or try again later");
            }
            ctx.register(resource);
        }
        resource.begin();
    }

    private LegListener onInboundCall(InboundLeg leg) {
        CallResource call;
        synchronized (lifecycle) {
            if (shuttingDown || draining) {
                leg.reject(503, DRAIN_RETRY_AFTER);
                return new LegListener() { };
            }
            String overloaded = admit(1);
            if (overloaded != null) {
                log.debug("cti4j engine {}: an inbound call refused with 503: {}", nodeId, overloaded);
                leg.reject(503, OVERLOAD_RETRY_AFTER);
                return new LegListener() { };
            }
            call = CallResource.inbound(ctx, leg, incomingCallListener);
            call.beginWith(call::startInbound);
            ctx.register(call);
        }
        call.begin();
        return call.legListener();
    }

    /** See {@link org.cti4j.api.CtiEngine#find}. */
    public Optional<Resource> find(String resId) {
        if (resId == null) {
            throw new InvalidArgumentException("res_id", "res_id is missing");
        }
        return Optional.ofNullable(ctx.registry.get(resId));
    }

    /** See {@link org.cti4j.api.CtiEngine#resources}. */
    public List<Resource> resources() {
        return List.copyOf(ctx.registry.values());
    }

    /** See {@link org.cti4j.api.CtiEngine#setIncomingCallListener}. */
    public void setIncomingCallListener(CallListener listener) {
        this.incomingCallListener = listener;
    }

    /** See {@link org.cti4j.api.CtiEngine#shutdown}. */
    public CompletionStage<Void> shutdown() {
        List<AbstractResource> live;
        synchronized (lifecycle) {
            if (shuttingDown) {
                return terminated.minimalCompletionStage();
            }
            shuttingDown = true;
            live = List.copyOf(ctx.registry.values());
        }
        log.info("cti4j engine {} shutting down: releasing {} resources", nodeId, live.size());
        for (AbstractResource resource : live) {
            resource.post(resource::shutdown);
        }
        checkQuiet();
        return terminated.minimalCompletionStage();
    }

    /**
     * Takes {@code calls} new calls if the limits allow them, counting them in this second; returns why not, or
     * {@code null}. Work that is no call (a conference) is always taken. Called holding {@link #lifecycle}.
     */
    private String admit(int calls) {
        if (calls == 0) {
            return null;
        }
        int live = ctx.liveCalls.get();
        if (maxLiveCalls > 0 && live + calls > maxLiveCalls) {
            return live + " calls live, at most " + maxLiveCalls + " allowed (max_live_calls)";
        }
        if (maxCallsPerSecond > 0) {
            long second = Math.floorDiv(ctx.clock.millis(), 1000);
            if (second != rateSecond) {
                rateSecond = second;
                rateCount = 0;
            }
            if (rateCount >= maxCallsPerSecond) {
                return maxCallsPerSecond + " new calls in this second already (max_calls_per_second)";
            }
            rateCount++;
        }
        return null;
    }

    /** See {@link org.cti4j.core.CoreEngine#drain}. */
    public CompletionStage<Void> drain(Duration maxWait) {
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) {
            throw new InvalidArgumentException("max_wait", "max_wait " + maxWait + " is negative");
        }
        int live;
        synchronized (lifecycle) {
            if (shuttingDown || draining) {
                return terminated.minimalCompletionStage();
            }
            draining = true;
            live = ctx.registry.size();
        }
        log.info("cti4j engine {} draining: no new calls or resources; {} live ones may go on for up to {} s", nodeId,
                live, maxWait.toSeconds());
        ctx.scheduler.schedule(maxWait, () -> {
            if (!terminated.isDone()) {
                log.info("cti4j engine {}: drain time over; shutting down what is left", nodeId);
                shutdown();
            }
        });
        checkQuiet();
        return terminated.minimalCompletionStage();
    }

    /**
     * Whether new inbound calls are refused now, with the {@code Retry-After} to give them: draining (or shutting
     * down), or at the limit of live calls. Not the rate limit: a probe answered 503 for the rest of one busy second
     * would take the engine out of a proxy's set for longer than that second.
     */
    private Duration refusal() {
        synchronized (lifecycle) {
            if (draining || shuttingDown) {
                return DRAIN_RETRY_AFTER;
            }
        }
        return maxLiveCalls > 0 && ctx.liveCalls.get() >= maxLiveCalls ? OVERLOAD_RETRY_AFTER : null;
    }

    /** See {@link org.cti4j.core.CoreEngine#isDraining}. */
    public EngineStatistics statistics() {
        return new EngineStatistics(ctx.media.statistics(), ctx.signaling.statistics());
    }

    public boolean isDraining() {
        synchronized (lifecycle) {
            return draining || shuttingDown;
        }
    }

    /**
     * Shuts down and waits, as {@link org.cti4j.core.CoreEngine#close()} documents: on one of the engine's own
     * threads (a listener, a strand) it starts the shutdown and returns without waiting, since what it would wait for
     * includes the very listener call or task that is running.
     */
    public void close() {
        CompletableFuture<Void> done = shutdown().toCompletableFuture();
        if (ctx.onListenerThread() || ctx.onStrandThread()) {
            log.debug("cti4j engine {}: closed from its own thread {}; not waiting for the shutdown", nodeId,
                    Thread.currentThread().getName());
            return;
        }
        try {
            done.get(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return;
        } catch (TimeoutException e) {
            if (!stopped.get()) {
                log.warn("cti4j engine {}: {} resources still live after {}; stopping anyway", nodeId,
                        ctx.registry.size(), shutdownTimeout);
            }
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            return;
        } catch (ExecutionException e) {
            log.warn("cti4j engine {}: shutdown failed", nodeId, e.getCause());
            return;
        }
        try {
            done.get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("cti4j engine {}: the providers did not stop within {}", nodeId, STOP_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkQuiet() {
        boolean stopping;
        boolean drained;
        synchronized (lifecycle) {
            stopping = shuttingDown;
            drained = draining && !shuttingDown && ctx.registry.isEmpty();
        }
        if (drained) {
            // the last live resource of a draining engine went: nothing is left to wait for
            shutdown();
        } else if (stopping && ctx.registry.isEmpty() && ctx.pendingEvents.get() == 0) {
            stop();
        }
    }

    /**
     * Stops providers and threads, once, on a thread of its own: this is called on a strand or an event thread when
     * the last resource goes, and closing the providers may wait (the SIP provider lets the last BYEs leave), which
     * must block neither. Not a daemon thread, so that an application whose main thread ends after
     * {@link #shutdown()} still gets its BYEs out.
     */
    private void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        Thread stopper = new Thread(this::stopProvidersAndThreads, "cti4j-stop-" + nodeId);
        try {
            stopper.start();
        } catch (OutOfMemoryError | RuntimeException e) {
            // No thread to be had: stopping here is better than not stopping.
            stopProvidersAndThreads();
        }
    }

    private void stopProvidersAndThreads() {
        try {
            stopProviders();
            for (ExecutorService executor : ownedExecutors) {
                executor.shutdown();
            }
            if (ownedScheduler != null) {
                ownedScheduler.close();
            }
            log.info("cti4j engine {} stopped", nodeId);
        } finally {
            terminated.complete(null);
        }
    }

    private void stopProviders() {
        try {
            ctx.signaling.close();
        } catch (RuntimeException e) {
            log.warn("cti4j engine {}: the signalling provider failed to close", nodeId, e);
        }
        try {
            ctx.media.close();
        } catch (RuntimeException e) {
            log.warn("cti4j engine {}: the media provider failed to close", nodeId, e);
        }
    }
}
