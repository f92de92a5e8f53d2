package org.cti4j.rpc;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.EngineFailureException;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.DefaultWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket side of the server (Java-WebSocket): one selector thread and a few decoder threads; every frame of a
 * connection is handled on the same decoder thread, in order. Admits connections ({@link ServerAdmission}), checks
 * the path and the token, ties each connection to its session, and hands frames to {@link ServerRequests}.
 *
 * <p>No throwable leaves a callback. Java-WebSocket 1.6.0 stops the whole server when a decoder thread meets a
 * {@link VirtualMachineError} ({@code StackOverflowError}, {@code OutOfMemoryError}: its {@code WebSocketWorker}
 * calls {@code handleFatal}, which stops the listener and closes every connection), and a decoder thread that meets
 * any other uncaught {@link Error} ends, leaving its connections undecoded. Every callback here therefore catches
 * {@link Throwable}, logs it, answers a request that caused it with an internal error (-32603), and goes on; and
 * what Java-WebSocket's own decoding of a connection may throw closes only that connection ({@link GuardedWebSocket}).
 */
final class ServerEndpoint extends WebSocketServer {

    private static final Logger log = LoggerFactory.getLogger(ServerEndpoint.class);
    private static final String PATH = "/rpc";
    /** A frame this many times the limit is not even read: the connection is closed with 1009. */
    private static final int HARD_LIMIT_FACTOR = 16;
    /** How often connections are checked for a write Java-WebSocket forgot (see {@link #flushForgottenWrites}). */
    private static final long FLUSH_CHECK_MILLIS = 20;

    /** What the server keeps per connection. */
    private record Connection(ServerSession session, RateLimit limit) {
    }

    private final CtiEngine engine;
    private final ServerConfig config;
    private final ScheduledThreadPoolExecutor timer;
    private final ServerSessions sessions;
    private final ServerRequests requests;
    private final CountDownLatch started = new CountDownLatch(1);
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile Exception startFailure;
    private final ServerAdmission admission;
    /** Throwables the callbacks caught that nothing else handled (bugs, stack or heap exhaustion). */
    private final AtomicLong unexpected = new AtomicLong();
    /** Set if Java-WebSocket stopped listening on its own (its {@code handleFatal}): should never happen. */
    private volatile Throwable fatal;

