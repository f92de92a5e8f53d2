package org.cti4j.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
 *                                       events pass the seq filter and go to the {@link ClientSession.Handler}
 *  link down ─▶ requests on it fail ─▶ reconnect with session_id and last_seq, backoff min..max ─▶ ready again
 * </pre>
 *
 * <p>Frames are handled one at a time on the WebSocket's receiving thread, which never blocks: the next frame is
 * requested only when the previous one is handled, so what a response's hook does (registering a new resource)
 * happens before any later frame is looked at. A 401 refusal (then close 1008), a takeover of the session (close
 * 4000) and {@link #close} end the connection for good; any other drop is reconnected. Its states and their moves
 * are {@link ConnectionState}'s; the parts it delegates to: {@link ClientDialer} (opening links, timers, heartbeat
 * schedule), {@link ClientSender} (requests out), {@link ClientReceiver} (frames in).
 */
final class ClientConnection implements ClientLink.Owner, ClientReceiver.Sink {

    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final URI uri;
    private final Duration requestTimeout;
    private final Duration minDelay;
    private final Duration maxDelay;
    private final ClientSession.Handler handler;
    private final ClientDialer dialer;
    private final ClientRequests requests;
    private final ClientReceiver receiver;
    private final ClientSender sender;

    private final Object lock = new Object();
    // Guarded by lock: every field below.
    private ConnectionState state = ConnectionState.CONNECTING;
    /** The link being made or up; {@code null} between a link going down and the next attempt. */
    private ClientLink current;
    /** Completes with the link once its session started; replaced when a link goes down. */
    private CompletableFuture<ClientLink> ready = new CompletableFuture<>();
    private String sessionId;
    /** The secret the server gave with the session; resuming needs it. {@code null} if the server gave none. */
    private String resumeToken;
    private long lastSeq;
    private Duration nextDelay;
    /** The server's session grace, from the last {@code rpc.on_session}; -1 if it did not say. */
    private long graceSeconds = -1;
    /** Counts the drops of a ready connection, so that a check scheduled for one drop ignores later ones. */
    private long drops;

