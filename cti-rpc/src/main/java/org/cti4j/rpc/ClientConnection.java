package org.cti4j.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.cti4j.api.EngineFailureException;
import org.cti4j.rpc.ClientRequests.Pending;
import org.cti4j.rpc.ClientRequests.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's WebSocket to the server: requests and their responses, notifications, and the session across
 * reconnects (PROTOCOL.md, "Sessions, events and resume").
 *
 * <pre>
 *  caller thread ──request──▶ ready (a link with its rpc.on_session) ──sendText──▶ server
 *  receiving thread ◀──frames── server: responses complete their request (after its hook ran, on this thread);
 *                                       events pass the seq filter and go to the {@link Handler}
 *  link down ─▶ requests on it fail ─▶ reconnect with session_id and last_seq, backoff min..max ─▶ ready again
 * </pre>
 *
 * <p>Frames are handled one at a time on the WebSocket's receiving thread, which never blocks: the next frame is
 * requested only when the previous one is handled, so what a response's hook does (registering a new resource)
 * happens before any later frame is looked at. A 401 refusal (then close 1008), a takeover of the session (close
 * 4000) and {@link #close} end the connection for good; any other drop is reconnected.
 */
final class ClientConnection implements ClientLink.Owner {

    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    /** What the connection tells its owner, on the receiving thread (or whichever detects a failure); never blocks. */
    interface Handler {
        /** A session started: the first, one resumed, or a new one because the server forgot the old one. */
        void onSession(Session session, boolean first);

        /** An event, in order and exactly once. */
        void onEvent(String method, JsonNode params);

        /** The session is gone for good (refused, taken over, or given up): no more events will come for it. */
        void onConnectionEnded(EngineFailureException reason);
    }

    /** The params of {@code rpc.on_session}. */
    record Session(String sessionId, boolean resumed, String nodeId, long lastSeq, long lost, String reason) {
    }

    private final URI uri;
    private final String token;
    private final Duration requestTimeout;
    private final Duration minDelay;
    private final Duration maxDelay;
    private final Handler handler;
    private final ExecutorService httpThreads;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final ClientRequests requests;

    private final Object lock = new Object();
    // Guarded by lock.
    private ClientLink current;
    private CompletableFuture<ClientLink> ready = new CompletableFuture<>();
    private boolean closing;
    private EngineFailureException ended;
    private String sessionId;
    /** The secret the server gave with the session; resuming needs it. {@code null} if the server gave none. */
    private String resumeToken;
    private long lastSeq;
    private Duration nextDelay;

    ClientConnection(URI uri, String token, SSLContext sslContext, Duration requestTimeout, Duration minDelay,
            Duration maxDelay, Duration pingInterval, Handler handler) {
        this.uri = uri;
        this.token = token;
        this.requestTimeout = requestTimeout;
        this.minDelay = minDelay;
        this.maxDelay = maxDelay;
        this.nextDelay = minDelay;
        this.handler = handler;
        this.requests = new ClientRequests(uri);
        this.httpThreads = Executors.newCachedThreadPool(ClientThreads.daemon("cti4j-rpc-client"));
        HttpClient.Builder builder = HttpClient.newBuilder().executor(httpThreads).connectTimeout(requestTimeout);
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        this.http = builder.build();
        this.timer = Executors.newSingleThreadScheduledExecutor(ClientThreads.daemon("cti4j-rpc-reconnect"));
        if (!pingInterval.isZero()) {
            timer.scheduleWithFixedDelay(() -> heartbeat(pingInterval), pingInterval.toMillis(),
                    pingInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Pings the server; a connection that answered nothing since the previous ping is dead, even when the operating
     * system has not said so (a cut cable, a lost FIN), and is reconnected.
     */
    private void heartbeat(Duration interval) {
        ClientLink link;
        synchronized (lock) {
            link = current;
        }
        if (link != null && link.session != null && !link.down && !link.beat()) {
            link.abort();
            linkDown(link, 1006, "no answer to a ping within " + interval.toMillis() + " ms", null);
        }
    }

    /**
     * Connects and waits for the session to start.
     *
     * @throws EngineFailureException if the server cannot be reached, refuses the token, or sends no session
     */
    Session start() {
        ClientLink link = new ClientLink(this);
        CompletableFuture<ClientLink> first;
        synchronized (lock) {
            current = link;
            first = ready;
        }
        open(link, uri);
        try {
            return first.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS).session;
        } catch (TimeoutException e) {
            close();
            throw new EngineFailureException("no session from " + uri + " within " + requestTimeout.toMillis()
                    + " ms (is it a cti4j server?)");
        } catch (ExecutionException e) {
            close();
            Throwable cause = e.getCause();
            throw new EngineFailureException(cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new EngineFailureException("interrupted while connecting to " + uri);
        }
    }

    /** Returns the server's URI. */
    URI uri() {
        return uri;
    }

    /**
     * Sends a request and waits for its response, at most the request timeout, connection included.
     *
     * @param hook run on the receiving thread with a successful result, before any later frame is handled;
     *     its value is returned in the reply ({@code null} for none)
     * @throws EngineFailureException on a timeout, a lost connection or a closed client
     */
    Reply call(String method, ObjectNode params, Function<JsonNode, Object> hook) {
        Pending p = send(method, params, hook);
        try {
            return p.future.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            boolean sent = p.link != null;
            p.future.cancel(false);
            requests.forget(p);
            throw new EngineFailureException(method + ": " + (sent ? "no response from " : "not connected to ")
                    + uri + " within the request timeout of " + requestTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new EngineFailureException(cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.future.cancel(false);
            requests.forget(p);
            throw new EngineFailureException(method + ": interrupted while waiting for the response");
        }
    }

    /** Sends a request without waiting: once connected (if not now), and never after {@link #close}. */
    Pending send(String method, ObjectNode params, Function<JsonNode, Object> hook) {
        Pending p = requests.create(method, hook);
        String text = ClientCodec.request(p.id, method, params);
        CompletableFuture<ClientLink> whenReady;
        synchronized (lock) {
            whenReady = ready;
        }
        whenReady.whenComplete((link, error) -> {
            if (error != null) {
                p.future.completeExceptionally(ClientLink.unwrap(error));
                return;
            }
            if (p.future.isDone()) {
                return;
            }
            requests.sent(p, link);
            if (link.down) {
                requests.lost(p);
                return;
            }
            link.send(text).whenComplete((ignored, failure) -> {
                if (failure != null) {
                    requests.lost(p);
                }
            });
        });
        return p;
    }

    /** Sends a notification (no response), once connected; dropped if the client is closed. */
    void notify(String method, ObjectNode params) {
        String text = ClientCodec.request(null, method, params);
        CompletableFuture<ClientLink> whenReady;
        synchronized (lock) {
            whenReady = ready;
        }
        whenReady.thenAccept(link -> link.send(text));
    }

    /** Returns whether a connection with a started session is up. */
    boolean isConnected() {
        synchronized (lock) {
            return current != null && current.session != null && !current.down;
        }
    }

    /** Returns the current session's id ({@code null} before the first). */
    String sessionId() {
        synchronized (lock) {
            return sessionId;
        }
    }

    /** Returns the highest event {@code seq} seen in the current session. */
    long lastSeq() {
        synchronized (lock) {
            return lastSeq;
        }
    }

    /** A test hook: cuts the connection abruptly ({@link WebSocket#abort()}), as a network failure would. */
    void abortForTest() {
        ClientLink link;
        synchronized (lock) {
            link = current;
        }
        if (link != null) {
            link.abort();
            linkDown(link, 1006, "aborted by a test", null);
        }
    }

    /**
     * Closes the connection with status 1000 (the server then ends the session), fails what still waits, and
     * stops the client's threads. Safe to call twice.
     */
    void close() {
        ClientLink link;
        CompletableFuture<ClientLink> waiting;
        EngineFailureException closed = new EngineFailureException("the client of " + uri + " is closed");
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true;
            ended = closed;
            link = current;
            waiting = ready;
            ready = CompletableFuture.failedFuture(closed);
        }
        waiting.completeExceptionally(closed);
        if (link != null && link.ws != null && !link.down) {
            link.sendClose();
            try {
                link.closed.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                log.debug("{}: no close from the server within {} ms; aborting", uri, CLOSE_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            link.abort();
            linkDown(link, 1000, "closed by the client", null);
        }
        requests.failAll(closed);
        timer.shutdownNow();
        httpThreads.shutdown();
    }

    // ---- connecting ----

    private void open(ClientLink link, URI target) {
        CompletableFuture<WebSocket> opening;
        try {
            WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(requestTimeout);
            if (token != null) {
                builder.header("Authorization", "Bearer " + token);
            }
            opening = builder.buildAsync(target, link);
        } catch (RuntimeException e) {
            opening = CompletableFuture.failedFuture(e);
        }
        opening.whenComplete((ws, error) -> {
            if (error != null) {
                linkDown(link, 1006, null, ClientLink.unwrap(error));
            } else if (link.down) {
                ws.abort(); // given up on while it opened
            }
        });
        // A server that accepts the connection but starts no session is given up on, and tried again.
        try {
            timer.schedule(() -> {
                if (link.session == null && !link.down) {
                    link.abort();
                    linkDown(link, 1006, "no rpc.on_session within " + requestTimeout.toMillis() + " ms", null);
                }
            }, requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("{}: the client is closing", uri);
        }
    }

    private void reconnect() {
        ClientLink link = new ClientLink(this);
        URI target;
        synchronized (lock) {
            if (closing || ended != null) {
                return;
            }
            current = link;
            String separator = uri.getRawQuery() == null ? "?" : "&";
            target = URI.create(uri + separator + "session_id="
                    + java.net.URLEncoder.encode(sessionId, java.nio.charset.StandardCharsets.UTF_8)
                    + "&last_seq=" + lastSeq + (resumeToken == null ? "" : "&resume_token="
                    + java.net.URLEncoder.encode(resumeToken, java.nio.charset.StandardCharsets.UTF_8)));
        }
        // Not the target: it holds the resume token, which must not reach a log.
        log.debug("reconnecting to {} to resume session {}", uri, sessionId);
        open(link, target);
    }

    private void scheduleReconnect() {
        Duration delay;
        synchronized (lock) {
            delay = nextDelay;
            nextDelay = nextDelay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : nextDelay.multipliedBy(2);
        }
        try {
            timer.schedule(this::reconnect, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("{}: the client is closing; no reconnect", uri);
        }
    }

    /** A link went down (closed, failed, or never opened); decides between reconnecting and giving up. */
    private void linkDown(ClientLink link, int status, String reason, Throwable error) {
        EngineFailureException end = null;
        CompletableFuture<ClientLink> failReady = null;
        boolean hadSession;
        boolean retry = false;
        synchronized (lock) {
            if (link.down) {
                return;
            }
            link.down = true;
            hadSession = sessionId != null;
            if (link == current && !closing) {
                current = null;
                end = finalFailure(link, status, reason, error);
                if (end != null) {
                    ended = end;
                    failReady = ready;
                    ready = CompletableFuture.failedFuture(end);
                } else {
                    if (ready.isDone()) {
                        ready = new CompletableFuture<>();
                    }
                    retry = true;
                    if (link.session != null) {
                        nextDelay = minDelay;
                    }
                }
            }
        }
        link.closed.complete(null);
        requests.lostWith(link);
        if (failReady != null) {
            failReady.completeExceptionally(end);
            if (hadSession) {
                log.error("{}", end.getMessage());
                handler.onConnectionEnded(end);
            }
        }
        if (retry) {
            if (link.session != null) {
                log.warn("the connection to {} was lost ({}); reconnecting", uri,
                        ClientLink.describe(status, reason, error));
            } else {
                log.debug("reconnecting to {} failed ({})", uri, ClientLink.describe(status, reason, error));
            }
            scheduleReconnect();
        }
    }

    /** Under the lock: returns why the connection is over for good, or {@code null} to reconnect. */
    private EngineFailureException finalFailure(ClientLink link, int status, String reason, Throwable error) {
        if (link.refusal != null || status == 1008 || ClientLink.isHttpStatus(error, 401)
                || ClientLink.isHttpStatus(error, 403)) {
            String said = link.refusal != null ? link.refusal : ClientLink.describe(status, reason, error);
            return new EngineFailureException("the server at " + uri + " refused the token (" + said + ")");
        }
        if (status == 4000) {
            return new EngineFailureException("the session " + sessionId + " at " + uri
                    + " was taken over by another connection (close 4000)");
        }
        if (sessionId == null) {
            return new EngineFailureException("cannot connect to " + uri + ": "
                    + ClientLink.describe(status, reason, error), error);
        }
        return null;
    }

    @Override
    public void onDown(ClientLink link, int status, String reason, Throwable error) {
        linkDown(link, status, reason, error);
    }

    // ---- receiving, on the WebSocket's receiving thread ----

    @Override
    public void onFrame(ClientLink link, String text) {
        if (link.down) {
            return;
        }
        JsonNode frame;
        try {
            frame = ClientCodec.parse(text);
        } catch (JsonProcessingException e) {
            log.warn("{}: a frame that is not JSON was ignored: {}", uri, e.getOriginalMessage());
            return;
        }
        if (frame.isArray()) {
            frame.forEach(one -> receiveOne(link, one));
        } else {
            receiveOne(link, frame);
        }
    }

    private void receiveOne(ClientLink link, JsonNode frame) {
        JsonNode method = frame.get("method");
        if (method != null && method.isTextual()) {
            JsonNode params = frame.path("params");
            if (method.asText().equals("rpc.on_session")) {
                sessionStarted(link, params);
                return;
            }
            long seq = params.path("seq").asLong(0);
            synchronized (lock) {
                if (seq > 0) {
                    if (seq <= lastSeq) {
                        log.debug("{}: event {} seq {} seen already; ignored", uri, method.asText(), seq);
                        return;
                    }
                    lastSeq = seq;
                }
            }
            handler.onEvent(method.asText(), params);
            return;
        }
        JsonNode id = frame.get("id");
        if (id == null || id.isNull()) {
            JsonNode error = frame.path("error");
            if (error.path("code").asInt() == 401) {
                link.refusal = "401 " + error.path("message").asText();
            } else {
                log.warn("{}: the server reported an error: {}", uri, error);
            }
            return;
        }
        requests.respond(id, frame);
    }

    private void sessionStarted(ClientLink link, JsonNode params) {
        Session session = new Session(ClientCodec.textOr(params, "session_id", ""),
                params.path("resumed").asBoolean(false), ClientCodec.textOr(params, "node_id", ""),
                params.path("last_seq").asLong(0), params.path("lost").asLong(0), ClientCodec.text(params, "reason"));
        boolean first;
        CompletableFuture<ClientLink> whenReady;
        synchronized (lock) {
            if (link != current || closing) {
                return;
            }
            first = sessionId == null;
            if (first || !session.resumed()) {
                // A new session numbers its events from its own last_seq (0).
                lastSeq = session.lastSeq();
            }
            sessionId = session.sessionId();
            String token = ClientCodec.text(params, "resume_token");
            if (token != null || !session.resumed()) {
                resumeToken = token;
            }
            nextDelay = minDelay;
            whenReady = ready;
        }
        link.session = session;
        if (!first && session.resumed()) {
            log.info("resumed session {} at {}", session.sessionId(), uri);
        }
        if (session.lost() > 0) {
            log.warn("session {} at {}: {} events fell out of the server's buffer while disconnected and are lost",
                    session.sessionId(), uri, session.lost());
        }
        handler.onSession(session, first);
        whenReady.complete(link);
    }
}
