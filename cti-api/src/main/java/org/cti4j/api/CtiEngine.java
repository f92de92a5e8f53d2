package org.cti4j.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.cti4j.api.spi.CtiEngineProvider;
import org.cti4j.api.spi.EngineConfig;

/**
 * The entry point of cti4j: an engine that places and receives calls and runs duo callbacks and conferences.
 *
 * <pre>{@code
 * try (CtiEngine engine = CtiEngine.builder().nodeId("1.0.3").build()) {
 *     Call call = engine.dial(DialOptions.builder()
 *             .fromUri("sip:1000@192.0.2.1").toUri("sip:1001@192.0.2.10:5060")
 *             .maxAnswerSeconds(600).build(),
 *         new CallListener() {
 *             public void onAnswered(Call call, CallEvent.Answered event) {
 *                 call.playStart("welcome.wav");
 *             }
 *         });
 *     call.whenReleased().toCompletableFuture().join();
 * }
 * }</pre>
 *
 * <p>An engine is thread-safe. Closing it releases every resource it holds (calls are hung up, each with its
 * {@code onReleased} and CDR) and frees its sockets and threads.
 */
public interface CtiEngine extends AutoCloseable {

    /** Returns the node id, {@code area.station.instance}: the prefix of every {@code res_id} of this engine. */
    String nodeId();

    /**
     * {@code sys.call.construct}: places an outbound call.
     *
     * @param options what to dial
     * @param listener hears the call's events
     * @return the call, in state {@link CallState#INITIATED}; a dial that cannot start (no free RTP port, say)
     *     completes with an error (503) like any failed dial
     * @throws EngineFailureException if the engine is shut down
     */
    Call dial(DialOptions options, CallListener listener);

    /**
     * {@code ext.duo_callback.construct}: starts a duo callback; party 1 is dialled at once.
     *
     * @param options the two parties and every other parameter
     * @param listener hears its events
     * @return the duo callback, in state {@link DuoCallbackState#INITIATED}; a leg that cannot be dialled ends it
     *     with an error, as any failed leg does
     * @throws InvalidArgumentException naming {@code record_format} if the engine cannot write the recording's format
     *     at all (MP3 without its optional encoder, jump3r, on the class path)
     * @throws EngineFailureException if the engine is shut down
     */
    DuoCallback startDuoCallback(DuoCallbackOptions options, DuoCallbackListener listener);

    /**
     * {@code sys.conf.construct}: creates an empty conference that calls can {@linkplain Call#confEnter enter}.
     *
     * @param options its parameters
     * @param listener hears its events
     * @return the conference, {@link ConferenceState#ACTIVE}
     * @throws InvalidArgumentException naming {@code record_format} if the engine cannot write the format its
     *     {@code record_file} implies (MP3 without jump3r on the class path)
     * @throws EngineFailureException if the engine is shut down or cannot mix (or record) a conference
     */
    Conference createConference(ConferenceOptions options, ConferenceListener listener);

    /** Returns the live resource with this {@code res_id}, if there is one. Released resources are not found. */
    Optional<Resource> find(String resId);

    /**
     * Returns the live call with this {@code res_id}.
     *
     * @throws ResourceNotFoundException if there is none (or the resource is not a call)
     */
    default Call call(String resId) {
        return find(resId).filter(Call.class::isInstance).map(Call.class::cast)
                .orElseThrow(() -> new ResourceNotFoundException(resId, "no call " + resId));
    }

    /**
     * Returns the live duo callback with this {@code res_id}.
     *
     * @throws ResourceNotFoundException if there is none (or the resource is not a duo callback)
     */
    default DuoCallback duoCallback(String resId) {
        return find(resId).filter(DuoCallback.class::isInstance).map(DuoCallback.class::cast)
                .orElseThrow(() -> new ResourceNotFoundException(resId, "no duo callback " + resId));
    }

    /**
     * Returns the live conference with this {@code res_id}.
     *
     * @throws ResourceNotFoundException if there is none (or the resource is not a conference)
     */
    default Conference conference(String resId) {
        return find(resId).filter(Conference.class::isInstance).map(Conference.class::cast)
                .orElseThrow(() -> new ResourceNotFoundException(resId, "no conference " + resId));
    }

    /** Returns the live resources, in no particular order. */
    List<Resource> resources();

    /**
     * Returns what the engine's media and signalling have done since it started: packets, losses, SIP messages,
     * retransmissions, registrations (cti4j's addition to the specification). Cheap enough for a metrics scrape
     * (it sums the counters of the open sessions); any thread.
     *
     * @return the figures, or empty if this engine does not count them (a remote engine: read them on its server,
     *     whose {@code /metrics} serves them)
     */
    default Optional<EngineStatistics> statistics() {
        return Optional.empty();
    }

    /**
     * Sets the listener that inbound calls are offered to ({@link CallListener#onIncoming}) and that hears their
     * later events. With none ({@code null}), inbound calls are refused with 480 (Temporarily Unavailable). Calls
     * offered before the change keep the listener they were offered to.
     */
    void setIncomingCallListener(CallListener listener);

    /**
     * Shuts the engine down: no new resources are accepted, every live one is released (calls hung up, duo callbacks
     * and conferences ended, each with its {@code onReleased} and CDR), then the signalling and media providers
     * stop. Calling it again returns the same stage.
     *
     * @return a stage that completes when everything is released and stopped
     */
    CompletionStage<Void> shutdown();