    ClientConnection(URI uri, String token, SSLContext sslContext, Duration requestTimeout, Duration minDelay,
            Duration maxDelay, Duration pingInterval, ClientSession.Handler handler) {
        this.uri = uri;
        this.requestTimeout = requestTimeout;
        this.minDelay = minDelay;
        this.maxDelay = maxDelay;
        this.nextDelay = minDelay;
        this.handler = handler;
        this.requests = new ClientRequests(uri);
        this.receiver = new ClientReceiver(uri, this, handler, requests);
        this.sender = new ClientSender(uri, requestTimeout, requests, receiver, this::whenReady);
        this.dialer = new ClientDialer(uri, token, sslContext, requestTimeout);
        dialer.every(pingInterval, () -> heartbeat(pingInterval));
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
    ClientSession start() {
        ClientLink link = new ClientLink(this);
        CompletableFuture<ClientLink> first;
        synchronized (lock) {
            current = link;
            first = ready;
        }
        dialer.open(link, uri, this::linkDown);
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
     * @throws IllegalStateException if called on the thread that reads the responses
     */
    Reply call(String method, ObjectNode params, Function<JsonNode, Object> hook) {
        return sender.call(method, params, hook);
    }


    /** Returns whether the calling thread is reading what the server sent (a listener run in place, a hook). */
    boolean isReceivingThread() {
        return receiver.isReceiving();
    }

    /** Under the lock: moves to {@code next}, or throws naming the transition. */
    private void move(ConnectionState next) {
        state = state.moveTo(next, uri.toString());
    }

    /** Returns the connection's state. */
    ConnectionState state() {
        synchronized (lock) {
            return state;
        }
    }

    /** Sends a request without waiting: once connected (if not now), and never after {@link #close}. */
    Pending send(String method, ObjectNode params, Function<JsonNode, Object> hook) {
        return sender.send(method, params, hook);
    }

    /** Sends a notification (no response), once connected; dropped if the client is closed. */
    void notify(String method, ObjectNode params) {
        sender.notify(method, params);
    }

    /** Returns the future of the link requests go out on now (done once a session started, failed once over). */
    private CompletableFuture<ClientLink> whenReady() {
        synchronized (lock) {
            return ready;
        }
    }


    /** Returns whether a connection with a started session is up. */
    boolean isConnected() {
        synchronized (lock) {
            return state == ConnectionState.READY;
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
            if (state == ConnectionState.CLOSED) {
                return;
            }
            move(ConnectionState.CLOSED);
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
        dialer.shutdown();
    }

    // ---- reconnecting ----

    private void reconnect() {
        ClientLink link = new ClientLink(this);
        URI target;
        synchronized (lock) {
            if (state.isOver()) {
                return;
            }
            current = link;
            target = dialer.resumeUri(sessionId, lastSeq, resumeToken);
        }
        // Not the target: it holds the resume token, which must not reach a log.
        log.debug("reconnecting to {} to resume session {}", uri, sessionId);
        dialer.open(link, target, this::linkDown);
    }

    private void scheduleReconnect() {
        Duration delay;
        synchronized (lock) {
            delay = nextDelay;
            nextDelay = nextDelay.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : nextDelay.multipliedBy(2);
        }
        dialer.after(delay, this::reconnect);
    }

    /** How long past the server's session grace the client waits before it calls the session's resources lost. */
    private static final Duration OUT_OF_REACH_MARGIN = Duration.ofSeconds(2);

    /**
     * Under the lock, as a ready connection drops: once it has stayed down longer than the server keeps a session
     * (plus a margin for the time the drop took to notice), the session and its resources are out of reach —
     * released by the server, or gone with it — and the handler hears so.
     */
    private void watchOutOfReach() {
        if (graceSeconds < 0) {
            return;
        }
        long drop = ++drops;
        Duration wait = Duration.ofSeconds(graceSeconds).plus(OUT_OF_REACH_MARGIN);
        dialer.after(wait, () -> {
            synchronized (lock) {
                if (drop != drops || state != ConnectionState.RECONNECTING) {
                    return;
                }
            }
            handler.onOutOfReach(new EngineFailureException("no connection to " + uri + " for " + wait.toSeconds()
                    + " s, longer than the server keeps a session (" + graceSeconds + " s): the session's resources"
                    + " were released there, or the server is gone with them"));
        });
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
            if (link == current && !state.isOver()) {
                current = null;
                end = link.endForGood(uri, sessionId, status, reason, error).orElse(null);
                if (end != null) {
                    move(ConnectionState.ENDED);
                    failReady = ready;
                    ready = CompletableFuture.failedFuture(end);
                } else {
                    if (state == ConnectionState.READY) {
                        move(ConnectionState.RECONNECTING);
                        watchOutOfReach();
                    }
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

    @Override
    public void onDown(ClientLink link, int status, String reason, Throwable error) {
        receiver.asReceiver(() -> linkDown(link, status, reason, error));
    }

    // ---- receiving, on the WebSocket's receiving thread ----

    @Override
    public void onFrame(ClientLink link, String text) {
        if (!link.down) {
            receiver.onFrame(link, text);
        }
    }

    @Override
    public boolean acceptSeq(long seq) {
        synchronized (lock) {
            if (seq <= lastSeq) {
                return false;
            }
            lastSeq = seq;
            return true;
        }
    }

    @Override
    public void started(ClientLink link, ClientSession session, String token) {
        boolean first;
        CompletableFuture<ClientLink> whenReady;
        synchronized (lock) {
            if (link != current || state.isOver()) {
                return;
            }
            if (state != ConnectionState.READY) {
                move(ConnectionState.READY);
            }
            first = sessionId == null;
            if (first || !session.resumed()) {
                // A new session numbers its events from its own last_seq (0).
                lastSeq = session.lastSeq();
            }
            sessionId = session.sessionId();
            graceSeconds = session.graceSeconds();
            drops++;
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
