package org.cti4j.rpc;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.EngineFailureException;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket side of the server (Java-WebSocket): one selector thread and a few decoder threads; every frame of a
 * connection is handled on the same decoder thread, in order. Checks the path and the token, ties each connection
 * to its session, and hands frames to {@link ServerMethods}.
 */
final class ServerEndpoint extends WebSocketServer {

    private static final Logger log = LoggerFactory.getLogger(ServerEndpoint.class);
    private static final String PATH = "/rpc";
    /** A frame this many times the limit is not even read: the connection is closed with 1009. */
    private static final int HARD_LIMIT_FACTOR = 16;

    /** What the server keeps per connection. */
    private record Connection(ServerSession session, RateLimit limit) {
    }

    private final CtiEngine engine;
    private final ServerConfig config;
    private final ScheduledExecutorService timer;
    private final ServerSessions sessions;
    private final ServerMethods methods;
    private final CountDownLatch started = new CountDownLatch(1);
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile Exception startFailure;

    ServerEndpoint(CtiEngine engine, InetSocketAddress address, ServerConfig config, SSLContext ssl) {
        super(address, Math.max(2, Runtime.getRuntime().availableProcessors()),
                List.<Draft>of(new Draft_6455(List.of(), (int) Math.min(Integer.MAX_VALUE,
                        (long) config.maxFrameBytes() * HARD_LIMIT_FACTOR))));
        this.engine = engine;
        this.config = config;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cti4j-rpc-timer");
            thread.setDaemon(true);
            return thread;
        });
        this.sessions = new ServerSessions(engine, config, timer);
        this.methods = new ServerMethods(engine, sessions);
        setDaemon(true);
        setReuseAddr(true);
        setConnectionLostTimeout(30);
        if (ssl != null) {
            setWebSocketFactory(new DefaultSSLWebSocketServerFactory(ssl));
        }
    }

    ServerSessions sessions() {
        return sessions;
    }

    int boundPort() {
        return getPort();
    }

    /** Starts listening and waits until it does. */
    void startAndAwait() {
        engine.setIncomingCallListener(sessions.incomingListener());
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

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft,
            ClientHandshake request) throws InvalidDataException {
        String path = URI.create(request.getResourceDescriptor()).getPath();
        if (!PATH.equals(path)) {
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "no endpoint at " + path + "; use " + PATH);
        }
        return super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        Map<String, String> query = query(handshake.getResourceDescriptor());
        String refusal = checkToken(handshake, query);
        if (refusal != null) {
            log.warn("refused a connection from {}: {}", conn.getRemoteSocketAddress(), refusal);
            conn.send(JsonFrames.write(JsonFrames.error(null, new RpcError(RpcError.UNAUTHORIZED, refusal))));
            conn.close(CloseFrame.POLICY_VALIDATION, "unauthorized");
            return;
        }
        long lastSeq = 0;
        String lastSeqText = query.get("last_seq");
        if (lastSeqText != null) {
            try {
                lastSeq = Long.parseLong(lastSeqText);
            } catch (NumberFormatException e) {
                refuse(conn, "last_seq '" + lastSeqText + "' is not a number");
                return;
            }
        }
        ServerSession session = sessions.open(conn, query.get("session_id"), lastSeq);
        conn.setAttachment(new Connection(session, new RateLimit(config.maxRequestsPerSecond())));
    }

    private static void refuse(WebSocket conn, String why) {
        conn.send(JsonFrames.write(JsonFrames.error(null, new RpcError(RpcError.INVALID_REQUEST, why))));
        conn.close(CloseFrame.POLICY_VALIDATION, why);
    }

    private String checkToken(ClientHandshake handshake, Map<String, String> query) {
        if (config.token() == null) {
            return null;
        }
        String presented = query.get("token");
        String authorization = handshake.getFieldValue("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        }
        if (presented == null || presented.isEmpty()) {
            return "a bearer token is required (Authorization: Bearer <token>, or ?token=<token>)";
        }
        boolean same = MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                config.token().getBytes(StandardCharsets.UTF_8));
        return same ? null : "the bearer token is not the server's";
    }

    private static Map<String, String> query(String resourceDescriptor) {
        Map<String, String> values = new HashMap<>();
        String query = URI.create(resourceDescriptor).getRawQuery();
        if (query == null) {
            return values;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                values.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
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
        ServerMethods.Handled handled = methods.handle(connection.session(), connection.limit(), message);
        if (handled.response() != null) {
            try {
                conn.send(handled.response());
            } catch (RuntimeException closed) {
                log.debug("a response could not be sent: {}", closed.getMessage());
            }
        }
        handled.after().forEach(Runnable::run);
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        if (conn.getAttachment() != null) {
            conn.send(JsonFrames.write(JsonFrames.error(null, new RpcError(RpcError.INVALID_REQUEST,
                    "invalid request: binary frames are not JSON-RPC; send each request as a text frame"))));
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        Connection connection = conn.getAttachment();
        if (connection != null) {
            boolean goodbye = remote && code == CloseFrame.NORMAL;
            log.debug("{} lost its connection: {} {}", connection.session(), code, reason);
            sessions.closed(connection.session(), conn, goodbye);
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            startFailure = ex;
            started.countDown();
            log.debug("the RPC server failed", ex);
        } else {
            log.debug("connection {}: {}", conn.getRemoteSocketAddress(), ex.toString());
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
