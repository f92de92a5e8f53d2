package org.cti4j.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import org.cti4j.api.EngineFailureException;

/**
 * The params of {@code rpc.on_session}: the session a link started (PROTOCOL.md, "Sessions, events and resume").
 * {@code graceSeconds} is how long the server keeps the session after its connection drops; -1 when the server did
 * not say.
 */
record ClientSession(String sessionId, boolean resumed, String nodeId, long lastSeq, long lost, String reason,
        long graceSeconds) {

    /**
     * What the connection tells its owner, on the receiving thread (or whichever thread detects a failure); never
     * blocks.
     */
    interface Handler {
        /** A session started: the first, one resumed, or a new one because the server forgot the old one. */
        void onSession(ClientSession session, boolean first);

        /** An event, in order and exactly once. */
        void onEvent(String method, JsonNode params);

        /** The session is gone for good (refused, taken over, or given up): no more events will come for it. */
        void onConnectionEnded(EngineFailureException reason);

        /**
         * The connection has been down longer than the server keeps a session: whatever the session held was released
         * there, or the server is gone with it. The client goes on reconnecting.
         */
        default void onOutOfReach(EngineFailureException reason) {
        }
    }
}
