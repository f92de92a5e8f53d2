package org.cti4j.rpc;

import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.cti4j.api.EngineFailureException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket of the client: it puts text frames together from their parts and hands each whole frame to the
 * {@link ClientConnection} on the receiving thread, asking for the next frame only once that one is handled; it
 * sends frames one after another (the JDK allows one outstanding send); and it remembers whether it is down.
 */
final class ClientLink implements WebSocket.Listener {

    private static final Logger log = LoggerFactory.getLogger(ClientLink.class);

    /** What a link tells its connection. */
    interface Owner {
        /** On the receiving thread: one whole text frame. */
        void onFrame(ClientLink link, String frame);

        /** The link closed or failed (once handled per link by the owner). */
        void onDown(ClientLink link, int status, String reason, Throwable error);
    }

    private final Owner owner;
    private final StringBuilder text = new StringBuilder();
    private final Object lock = new Object();
    /** Guarded by lock: the last send, which the next one waits for. */
    private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);
    /** Completes when the link is down. */
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    volatile WebSocket ws;
    /** Set by the owner, under its lock. */
    volatile boolean down;
    /** The session this link started, once its {@code rpc.on_session} was read. */
    volatile ClientSession session;
    /** The 401 the server sent before closing with 1008. */
    volatile String refusal;
    /** When the unanswered heartbeat ping was sent, or 0 when none is outstanding. */
    volatile long pingSent;

    ClientLink(Owner owner) {
        this.owner = owner;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        ws = webSocket;
        // Unbounded demand: the JDK still calls the listener one message at a time (the next onText only after the
        // previous returned), and always reads, so that it sees the connection end whenever it ends.
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        heard();
        text.append(data);
        if (last) {
            String frame = text.toString();
            text.setLength(0);
            try {
                owner.onFrame(this, frame);
            } catch (RuntimeException e) {
                log.warn("handling a frame failed: {}", frame, e);
            }
        }
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        heard(); // the JDK answers with a pong by itself
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        heard();
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        heard(); // the protocol has none: ignored
        return null;
    }

    private void heard() {
        pingSent = 0;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        owner.onDown(this, statusCode, reason, null);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        owner.onDown(this, 1006, null, error);
    }

    /** Sends one text frame after the ones sent before it. */
    CompletableFuture<?> send(String frame) {
        synchronized (lock) {
            sendChain = sendChain.handle((ignored, error) -> null)
                    .thenCompose(ignored -> ws.sendText(frame, true));
            return sendChain;
        }
    }

    /** Sends a Close with status 1000 after the frames sent before it. */
    void sendClose() {
        synchronized (lock) {
            sendChain = sendChain.handle((ignored, error) -> null)
                    .thenCompose(ignored -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "client closed"));
        }
    }

    /**
     * The heartbeat: returns {@code false} if the ping sent at the previous beat got no answer and nothing else
     * arrived since (the connection is dead, however quiet the operating system is about it); otherwise sends a
     * ping, unless one is outstanding, and returns {@code true}.
     */
    // A ping that fails to go out is seen at the next beat, as no pong came; the link's own failure ends it too.
    @SuppressWarnings("FutureReturnValueIgnored")
    boolean beat() {
        WebSocket socket = ws;
        if (socket == null) {
            return true;
        }
        if (pingSent != 0) {
            return false;
        }
        try {
            pingSent = System.nanoTime();
            socket.sendPing(ByteBuffer.allocate(0));
            return true;
        } catch (IllegalStateException e) {
            return false; // the previous ping is still not sent
        }
    }

    /** Cuts the connection at once, if it was opened. */
    void abort() {
        WebSocket socket = ws;
        if (socket != null) {
            socket.abort();
        }
    }

    /**
     * Returns why the connection is over for good once this link went down (a refused token, a takeover, a first
     * connection that failed), or empty when the session is to be resumed on a new link.
     */
    Optional<EngineFailureException> endForGood(URI uri, String sessionId, int status, String reason,
            Throwable error) {
        if (refusal != null || status == 1008 || isHttpStatus(error, 401)
                || isHttpStatus(error, 403)) {
            String said = refusal != null ? refusal : describe(status, reason, error);
            return Optional.of(new EngineFailureException("the server at " + uri + " refused the token (" + said
                    + ")"));
        }
        if (status == 4000) {
            return Optional.of(new EngineFailureException("the session " + sessionId + " at " + uri
                    + " was taken over by another connection (close 4000)"));
        }
        if (sessionId == null) {
            return Optional.of(new EngineFailureException("cannot connect to " + uri + ": "
                    + describe(status, reason, error), error));
        }
        return Optional.empty();
    }

    /** Returns whether the WebSocket upgrade was answered with that HTTP status. */
    static boolean isHttpStatus(Throwable error, int status) {
        return error instanceof WebSocketHandshakeException h && h.getResponse().statusCode() == status;
    }

    /** Says why a link went down, for messages. */
    static String describe(int status, String reason, Throwable error) {
        if (error instanceof WebSocketHandshakeException h) {
            return "HTTP " + h.getResponse().statusCode() + " at the WebSocket upgrade";
        }
        if (error != null) {
            return error.getMessage() != null ? error.getClass().getSimpleName() + ": " + error.getMessage()
                    : error.getClass().getSimpleName();
        }
        return "close " + status + (reason == null || reason.isEmpty() ? "" : " " + reason);
    }

    /** Returns the cause of a {@link CompletionException}. */
    static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
