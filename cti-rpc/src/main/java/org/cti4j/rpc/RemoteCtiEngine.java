package org.cti4j.rpc;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
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
import org.cti4j.api.InvalidStateException;
import org.cti4j.api.Resource;
import org.cti4j.api.ResourceNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CtiEngine} served by a remote cti4j engine over the wire protocol ({@code cti-rpc/PROTOCOL.md}: JSON-RPC
 * 2.0 over WebSocket), so that an application written against {@code CtiEngine} runs unchanged against an
 * {@link RpcServer} elsewhere.
 *
 * <pre>{@code
 * try (CtiEngine engine = RemoteCtiEngine.builder(URI.create("ws://10.0.0.5:8088/rpc"))
 *         .token(System.getenv("CTI4J_TOKEN"))
 *         .incomingCallListener(new CallListener() {
 *             public void onIncoming(Call call, CallEvent.Incoming event) {
 *                 call.answer("crm-ticket-42");
 *             }
 *         })
 *         .build()) {
 *     Call call = engine.dial(DialOptions.builder()
 *             .fromUri("sip:1000@192.0.2.1").toUri("sip:1001@192.0.2.10")
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
 * <p><b>Operations</b> send their method and wait for the response (at most the {@linkplain Builder#requestTimeout
 * request timeout}); error responses become the API's exceptions with the server's message: -32602
 * {@link InvalidArgumentException}, 404 {@link ResourceNotFoundException}, 409 {@link InvalidStateException},
 * anything else {@link EngineFailureException}. A timeout, a lost connection or a closed client is an
 * {@link EngineFailureException} too; one lost while a request was in flight says that the operation may or may not
 * have been applied. Operations on a resource whose {@code on_released} has arrived throw
 * {@link InvalidStateException} at once (state {@code RELEASED}), as with the embedded engine.
 *
 * <p><b>Files.</b> A {@code play_file}, {@code ring_play_file}, {@code prompt_file} or {@code record_file} is sent
 * unchanged, as a name that the server confines: a file to play is a name inside the server's sounds directory (or
 * {@value org.cti4j.api.MediaFiles#RECORDINGS_PREFIX}{@code name}, inside its recordings directory), a file to record
 * a name inside its recordings directory. Absolute paths, {@code ..} and names that lead outside are refused with an
 * {@link InvalidArgumentException} naming the parameter. A recording replaces an existing file only when its options
 * say {@code recordOverwrite(true)}; otherwise the request is refused. Events report the names as sent.
 *
 * <p><b>What is local and what is a round trip.</b> Known locally: {@code resId()}, {@code processId()},
 * {@code module()}, {@code beginTime()} (the engine's clock, read from the {@code process_id}), {@code isReleased()}
 * (true once {@code on_released} arrived or the server answered 404 about the resource), a call's
 * {@code direction()}, {@code fromUri()}, {@code toUri()}, a duo callback's and a conference's {@code options()}.
 * Asked of the server, one request each: a call's {@code state()}, {@code isPlaying()}, {@code isRecording()},
 * {@code conferenceId()}, {@code userData()} ({@code sys.call.get}); a duo callback's {@code state()}
 * ({@code ext.duo_callback.get}); a conference's {@code state()} ({@code sys.conf.exists}) and {@code members()}
 * ({@code sys.conf.get_parts}). Once a resource is released these answer locally ({@code RELEASED}, empty) without
 * a request.
 *
 * <p><b>Threads.</b> Every method may be called from any thread, listeners included. Listener methods run one at a
 * time, in the order the server sent the events, on the {@linkplain Builder#eventExecutor event executor}
 * (never on the WebSocket's thread), never after a resource's {@code onReleased}; {@code whenReleased()},
 * {@code whenDialCompleted()} and the stages of {@code playStart}/{@code recordStart} complete after the listener
 * heard their event, as with the embedded engine. An operation called on the thread that reads the server's frames
 * (by a listener an executor ran in place) throws {@link IllegalStateException}; {@code close()} there returns. So
 * does a listener's {@code join()} or {@code get()} of one of these stages before it is complete.
 *
 * <p><b>Reconnects.</b> When the connection drops, the client reconnects with backoff, resumes its session and
 * receives the events it missed, each exactly once and in order. If the server has forgotten the session, every
 * resource the client knew is marked released and its {@code whenReleased()} completes exceptionally. So does every
 * resource of a client that stays cut off 2 s longer than the server keeps a session (its {@code session_grace}):
 * its resources were released there, or the server is gone with them, and nobody is left waiting; the client goes on
 * reconnecting. A refused token is never retried.
 *
 * <p>{@link #find}, {@link #call}, {@link #resources()} answer from the client's own registry: the resources it
 * created and the inbound calls offered to it, until they are released.
 */
public final class RemoteCtiEngine implements CtiEngine {

    private static final Logger log = LoggerFactory.getLogger(RemoteCtiEngine.class);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

    private final ClientContext context;
    private final ClientConnection connection;
    /** Serialises subscribing and unsubscribing; held across the request, so the server sees them in order. */
    private final Object subscription = new Object();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final CompletionStage<Void> terminatedStage = terminated.minimalCompletionStage();

    private RemoteCtiEngine(ClientContext.Settings settings) {
        this.context = new ClientContext(settings);
        this.connection = context.connection;
    }

    /**
     * Returns a builder for a client of the server at {@code uri}, such as {@code ws://127.0.0.1:8088/rpc}.
     *
     * @throws InvalidArgumentException if {@code uri} is not a {@code ws://} or {@code wss://} URI
     */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** Returns whether the calling thread is the one that reads the server's frames. */
    boolean isReceivingThread() {
        return connection.isReceivingThread();
    }

    /** Returns whether the client is connected to its server now (not reconnecting, not closed). */
    boolean isConnected() {
        return connection.isConnected();
    }

    /** Returns the remote engine's node id, as its {@code rpc.on_session} said. No request. */
    @Override
    public String nodeId() {
        return context.nodeId;
    }

    /**
     * {@code sys.call.construct}: places an outbound call on the remote engine; waits for the response.
     *
     * @throws InvalidArgumentException if the server refuses a parameter
     * @throws EngineFailureException if the client is shut down, the server fails, or no response arrives within
     *     the request timeout
     */
    @Override
    public Call dial(DialOptions options, CallListener listener) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        return context.construct("sys.call.construct", ClientConstructs.params(options),
                result -> RemoteCall.outbound(context, result, options, listener));
    }

    /**
     * {@code ext.duo_callback.construct}: starts a duo callback on the remote engine; waits for the response.
     *
     * @throws InvalidArgumentException if the server refuses a parameter
     * @throws EngineFailureException if the client is shut down, the server fails, or no response arrives within
     *     the request timeout
     */
    @Override
    public DuoCallback startDuoCallback(DuoCallbackOptions options, DuoCallbackListener listener) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        return context.construct("ext.duo_callback.construct", ClientConstructs.params(options),
                result -> RemoteDuoCallback.of(context, result, options, listener));
    }

    /**
     * {@code sys.conf.construct}: creates a conference on the remote engine; waits for the response.
     *
     * @throws InvalidArgumentException if the server refuses a parameter
     * @throws EngineFailureException if the client is shut down, the server fails, or no response arrives within
     *     the request timeout
     */
    @Override
    public Conference createConference(ConferenceOptions options, ConferenceListener listener) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        return context.construct("sys.conf.construct", ClientConstructs.params(options),
                result -> RemoteConference.of(context, result, options, listener));
    }

    /**
     * Returns the live resource with this {@code res_id} among those the client knows (created by it, or inbound
     * calls offered to it). Local: no request.
     *
     * @throws InvalidArgumentException if {@code resId} is null
     */
    @Override
    public Optional<Resource> find(String resId) {
        if (resId == null) {
            throw new InvalidArgumentException("res_id", "res_id is missing");
        }
        RemoteResource resource = context.registry.get(resId);
        return resource == null || resource.isReleased() ? Optional.empty() : Optional.of(resource);
    }

    /** Returns the live resources the client knows, in no particular order. Local: no request. */
    @Override
    public List<Resource> resources() {
        List<Resource> live = new ArrayList<>();
        context.registry.values().stream().filter(r -> !r.isReleased()).forEach(live::add);
        return List.copyOf(live);
    }

    /**
     * Sets the listener inbound calls are offered to; going from none to one sends
     * {@code sys.call.subscribe_incoming}, from one to none {@code sys.call.unsubscribe_incoming}, and waits for the
     * response. Calls offered before keep the listener they were offered to.
     *
     * @throws EngineFailureException if the server does not confirm within the request timeout (the listener is
     *     then left as it was)
     */
    @Override
    public void setIncomingCallListener(CallListener listener) {
        synchronized (subscription) {
            CallListener old = context.incomingCallListener;
            context.incomingCallListener = listener;
            if ((old == null) != (listener == null)) {
                try {
                    context.request(listener != null ? "sys.call.subscribe_incoming"
                            : "sys.call.unsubscribe_incoming", ClientCodec.params());
                } catch (RuntimeException e) {
                    context.incomingCallListener = old;
                    throw e;
                }
            }
        }
    }

    /**
     * Shuts the client down as the embedded engine shuts down: no new resources; every live resource it knows is
     * released (calls dropped, duo callbacks and conferences released), their {@code on_released} awaited (at most
     * 10 s), then the WebSocket is closed with status 1000, which ends the session on the server. Returns at once;
     * calling it again returns the same stage.
     *
     * @return a stage that completes when the client is closed and its threads are stopping
     */
    @Override
    public CompletionStage<Void> shutdown() {
        if (!context.stop()) {
            return terminatedStage;
        }
        ClientShutdown.inBackground(connection, List.copyOf(context.registry.values()), SHUTDOWN_WAIT, () -> {
            context.events.shutdown();
            log.info("the client of cti4j engine {} at {} is closed", context.nodeId, connection.uri());
            terminated.complete(null);
        });
        return terminatedStage;
    }

    /**
     * Shuts the client down ({@link #shutdown()}) and waits for it, at most about 12 s. Safe to call twice, and from a
     * listener. Called on the thread that reads what the server sends (a listener run in place by the event
     * executor), it starts the shutdown and returns at once: waiting there would wait for itself.
     */
    @Override
    public void close() {
        if (connection.isReceivingThread()) {
            shutdown();
            return;
        }
        try {
            shutdown().toCompletableFuture().get(SHUTDOWN_WAIT.toMillis() + 2_500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("the client of {} did not close in time", connection.uri());
        }
    }

    /** For tests: what the client's parts share, to send raw requests. */
    ClientContext context() {
        return context;
    }

    /** For tests: the connection, to cut it. */
    ClientConnection connection() {
        return connection;
    }

    /**
     * Builds a {@link RemoteCtiEngine}. Not thread-safe.
     */
    public static final class Builder {
        private final URI uri;
        private String token;
        private CallListener incomingCallListener;
        private Executor eventExecutor;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration minReconnectDelay = Duration.ofMillis(100);
        private Duration maxReconnectDelay = Duration.ofSeconds(5);
        private Duration pingInterval = Duration.ofSeconds(15);
        private SSLContext sslContext;

        private Builder(URI uri) {
            Objects.requireNonNull(uri, "uri");
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("ws") && !scheme.equals("wss")) {
                throw new InvalidArgumentException("uri", "uri '" + uri + "' is not a ws:// or wss:// URI, such as"
                        + " ws://127.0.0.1:8088/rpc");
            }
            this.uri = uri;
        }

        /** Sets the bearer token sent as {@code Authorization: Bearer <token>} (default none). */
        public Builder token(String token) {
            if (token == null || token.isBlank()) {
                throw new InvalidArgumentException("token", "the token must not be empty");
            }
            this.token = token;
            return this;
        }

        /**
         * Sets the listener inbound calls are offered to; the client then subscribes to them
         * ({@code sys.call.subscribe_incoming}) as it connects. Default none: no inbound calls are offered.
         */
        public Builder incomingCallListener(CallListener listener) {
            this.incomingCallListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Sets the executor listener methods run on (default: one daemon thread of the client's own). The client
         * hands it one task at a time, so that events stay in order whatever the executor; it must not run tasks
         * on the calling thread, and the client does not shut it down.
         */
        public Builder eventExecutor(Executor executor) {
            this.eventExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Sets how long an operation waits for its response, waiting for a reconnect included, and how long
         * {@link #build()} waits to connect (default 10 s).
         *
         * @throws InvalidArgumentException if not positive
         */
        public Builder requestTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new InvalidArgumentException("request_timeout", "request_timeout " + timeout
                        + " must be positive");
            }
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * Sets the backoff between reconnect attempts: {@code min} first, doubling up to {@code max} (default
         * 100 ms to 5 s).
         *
         * @throws InvalidArgumentException if {@code min} is not positive or {@code max} is less than {@code min}
         */
        public Builder reconnectDelay(Duration min, Duration max) {
            if (min == null || max == null || min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
                throw new InvalidArgumentException("reconnect_delay", "reconnect_delay " + min + ".." + max
                        + " must be positive, the maximum no less than the minimum");
            }
            this.minReconnectDelay = min;
            this.maxReconnectDelay = max;
            return this;
        }

        /**
         * Sets how often the client pings the server to find out that a connection died without a word (a cut
         * cable, a lost TCP FIN): a ping unanswered at the next one ends the connection, which is then reconnected.
         * Default 15 s; {@link Duration#ZERO} turns the pings off.
         *
         * @throws InvalidArgumentException if negative, or positive but under 10 ms
         */
        public Builder pingInterval(Duration interval) {
            if (interval == null || interval.isNegative() || (!interval.isZero() && interval.toMillis() < 10)) {
                throw new InvalidArgumentException("ping_interval", "ping_interval " + interval
                        + " must be 0 (off) or at least 10 ms");
            }
            this.pingInterval = interval;
            return this;
        }

        /** Sets the TLS context of {@code wss://} connections (default the JDK's). */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
            return this;
        }

        /**
         * Connects, waits for the session to start ({@code rpc.on_session}), subscribes to inbound calls if a
         * listener is set, and returns the client.
         *
         * @throws EngineFailureException if the server cannot be reached, refuses the token (never retried), or
         *     does not start a session within the request timeout
         */
        public RemoteCtiEngine build() {
            RemoteCtiEngine engine = new RemoteCtiEngine(new ClientContext.Settings(uri, token, incomingCallListener,
                    eventExecutor, requestTimeout, minReconnectDelay, maxReconnectDelay, pingInterval, sslContext));
            engine.context.start();
            return engine;
        }
    }
}
