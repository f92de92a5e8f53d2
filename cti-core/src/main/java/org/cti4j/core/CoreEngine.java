package org.cti4j.core;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
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
import org.cti4j.api.EngineStatistics;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.MediaFiles;
import org.cti4j.api.Resource;
import org.cti4j.core.internal.Engine;
import org.cti4j.core.internal.EngineSettings;
import org.cti4j.core.spi.MediaProvider;
import org.cti4j.core.spi.SignalingProvider;

/**
 * The cti4j engine: resources as actors over a {@link SignalingProvider} and a {@link MediaProvider}.
 *
 * <pre>
 *  application ──▶ CoreEngine ──▶ calls / duo callbacks / conferences
 *                                    one strand each (serial tasks on a shared pool): state machine, timers
 *                                    │ listener calls, in order, on the event executor
 *                     SignalingProvider (cti-sip)          MediaProvider (cti-media)
 * </pre>
 *
 * <p>Applications usually get an engine from {@link CtiEngine#builder()}, which finds the providers on the class
 * path. {@link #builder()} builds one with providers given by hand — real ones, or the test doubles of the
 * {@code cti-core-testing} artifact to unit-test an application without a network. Both check their settings the
 * same way ({@link CtiEngine.Builder#checkNodeId}, {@link CtiEngine.Builder#checkInboundAnswerTimeout}).
 */
public final class CoreEngine implements CtiEngine {

    private final Engine engine;

    private CoreEngine(Engine engine) {
        this.engine = engine;
    }

    /** Returns a builder for an engine with the given providers. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String nodeId() {
        return engine.nodeId();
    }

    @Override
    public Call dial(DialOptions options, CallListener listener) {
        return engine.dial(options, listener);
    }

    @Override
    public DuoCallback startDuoCallback(DuoCallbackOptions options, DuoCallbackListener listener) {
        return engine.startDuoCallback(options, listener);
    }

    @Override
    public Conference createConference(ConferenceOptions options, ConferenceListener listener) {
        return engine.createConference(options, listener);
    }

    @Override
    public Optional<Resource> find(String resId) {
        return engine.find(resId);
    }

    @Override
    public List<Resource> resources() {
        return engine.resources();
    }

    /** Returns what the signalling and media providers counted (zeros from a provider that counts nothing). */
    @Override
    public Optional<EngineStatistics> statistics() {
        return Optional.of(engine.statistics());
    }

    @Override
    public void setIncomingCallListener(CallListener listener) {
        engine.setIncomingCallListener(listener);
    }

    @Override
    public CompletionStage<Void> shutdown() {
        return engine.shutdown();
    }

    /**
     * Drains the engine, for an upgrade or a scale-in without dropping a call: from now on it takes no new work — an
     * inbound call is refused with 503 and {@code Retry-After: 60} (as is a health probe, SIP OPTIONS, so that a
     * proxy such as Kamailio's dispatcher in front of several engines stops sending it calls), and {@code dial},
     * {@code startDuoCallback} and {@code createConference} throw {@link org.cti4j.api.EngineUnavailableException}
     * saying the engine is draining — while the live calls, duo callbacks and conferences go on to their natural
     * end. When the last one is released, or at the latest after {@code maxWait}, the engine shuts down as
     * {@link #shutdown()} does (what is still live then is released). Calling it again, or after {@code shutdown},
     * returns the same stage.
     *
     * @param maxWait how long live resources may go on; {@link Duration#ZERO} shuts down at once
     * @return a stage that completes when the engine has stopped
     * @throws org.cti4j.api.InvalidArgumentException if {@code maxWait} is negative
     */
    public CompletionStage<Void> drain(Duration maxWait) {
        return engine.drain(maxWait);
    }

    /** Returns whether the engine takes no new work: it drains ({@link #drain}) or shuts down. */
    public boolean isDraining() {
        return engine.isDraining();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Waits up to the shutdown timeout for the resources to be released, then for the providers to stop: the SIP
     * provider lets the last BYEs, CANCELs and final responses leave and be answered first (the 200 of each BYE, the
     * 487 of each cancelled INVITE, the ACK of each refusal; at most {@code sip.close-drain-seconds}, 4 s by
     * default). Called from a listener method or another task of the engine's own threads, it starts the shutdown
     * and returns without waiting (see {@link CtiEngine#close()}).
     */
    @Override
    public void close() {
        engine.close();
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
        private int maxLiveCalls;
        private int maxCallsPerSecond;

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

        /**
         * Sets how long an inbound call may stay unanswered before it is refused with 480 (1 s to 10 min; default
         * 60 s), as {@link CtiEngine.Builder#inboundAnswerTimeout} does.
         *
         * @throws InvalidArgumentException if out of range
         */
        public Builder inboundAnswerTimeout(Duration timeout) {
            this.inboundAnswerTimeout = CtiEngine.Builder.checkInboundAnswerTimeout(timeout);
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
         * Sets the most calls live at once (default 0: no limit), to protect the calls the engine has: at it, a new
         * inbound call is refused with 503 and {@code Retry-After: 5}, unheard by the application (SIP OPTIONS probes
         * get that 503 too, so that a proxy in front moves calls to other engines), and {@code dial}
         * and {@code startDuoCallback} throw {@link org.cti4j.api.EngineUnavailableException}. Inbound and outbound
         * calls count one each, a duo callback two (its two legs) from its start; conferences count nothing of their
         * own (their members are calls).
         *
         * @throws InvalidArgumentException if negative
         */
        public Builder maxLiveCalls(int calls) {
            this.maxLiveCalls = limit("max_live_calls", calls);
            return this;
        }

        /**
         * Sets the most new calls taken in one second of the engine's clock (default 0: no limit): inbound calls,
         * dials and duo callbacks count one each; past it, they are refused as past {@link #maxLiveCalls}.
         *
         * @throws InvalidArgumentException if negative
         */
        public Builder maxCallsPerSecond(int calls) {
            this.maxCallsPerSecond = limit("max_calls_per_second", calls);
            return this;
        }

        private static int limit(String parameter, int value) {
            if (value < 0) {
                throw new InvalidArgumentException(parameter, parameter + " " + value
                        + " is negative (0: no limit)");
            }
            return value;
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
            return new CoreEngine(new Engine(new EngineSettings(nodeId, signaling, media, incomingCallListener,
                    cdrListener, eventExecutor, strandPool, inboundAnswerTimeout, files, clock, scheduler,
                    shutdownTimeout, maxLiveCalls, maxCallsPerSecond)));
        }
    }
}
