package org.cti4j.rpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.cti4j.api.Call;
import org.cti4j.api.CallDirection;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.CallState;
import org.cti4j.api.Conference;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.Resource;
import org.java_websocket.WebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's sessions, the resources each owns, and the offering of inbound calls. Sessions come and go with
 * connections; a session without one waits {@code session_grace} for its client, then its resources are released.
 *
 * <p>Ownership: a resource a session constructed is its own; an inbound call is owned by the session it is offered
 * to, and moves with it when it is offered again to another session. The owner, not the {@code res_id}, is what
 * allows an operation ({@link #owns}). A session is resumed only by a client that presents its resume token.
 */
final class ServerSessions {

    private static final Logger log = LoggerFactory.getLogger(ServerSessions.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CtiEngine engine;
    private final ServerConfig config;
    private final ScheduledExecutorService timer;
    private final Map<String, ServerSession> byId = new ConcurrentHashMap<>();
    private final LongAdder lostEvents = new LongAdder();
    /** Every owned resource's route by {@code res_id}: who owns it. Removed when the resource is released. */
    private final Map<String, Route> owners = new ConcurrentHashMap<>();
    /** Inbound calls' routes by {@code res_id} (their events all reach one shared listener). */
    private final Map<String, Route> inbound = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<ServerSession> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextSubscriber = new AtomicInteger();

    ServerSessions(CtiEngine engine, ServerConfig config, ScheduledExecutorService timer) {
        this.engine = engine;
        this.config = config;
        this.timer = timer;
    }

    int count() {
        return byId.size();
    }

    /** See {@link RpcServer#eventsWaiting()}. */
    long eventsWaiting() {
        long waiting = 0;
        for (ServerSession session : byId.values()) {
            waiting += session.waitingEvents();
        }
        return waiting;
    }

    /** See {@link RpcServer#eventsLost()}. */
    long eventsLost() {
        return lostEvents.sum();
    }

    /** Whether a session exists and has a connection (for tests). */
    boolean isConnected(String sessionId) {
        ServerSession session = byId.get(sessionId);
        return session != null && session.isConnected();
    }

    /** The last event number of a session, or -1 if there is no such session (for tests). */
    long lastSeq(String sessionId) {
        ServerSession session = byId.get(sessionId);
        return session == null ? -1 : session.lastSeq();
    }

    /**
     * Serves a new connection: the session it asks to resume, if it presents that session's resume token, or a new
     * one. A resume that fails for any reason (no such session, or a wrong token) gets the same answer, so that
     * nobody learns whether a session exists; the session named is left untouched.
     *
     * @param resumeId the session the client asks for, or {@code null}
     * @param resumeToken the resume token the client presents, or {@code null}
     * @param lastSeq the last event number the client saw
     */
    ServerSession open(WebSocket conn, String resumeId, String resumeToken, long lastSeq) {
        String reason = null;
        if (resumeId != null && resumeToken == null) {
            reason = "resuming session " + resumeId + " needs its resume_token (sent in rpc.on_session); "
                    + "a new session was started";
        } else if (resumeId != null) {
            ServerSession known = byId.get(resumeId);
            if (known != null && !known.isEnded() && known.hasResumeToken(resumeToken)) {
                known.attach(conn, lastSeq, true, null);
                log.debug("{} resumed after event {}", known, lastSeq);
                return known;
            }
            if (known != null && !known.isEnded()) {
                log.warn("a connection from {} named {} with a wrong resume token; it got a new session",
                        conn.getRemoteSocketAddress(), known);
            }
            reason = "session " + resumeId + " is unknown or expired (its resources were released), or "
                    + "resume_token is not its token; a new session was started";
        }
        ServerSession session = new ServerSession(HexFormat.of().formatHex(randomBytes(16)),
                HexFormat.of().formatHex(randomBytes(32)), engine.nodeId(), config.eventBuffer(),
                (config.sessionGrace().toMillis() + 999) / 1000, lostEvents);
        byId.put(session.id(), session);
        session.attach(conn, 0, false, reason);
        log.debug("{} opened", session);
        return session;
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /**
     * A connection closed. Unanswered inbound calls offered to its session are offered again elsewhere; the session
     * ends at once if the client said goodbye (status 1000), else after the grace period.
     */
    void closed(ServerSession session, WebSocket conn, boolean goodbye) {
        if (!session.detach(conn)) {
            return;
        }
        offerAgain(session);
        if (goodbye || config.sessionGrace().isZero()) {
            end(session);
            return;
        }
        session.graceStarted(timer.schedule(() -> {
            try {
                if (!session.isConnected()) {
                    log.info("{}: its client did not come back within {} s; releasing its resources", session,
                            (config.sessionGrace().toMillis() + 999) / 1000);
                    end(session);
                }
            } catch (Throwable t) {
                // The timer serves every session and every handshake timeout: nothing may end it.
                log.error("ending {} after its grace failed", session, t);
            }
        }, config.sessionGrace().toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Ends a session and releases every resource it owns. */
    void end(ServerSession session) {
        byId.remove(session.id());
        subscribers.remove(session);
        session.end();
        for (Route route : session.routes) {
            release(route.resource());
        }
    }

    /** Ends every session (the server stops). */
    void endAll() {
        byId.values().forEach(this::end);
    }

    private static void release(Resource resource) {
        try {
            if (resource instanceof Call call) {
                call.drop();
            } else if (resource instanceof DuoCallback duo) {
                duo.release();
            } else if (resource instanceof Conference conference) {
                conference.release();
            }
        } catch (RuntimeException released) {
            // Released in the meantime: nothing left to do.
            log.debug("{} was released already: {}", resource == null ? "a resource" : resource.resId(),
                    released.getMessage());
        }
    }

    /** Whether {@code session} owns the live resource {@code resId}. */
    boolean owns(ServerSession session, String resId) {
        Route route = owners.get(resId);
        return route != null && route.session() == session;
    }

    /** The route of the live resource {@code resId}, or {@code null}. */
    Route route(String resId) {
        return owners.get(resId);
    }

    void subscribe(ServerSession session, boolean subscribe) {
        session.subscribed(subscribe);
        if (subscribe) {
            subscribers.addIfAbsent(session);
        } else {
            subscribers.remove(session);
        }
    }

    /** Makes the route of a resource about to be constructed by {@code session}; it holds events until opened. */
    Route newRoute(ServerSession session) {
        return new Route(session, false);
    }

    /** The engine made the resource of {@code route}: the session owns it from now on. */
    void bind(Route route, Resource resource) {
        ServerSession session = route.session();
        if (route.bind(resource)) {
            session.routes.add(route);
            owners.put(resource.resId(), route);
            if (session.isEnded()) {
                // The client left while the resource was being made.
                session.routes.remove(route);
                owners.remove(resource.resId(), route);
                release(resource);
            }
        }
    }

    /** The resource of {@code route} was released: the session no longer owns it. */
    void released(Route route) {
        if (route.markReleased()) {
            route.session().routes.remove(route);
            Resource resource = route.resource();
            if (resource != null) {
                inbound.remove(resource.resId(), route);
                owners.remove(resource.resId(), route);
            }
        }
    }

    /** The listener the engine offers inbound calls to. */
    CallListener incomingListener() {
        return new IncomingCalls();
    }

    private ServerSession nextSubscriber(ServerSession excluded) {
        int n = subscribers.size();
        for (int i = 0; i < n; i++) {
            ServerSession candidate;
            try {
                candidate = subscribers.get(Math.floorMod(nextSubscriber.getAndIncrement(), subscribers.size()));
            } catch (IndexOutOfBoundsException | ArithmeticException gone) {
                return null;
            }
            if (candidate != excluded && candidate.isConnected()) {
                return candidate;
            }
        }
        return null;
    }

    private void offerAgain(ServerSession session) {
        for (Route route : session.routes) {
            if (route.resource() instanceof Call call && call.direction() == CallDirection.INBOUND
                    && call.state() == CallState.INITIATED) {
                ServerSession other = nextSubscriber(session);
                if (other == null) {
                    return;
                }
                ObjectNode withdrawn = JsonFrames.object();
                withdrawn.put("res_id", call.resId());
                withdrawn.put("reason", "offered to another session: this one lost its connection before answering");
                session.emit(Call.MODULE + ".on_withdrawn", withdrawn);
                route.moveTo(other);
                route.emit(EventFrames.of(new CallEvent.Incoming(call.resId(), call.fromUri(), call.toUri(),
                        call.beginTime())));
                log.info("{} offered again to {}: {} lost its connection", call.resId(), other, session);
            }
        }
    }

    /** Offers each inbound call to one connected subscribed session, round-robin, and routes its later events. */
    private final class IncomingCalls implements CallListener {

        @Override
        public void onIncoming(Call call, CallEvent.Incoming event) {
            ServerSession session = nextSubscriber(null);
            if (session == null) {
                log.info("{} refused with 480: no connected session subscribed to inbound calls", call.resId());
                try {
                    call.drop(480);
                } catch (RuntimeException gone) {
                    log.debug("{} ended before it could be refused", call.resId());
                }
                return;
            }
            Route route = new Route(session, true);
            route.bind(call);
            inbound.put(call.resId(), route);
            owners.put(call.resId(), route);
            session.routes.add(route);
            route.emit(EventFrames.of(event));
        }

        @Override
        public void onPlayCompleted(Call call, CallEvent.PlayCompleted event) {
            route(call, EventFrames.of(event));
        }

        @Override
        public void onRecordCompleted(Call call, CallEvent.RecordCompleted event) {
            route(call, EventFrames.of(event));
        }

        @Override
        public void onDtmf(Call call, CallEvent.Dtmf event) {
            route(call, EventFrames.of(event));
        }

        @Override
        public void onReceiveDtmfCompleted(Call call, CallEvent.ReceiveDtmfCompleted event) {
            route(call, EventFrames.of(event));
        }

        @Override
        public void onSendDtmfCompleted(Call call, CallEvent.SendDtmfCompleted event) {
            route(call, EventFrames.of(event));
        }

        @Override
        public void onConnectCompleted(Call call, CallEvent.ConnectCompleted event) {
            route(call, EventFrames.of(event));
        }

        @Override
        public void onHoldCompleted(Call call, CallEvent.HoldCompleted event) {
            route(call, EventFrames.of(event));
        }

        @Override
        public void onReleased(Call call, CallEvent.Released event) {
            Route route = inbound.get(call.resId());
            if (route != null) {
                route.emit(EventFrames.of(event));
                released(route);
            }
        }

        private void route(Call call, EventFrames.Event event) {
            Route route = inbound.get(call.resId());
            if (route != null) {
                route.emit(event);
            }
        }
    }
}