    ServerEndpoint(CtiEngine engine, InetSocketAddress address, ServerConfig config, SSLContext ssl) {
        super(address, Math.max(2, Runtime.getRuntime().availableProcessors()),
                List.<Draft>of(new Draft_6455(List.of(), (int) Math.min(Integer.MAX_VALUE,
                        (long) config.maxFrameBytes() * HARD_LIMIT_FACTOR))));
        this.engine = engine;
        this.config = config;
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "cti4j-rpc-timer");
            thread.setDaemon(true);
            return thread;
        });
        // A handshake timeout is cancelled for nearly every connection: do not keep them queued until they expire.
        timer.setRemoveOnCancelPolicy(true);
        this.sessions = new ServerSessions(engine, config, timer);
        this.requests = new ServerRequests(new ServerMethods(engine, sessions, config.shareResources(),
                new ServerFiles(config.files())));
        setDaemon(true);
        setReuseAddr(true);
        // Requests and responses are small frames: without this, Nagle's algorithm and the peer's delayed ACK hold
        // back a response that follows another one by some 40 ms.
        setTcpNoDelay(true);
        setConnectionLostTimeout(30);
        this.admission = new ServerAdmission(ssl == null ? new DefaultWebSocketServerFactory()
                : new DefaultSSLWebSocketServerFactory(ssl), config.limits(), timer);
        setWebSocketFactory(admission);
    }

    ServerAdmission admission() {
        return admission;
    }

    /** Whether the listener runs: started, not stopped, and never stopped by Java-WebSocket on its own. */
    boolean isListening() {
        return started.getCount() == 0 && startFailure == null && fatal == null && !stopped.get();
    }

    /** What made Java-WebSocket stop the listener on its own, or {@code null} (always, unless a bug is left). */
    Throwable fatalFailure() {
        return fatal;
    }

    /** How many throwables the callbacks caught that nothing else handled. */
    long unexpectedFailures() {
        return unexpected.get() + admission.decodeFailures();
    }

    org.cti4j.api.MediaFiles files() {
        return config.files();
    }

    ServerSessions sessions() {
        return sessions;
    }

    int boundPort() {
        return getPort();
    }

    /** Starts listening and waits until it does. */
    // The flush check ends with the timer's shutdownNow() in shutdown(), never through its future.
    @SuppressWarnings("FutureReturnValueIgnored")
    void startAndAwait() {
        engine.setIncomingCallListener(sessions.incomingListener());
        timer.scheduleWithFixedDelay(this::flushForgottenWrites, FLUSH_CHECK_MILLIS, FLUSH_CHECK_MILLIS,
                TimeUnit.MILLISECONDS);
        start();
        try {
            if (!started.await(10, TimeUnit.SECONDS)) {
                shutdown();
                throw new EngineFailureException("the RPC server did not start listening on " + getAddress()
                        + " within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown();
            throw new EngineFailureException("interrupted while starting the RPC server", e);
        }
        if (startFailure != null) {
            shutdown();
            throw new EngineFailureException("the RPC server cannot listen on " + getAddress() + ": "
                    + startFailure.getMessage(), startFailure);
        }
        log.info("serving the engine {} over JSON-RPC on {}:{}{}", engine.nodeId(),
                getAddress().getAddress().getHostAddress(), getPort(), PATH);
    }

    /** Stops listening, closes every connection, ends every session. Safe to call twice. */
    void shutdown() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        engine.setIncomingCallListener(null);
        try {
            stop(2000, "the server is stopping");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sessions.endAll();
        timer.shutdownNow();
    }

    /**
     * Asks again for the write of every connection whose frames wait while it is not marked for writing.
     *
     * <p>Java-WebSocket 1.6.0 can forget a write: a decoder thread queues a frame ({@code outQueue}) and marks the
     * connection's key for writing just as the selector thread, having found the queue empty a moment before,
     * marks it for reading only ({@code doWrite}). The frame then waits until something else is written on that
     * connection; a client waiting for its response waits as long. A connection in that state (frames queued,
     * not marked for writing) is asked for again here, on the timer, every {@value #FLUSH_CHECK_MILLIS} ms.
     */
    private void flushForgottenWrites() {
        try {
            for (WebSocket conn : admission.connections()) {
                if (conn instanceof WebSocketImpl impl && !impl.outQueue.isEmpty()) {
                    SelectionKey key = impl.getSelectionKey();
                    try {
                        if (key != null && key.isValid() && (key.interestOps() & SelectionKey.OP_WRITE) == 0) {
                            onWriteDemand(impl);
                        }
                    } catch (CancelledKeyException closing) {
                        // The connection closed meanwhile: nothing to write any more.
                    }
                }
            }
        } catch (Throwable t) {
            // A periodic task that throws is never run again: this one must go on.
            caught("checking for forgotten writes", null, t);
        }
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft,
            ClientHandshake request) throws InvalidDataException {
        admission.upgraded(conn);
        String path;
        try {
            path = URI.create(request.getResourceDescriptor()).getPath();
        } catch (IllegalArgumentException e) {
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "the request target is not a URI");
        } catch (Throwable t) {
            caught("reading an upgrade request", conn, t);
            throw new InvalidDataException(CloseFrame.UNEXPECTED_CONDITION, "internal error");
        }
        if (!PATH.equals(path)) {
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "no endpoint at " + path + "; use " + PATH);
        }
        return super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
    }

    @Override
    protected void releaseBuffers(WebSocket conn) throws InterruptedException {
        // Java-WebSocket calls this for every connection that closes, upgraded or not.
        try {
            admission.closed(conn);
        } catch (Throwable t) {
            caught("forgetting a closed connection", conn, t);
        }
        super.releaseBuffers(conn);
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        try {
            open(conn, handshake);
        } catch (Throwable t) {
            caught("opening a session", conn, t);
            conn.close(CloseFrame.UNEXPECTED_CONDITION, "internal error");
        }
    }

    private void open(WebSocket conn, ClientHandshake handshake) {
        ServerUpgrade checked = ServerUpgrade.check(handshake, config.token());
        if (checked instanceof ServerUpgrade.Unauthorized refused) {
            log.warn("refused a connection from {}: {}", conn.getRemoteSocketAddress(), refused.why());
            conn.send(JsonFrames.write(JsonFrames.error(null, new RpcError(RpcError.UNAUTHORIZED, refused.why()))));
            conn.close(CloseFrame.POLICY_VALIDATION, "unauthorized");
        } else if (checked instanceof ServerUpgrade.Malformed refused) {
            conn.send(JsonFrames.write(JsonFrames.error(null, new RpcError(RpcError.INVALID_REQUEST, refused.why()))));
            conn.close(CloseFrame.POLICY_VALIDATION, refused.why());
        } else if (checked instanceof ServerUpgrade.Accepted accepted) {
            ServerSession session = sessions.open(conn, accepted.sessionId(), accepted.resumeToken(),
                    accepted.lastSeq());
            conn.setAttachment(new Connection(session, new RateLimit(config.maxRequestsPerSecond())));
        }
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        try {
            message(conn, message);
        } catch (Throwable t) {
            caught("handling a frame", conn, t);
            sendQuietly(conn, JsonFrames.write(JsonFrames.error(null, RpcError.internal("handling a frame", t))));
        }
    }

    private void message(WebSocket conn, String message) {
        Connection connection = conn.getAttachment();
        if (connection == null) {
            return;
        }
        int bytes = utf8Length(message);
        if (bytes > config.maxFrameBytes()) {
            conn.send(JsonFrames.write(JsonFrames.error(null, new RpcError(RpcError.INVALID_REQUEST,
                    "invalid request: a frame of " + bytes + " bytes is larger than max_frame_bytes "
                            + config.maxFrameBytes()))));
            return;
        }
        ServerRequests.Handled handled = requests.handle(connection.session(), connection.limit(), message);
        if (handled.response() != null) {
            sendQuietly(conn, handled.response());
        }
        handled.after().forEach(Runnable::run);
    }

    private static void sendQuietly(WebSocket conn, String frame) {
        try {
            conn.send(frame);
        } catch (RuntimeException closed) {
            log.debug("a response could not be sent: {}", closed.getMessage());
        }
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        try {
            if (conn.getAttachment() != null) {
                sendQuietly(conn, JsonFrames.write(JsonFrames.error(null, new RpcError(RpcError.INVALID_REQUEST,
                        "invalid request: binary frames are not JSON-RPC; send each request as a text frame"))));
            }
        } catch (Throwable t) {
            caught("answering a binary frame", conn, t);
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        try {
            Connection connection = conn.getAttachment();
            if (connection != null) {
                boolean goodbye = remote && code == CloseFrame.NORMAL;
                log.debug("{} lost its connection: {} {}", connection.session(), code, reason);
                sessions.closed(connection.session(), conn, goodbye);
            }
        } catch (Throwable t) {
            caught("closing a session's connection", conn, t);
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        try {
            if (conn != null && ex.getCause() instanceof Error error) {
                // Java-WebSocket wraps an Error that reached its decoder thread; a VirtualMachineError then stops
                // the listener (handleFatal), any other ends the thread. Nothing input-driven gets here.
                listenerFailed(error);
            } else if (conn != null) {
                log.debug("connection {}: {}", conn.getRemoteSocketAddress(), ex.toString());
            } else if (started.getCount() > 0) {
                startFailure = ex;
                started.countDown();
                log.debug("the RPC server failed", ex);
            } else {
                // Java-WebSocket's handleFatal: it is stopping the listener.
                listenerFailed(ex);
            }
        } catch (Throwable t) {
            caught("reporting an error", conn, t);
        }
    }

    /** Runs the selector; notes it if that ever ends other than by {@link #shutdown()}. */
    @Override
    public void run() {
        try {
            super.run();
        } finally {
            if (started.getCount() == 0 && startFailure == null) {
                listenerFailed(new IllegalStateException("the selector thread ended"));
            }
        }
    }

    /** Every callback catches what it throws, so this never happens; if it does, it is said loudly. */
    private void listenerFailed(Throwable t) {
        if (stopped.get() || fatal != null) {
            return;
        }
        fatal = t;
        log.error("the RPC listener on {} failed on its own; clients may no longer be served", getAddress(), t);
    }

    /** Logs a throwable a callback caught; it never propagates into Java-WebSocket. */
    private void caught(String what, WebSocket conn, Throwable t) {
        unexpected.incrementAndGet();
        try {
            log.error("{} of connection {} failed; the server goes on", what,
                    conn == null ? "-" : conn.getRemoteSocketAddress(), t);
        } catch (Throwable alsoFailed) {
            // Logging failed too (out of memory or stack): nothing else can be done, and the server must go on.
        }
    }

    private static int utf8Length(String text) {
        if (text.length() < 1 << 10) {
            return text.length() * 3 < 1 << 10 ? text.length() : text.getBytes(StandardCharsets.UTF_8).length;
        }
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
