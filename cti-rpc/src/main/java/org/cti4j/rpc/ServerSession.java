package org.cti4j.rpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.LongAdder;
import org.java_websocket.WebSocket;
import org.java_websocket.exceptions.WebsocketNotConnectedException;

/**
 * A client's session: what owns resources and hears their events. It outlives its connection: events are numbered
 * ({@code seq}) and kept in a bounded buffer, so that a client that comes back with the last number it saw gets
 * every event it missed, in order, before new ones.
 *
 * <p>Thread-safety: the event buffer, the sequence and the connection are guarded by the session's lock; sending is
 * done under it (Java-WebSocket's {@code send} only queues), which is what keeps replayed and live events in order.
 */
final class ServerSession {

    private final String id;
    /** The secret a client must present to resume the session; the id alone is not enough. */
    private final byte[] resumeToken;
    private final String resumeTokenText;
    private final String nodeId;
    private final int capacity;
    private final ArrayDeque<String> buffer = new ArrayDeque<>();
    /** The resources the session owns (routes of their events). */
    final Set<Route> routes = ConcurrentHashMap.newKeySet();

    private long seq;
    /** The last {@code seq} sent before the connection dropped; -1 while connected. */
    private long detachedAtSeq = -1;
    /** Counts the events clients never got (shared by the server's sessions). */
    private final LongAdder lostEvents;
    private WebSocket connection;
    private boolean ended;
    private ScheduledFuture<?> grace;
    /** The session grace, told to the client in {@code rpc.on_session}. */
    private final long graceSeconds;
    private volatile boolean subscribed;

    ServerSession(String id, String resumeToken, String nodeId, int capacity, long graceSeconds,
            LongAdder lostEvents) {
        this.graceSeconds = graceSeconds;
        this.lostEvents = lostEvents;
        this.id = id;
        this.resumeTokenText = resumeToken;
        this.resumeToken = resumeToken.getBytes(StandardCharsets.UTF_8);
        this.nodeId = nodeId;
        this.capacity = capacity;
    }

    String id() {
        return id;
    }

    /** Whether {@code presented} is the session's resume token; compared in constant time. */
    boolean hasResumeToken(String presented) {
        return MessageDigest.isEqual(resumeToken, presented.getBytes(StandardCharsets.UTF_8));
    }

    boolean isSubscribed() {
        return subscribed;
    }

    void subscribed(boolean value) {
        subscribed = value;
    }

    /** Numbers an event, keeps it, and sends it if the client is connected. Dropped once the session ended. */
    synchronized void emit(String method, ObjectNode params) {
        if (ended) {
            return;
        }
        params.put("seq", ++seq);
        String frame = JsonFrames.notification(method, params);
        buffer.addLast(frame);
        if (buffer.size() > capacity) {
            buffer.removeFirst();
        }
        send(frame);
    }

    /**
     * Serves the session on {@code conn}: tells the client about the session, then replays the events after
     * {@code lastSeq} that are still buffered. A connection that served the session before is closed (4000).
     *
     * @param resumed whether the client asked for this session (else it is new)
     * @param reason why a resume was not possible, or {@code null}
     */
    void attach(WebSocket conn, long lastSeq, boolean resumed, String reason) {
        WebSocket previous;
        synchronized (this) {
            previous = connection;
            connection = conn;
            detachedAtSeq = -1;
            replay(lastSeq, resumed, reason);
        }
        // Closed outside the lock: Java-WebSocket calls onClose (which takes this lock) holding its own.
        if (previous != null && previous != conn) {
            previous.close(4000, "session " + id + " taken over by another connection");
        }
    }

    private void replay(long lastSeq, boolean resumed, String reason) {
        cancelGrace();
        long first = seq - buffer.size() + 1;
        long lost = resumed ? Math.max(0, Math.min(first, seq + 1) - (lastSeq + 1)) : 0;
        lostEvents.add(lost);
        ObjectNode params = JsonFrames.object();
        params.put("session_id", id);
        params.put("resume_token", resumeTokenText);
        params.put("resumed", resumed);
        params.put("node_id", nodeId);
        params.put("last_seq", seq);
        params.put("lost", lost);
        params.put("reason", reason);
        params.put("session_grace", graceSeconds);
        send(JsonFrames.notification("rpc.on_session", params));
        if (!resumed) {
            return;
        }
        long next = first;
        for (Iterator<String> frames = buffer.iterator(); frames.hasNext(); next++) {
            String frame = frames.next();
            if (next > lastSeq) {
                send(frame);
            }
        }
    }

    /** Forgets {@code conn} if it still serves the session; {@code false} if another connection took over. */
    synchronized boolean detach(WebSocket conn) {
        if (connection != conn) {
            return false;
        }
        connection = null;
        detachedAtSeq = seq;
        return true;
    }

    /**
     * Returns how many events wait for the client to come back: those numbered since its connection dropped, at most
     * the buffer's capacity (older ones are lost); 0 while connected.
     */
    synchronized long waitingEvents() {
        return connection == null && !ended && detachedAtSeq >= 0 ? Math.min(capacity, seq - detachedAtSeq) : 0;
    }

    synchronized long lastSeq() {
        return seq;
    }

    synchronized boolean isConnected() {
        return connection != null && !ended;
    }

    synchronized boolean isEnded() {
        return ended;
    }

    /** Starts the wait for the client's return; the task ends the session. */
    synchronized void graceStarted(ScheduledFuture<?> timer) {
        cancelGrace();
        grace = timer;
    }

    /** Ends the session: no more events are kept or sent. */
    void end() {
        WebSocket last;
        synchronized (this) {
            // What waited for a client that did not come back is lost with the session.
            lostEvents.add(waitingEvents());
            ended = true;
            cancelGrace();
            buffer.clear();
            last = connection;
            connection = null;
        }
        if (last != null) {
            last.close(1001, "session " + id + " ended");
        }
    }

    private void cancelGrace() {
        if (grace != null) {
            grace.cancel(false);
            grace = null;
        }
    }

    private void send(String frame) {
        if (connection == null) {
            return;
        }
        try {
            connection.send(frame);
        } catch (WebsocketNotConnectedException e) {
            // The connection is going; the event stays buffered for the client's return.
        }
    }

    @Override
    public String toString() {
        return "session " + id;
    }
}
