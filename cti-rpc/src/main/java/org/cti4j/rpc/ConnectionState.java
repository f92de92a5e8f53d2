package org.cti4j.rpc;

import java.util.EnumSet;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The states of the client's connection ({@link ClientConnection}), each with the states it may move to.
 *
 * <pre>
 *  CONNECTING ──session──▶ READY ──link down──▶ RECONNECTING ──session──▶ READY
 *      │                     │                      │
 *      └── refused, unreachable, taken over ──▶ ENDED ◀──┘      every state but CLOSED ──close()──▶ CLOSED
 * </pre>
 */
enum ConnectionState {
    /** The first connection is being made; no session yet. */
    CONNECTING,
    /** A link is up and its session started: requests go out at once. */
    READY,
    /** The link went down; a new one is being made (with backoff) to resume the session. Requests wait. */
    RECONNECTING,
    /** Over for good (refused, taken over, first connection failed); only {@code close()} may follow. */
    ENDED,
    /** Closed by the client. Nothing follows. */
    CLOSED;

    private static final Map<ConnectionState, Set<ConnectionState>> NEXT = new EnumMap<>(ConnectionState.class);

    static {
        NEXT.put(CONNECTING, EnumSet.of(READY, ENDED, CLOSED));
        NEXT.put(READY, EnumSet.of(RECONNECTING, ENDED, CLOSED));
        NEXT.put(RECONNECTING, EnumSet.of(READY, ENDED, CLOSED));
        NEXT.put(ENDED, EnumSet.of(CLOSED));
        NEXT.put(CLOSED, EnumSet.noneOf(ConnectionState.class));
    }

    /** Returns whether this state may move to {@code target}. */
    boolean canMoveTo(ConnectionState target) {
        return NEXT.get(this).contains(target);
    }

    /** Returns whether the connection is over: no link will be made again. */
    boolean isOver() {
        return this == ENDED || this == CLOSED;
    }

    /**
     * Returns {@code target} if this state may move to it.
     *
     * @throws IllegalStateException naming the transition otherwise
     */
    ConnectionState moveTo(ConnectionState target, String uri) {
        if (!canMoveTo(target)) {
            throw new IllegalStateException("the client connection to " + uri + " cannot move from " + this + " to "
                    + target);
        }
        return target;
    }
}
