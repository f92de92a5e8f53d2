package org.cti4j.core;

import java.time.Duration;
import java.time.InstantSource;
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
import org.cti4j.api.CdrListener;
import org.cti4j.api.Conference;
import org.cti4j.api.ConferenceListener;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.DialOptions;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackListener;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.EngineFailureException;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.MediaFiles;
import org.cti4j.api.RecordFormat;
import org.cti4j.api.Resource;
import org.cti4j.core.spi.InboundLeg;
import org.cti4j.core.spi.LegListener;
import org.cti4j.core.spi.MediaException;
import org.cti4j.core.spi.MediaProvider;
import org.cti4j.core.spi.SignalingProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cti4j engine: resources as actors over a {@link SignalingProvider} and a {@link MediaProvider}.
 *
 * <pre>
 *  application ──▶ CoreEngine ──▶ CallResource / DuoCallbackResource / ConferenceResource
 *                                    one strand each (serial tasks on a shared pool): state machine, timers
 *                                    │ listener calls, in order, on the event executor
 *                     SignalingProvider (cti-sip)          MediaProvider (cti-media)
 * </pre>
 *
 * <p>Applications usually get an engine from {@link CtiEngine#builder()}, which finds the providers on the class
 * path. {@link #builder()} builds one with providers given by hand — real ones, or the test doubles of
 * {@link org.cti4j.core.testing} to unit-test an application without a network.
 */
public final class CoreEngine implements CtiEngine {

    private static final Logger log = LoggerFactory.getLogger(CoreEngine.class);

    private final String nodeId;
    private final EngineContext ctx;
    /** How long {@link #close()} waits for the providers to stop once the shutdown timeout has passed. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(70);

    private final Duration shutdownTimeout;
    private final List<ExecutorService> ownedExecutors = new ArrayList<>();
    private final SystemScheduler ownedScheduler;
    private final Object lifecycle = new Object();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile CallListener incomingCallListener;
    /** Guarded by {@link #lifecycle}. */
    private boolean shuttingDown;

    private CoreEngine(Builder b) {
        this.nodeId = b.nodeId;
        this.shutdownTimeout = b.shutdownTimeout;
        this.incomingCallListener = b.incomingCallListener;
        Scheduler scheduler = b.scheduler;
        if (scheduler == null) {
            ownedScheduler = new SystemScheduler("cti4j-timer");
            scheduler = ownedScheduler;
        } else {
            ownedScheduler = null;
        }
        Executor events = b.eventExecutor != null ? b.eventExecutor
                : own(Executors.newFixedThreadPool(2, NamedThreadFactory.daemon("cti4j-events")));
        Executor strands = b.strandPool != null ? b.strandPool
                : own(Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                        NamedThreadFactory.daemon("cti4j-strand")));
        this.ctx = new EngineContext(new ResIds(nodeId, b.clock), b.clock, scheduler, strands, events, b.signaling,
                b.media, b.cdrListener, b.inboundAnswerTimeout, b.files, this::checkQuiet);
        try {
            b.signaling.start(this::onInboundCall);
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

    /** Returns a builder for an engine with the given providers. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public Call dial(DialOptions options, CallListener listener) {
        CallResource call = CallResource.outbound(ctx, options, listener);
        register(call, call::startOutbound);
        return call;
    }

    @Override
    public DuoCallback startDuoCallback(DuoCallbackOptions options, DuoCallbackListener listener) {
        if (Objects.requireNonNull(options, "options").isRecorded()) {
            RecordingOutcome.requireRecordable(ctx.media, options.recordFormat(), options.recordFile());
        }
        DuoCallbackResource duo = new DuoCallbackResource(ctx, options, listener);
        register(duo, duo::start);
        return duo;
    }

    @Override
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
            ctx.register(resource);
        }
        resource.begin();
    }

    private LegListener onInboundCall(InboundLeg leg) {
        CallResource call;
        synchronized (lifecycle) {
            if (shuttingDown) {
                leg.reject(503);
                return new LegListener() { };
            }
            call = CallResource.inbound(ctx, leg, incomingCallListener);
            call.beginWith(call::startInbound);
            ctx.register(call);
        }
        call.begin();
        return call.legListener();
    }

    @Override
    public Optional<Resource> find(String resId) {
        if (resId == null) {
            throw new InvalidArgumentException("res_id", "res_id is missing");
        }
        return Optional.ofNullable(ctx.registry.get(resId));
    }

    @Override
    public List<Resource> resources() {
        return List.copyOf(ctx.registry.values());
    }

    @Override
    public void setIncomingCallListener(CallListener listener) {
        this.incomingCallListener = listener;
    }

    @Override
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
     * {@inheritDoc}
     *
     * <p>Waits up to the shutdown timeout for the resources to be released, then for the providers to stop: the SIP
     * provider lets the last BYEs, CANCELs and final responses leave and be answered first (the 200 of each BYE, the
     * 487 of each cancelled INVITE, the ACK of each refusal; at most {@code sip.close-drain-seconds}, 4 s by
     * default).
     */
    @Override
    public void close() {
        CompletableFuture<Void> done = shutdown().toCompletableFuture();
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
        boolean draining;
        synchronized (lifecycle) {
            draining = shuttingDown;
        }
        if (draining && ctx.registry.isEmpty() && ctx.pendingEvents.get() == 0) {
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

    /** Builds a {@link CoreEngine}. Not thread-safe. */
    public static final class Builder {
        private String nodeId = "0.0.0";
        private SignalingProvider signaling;
        private MediaProvider media;
        private CallListener incomingCallListener;
        private CdrListener cdrListener = record -> { };
        private Executor eventExecutor;
        private Executor strandPool;
        private Duration inboundAnswerTimeout = Duration.ofSeconds(60);
        private MediaFiles files = MediaFiles.unrestricted();
        private InstantSource clock = InstantSource.system();
        private Scheduler scheduler;
        private Duration shutdownTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /** Sets the node id, {@code area.station.instance} (default {@code 0.0.0}). */
        public Builder nodeId(String nodeId) {
            this.nodeId = CtiEngine.Builder.checkNodeId(nodeId);
            return this;
        }

        /** Sets the signalling provider (required). The engine starts it, and closes it on shutdown. */
        public Builder signaling(SignalingProvider signaling) {
            this.signaling = Objects.requireNonNull(signaling, "signaling");
            return this;
        }

        /** Sets the media provider (required). The engine closes it on shutdown. */
        public Builder media(MediaProvider media) {
            this.media = Objects.requireNonNull(media, "media");
            return this;
        }

        /** Sets the listener inbound calls are offered to (default none: they are refused with 480). */
        public Builder incomingCallListener(CallListener listener) {
            this.incomingCallListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Sets the CDR listener (default none). */
        public Builder cdrListener(CdrListener listener) {
            this.cdrListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Sets the executor listener methods run on (default: two threads of the engine's own). */
        public Builder eventExecutor(Executor executor) {
            this.eventExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Sets the pool every resource's strand runs on (default: a thread per core of the engine's own). Package
         * private: for tests that run the strands' tasks themselves, in an order of their choosing.
         */
        Builder strandPool(Executor pool) {
            this.strandPool = Objects.requireNonNull(pool, "pool");
            return this;
        }

        /** Sets how long an inbound call may stay unanswered before it is refused with 480 (default 60 s). */
        public Builder inboundAnswerTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new InvalidArgumentException("inbound_answer_timeout", "inbound_answer_timeout " + timeout
                        + " must be positive");
            }
            this.inboundAnswerTimeout = timeout;
            return this;
        }

        /** Sets where media files may be ({@link CtiEngine.Builder#mediaFiles}; default unrestricted). */
        public Builder mediaFiles(MediaFiles files) {
            this.files = Objects.requireNonNull(files, "files");
            return this;
        }

        /** Sets the clock that times events and CDRs (default the system clock). */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Sets the scheduler of timers (default one timer thread of the engine's own). */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Sets how long {@link CoreEngine#close()} waits for resources to be released (default 10 s). */
        public Builder shutdownTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative()) {
                throw new InvalidArgumentException("shutdown_timeout", "shutdown_timeout " + timeout
                        + " must not be negative");
            }
            this.shutdownTimeout = timeout;
            return this;
        }

        /**
         * Builds and starts the engine.
         *
         * @throws IllegalStateException if a provider is missing
         * @throws EngineFailureException if the signalling provider cannot start
         */
        public CoreEngine build() {
            if (signaling == null || media == null) {
                throw new IllegalStateException("a CoreEngine needs both a signaling and a media provider");
            }
            return new CoreEngine(this);
        }
    }
}