    /**
     * Shuts the engine down and waits for it (at most the shutdown timeout, 10 s by default). Safe to call twice.
     *
     * <p>Called on one of the engine's own threads — from a listener method, which runs on the engine's event
     * executor — it starts the shutdown and returns at once without waiting: the shutdown waits for every pending
     * listener call, the running one included, so waiting there would wait on itself. The engine then finishes
     * stopping on its own once the listener returns; {@link #shutdown()}'s stage tells when.
     */
    @Override
    void close();

    /** Returns a builder that finds the engine implementation on the class path ({@code cti-core}). */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Builds an engine with the implementation found on the class path (a {@link CtiEngineProvider} registered with
     * {@link ServiceLoader}: {@code cti-core}, which in turn finds signalling in {@code cti-sip} and media in
     * {@code cti-media}). Provider-specific settings, such as the SIP port, are passed as
     * {@linkplain #property properties}. Not thread-safe.
     */
    final class Builder {
        private static final Pattern NODE_ID = Pattern.compile("\\d{1,9}\\.\\d{1,9}\\.\\d{1,9}");

        private String nodeId = "0.0.0";
        private CallListener incomingCallListener;
        private CdrListener cdrListener = record -> { };
        private Executor eventExecutor;
        private Duration inboundAnswerTimeout = Duration.ofSeconds(60);
        private MediaFiles mediaFiles = MediaFiles.unrestricted();
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets the node id, {@code area.station.instance} (three numbers with dots), the prefix of every
         * {@code res_id}. Default {@code 0.0.0}.
         *
         * @throws InvalidArgumentException if it is not of that form
         */
        public Builder nodeId(String nodeId) {
            this.nodeId = checkNodeId(nodeId);
            return this;
        }

        /** Sets the listener inbound calls are offered to (default none: they are refused with 480). */
        public Builder incomingCallListener(CallListener listener) {
            this.incomingCallListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Sets the listener that receives a CDR for every call leg that ends (default none). */
        public Builder cdrListener(CdrListener listener) {
            this.cdrListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Sets the executor listener methods run on (default: a small pool of the engine's own). The engine keeps
         * each resource's events in order whatever the executor; it does not shut a given executor down.
         */
        public Builder eventExecutor(Executor executor) {
            this.eventExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Sets how long an inbound call may stay unanswered before it is refused with 480 and released (1 s to
         * 10 min; default 60 s).
         *
         * @throws InvalidArgumentException if out of range
         */
        public Builder inboundAnswerTimeout(Duration timeout) {
            this.inboundAnswerTimeout = checkInboundAnswerTimeout(timeout);
            return this;
        }

        /**
         * Sets where the files of playbacks and recordings may be (default {@link MediaFiles#unrestricted()}: every
         * {@code play_file}, {@code ring_play_file} and {@code record_file} is a path, as given, and a recording
         * replaces an existing file unless told not to). With {@link MediaFiles#confined}, the engine takes them as
         * names inside its directories, as the RPC server does for remote clients, and refuses the others with an
         * {@link InvalidArgumentException}; events and CDRs still report the names as given.
         */
        public Builder mediaFiles(MediaFiles files) {
            this.mediaFiles = Objects.requireNonNull(files, "files");
            return this;
        }

        /**
         * Sets a provider-specific setting, such as {@code sip.port}; the providers' documentation lists them. A key
         * that no provider reads is refused by {@link #build()} with an {@link InvalidArgumentException} naming the
         * nearest known key ("unknown property 'sip.prot': did you mean 'sip.port'?"), when the providers declare
         * their keys (cti-sip's and cti-media's do).
         *
         * @throws InvalidArgumentException if the key is empty
         */
        public Builder property(String key, String value) {
            if (key == null || key.isBlank()) {
                throw new InvalidArgumentException("property", "a property key must not be empty");
            }
            properties.put(key, Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Builds and starts the engine.
         *
         * @throws InvalidArgumentException if a property is unknown to the providers, or malformed
         * @throws EngineFailureException if no implementation is on the class path, or it fails to start
         */
        public CtiEngine build() {
            EngineConfig config = new EngineConfig(nodeId, incomingCallListener, cdrListener, eventExecutor,
                    inboundAnswerTimeout, Map.copyOf(properties), mediaFiles);
            for (CtiEngineProvider provider : ServiceLoader.load(CtiEngineProvider.class)) {
                return provider.create(config);
            }
            throw new EngineFailureException("no cti4j engine implementation on the class path: add the"
                    + " org.cti4j:cti-core dependency (with cti-sip and cti-media for real calls)");
        }

        /**
         * Checks an inbound answer timeout: 1 s to 10 min. The one check of it, shared by every way of building an
         * engine.
         *
         * @return the timeout
         * @throws InvalidArgumentException if out of range
         */
        public static Duration checkInboundAnswerTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new InvalidArgumentException("inbound_answer_timeout", "inbound_answer_timeout " + timeout
                        + " is out of range 1 s - 10 min");
            }
            return timeout;
        }

        /**
         * Checks a node id.
         *
         * @return the node id
         * @throws InvalidArgumentException if it is not {@code area.station.instance}
         */
        public static String checkNodeId(String nodeId) {
            if (nodeId == null || !NODE_ID.matcher(nodeId).matches()) {
                throw new InvalidArgumentException("node_id", "node_id '" + nodeId
                        + "' is not of the form area.station.instance, such as 0.0.0 or 1.2.3");
            }
            return nodeId;
        }
    }
}
