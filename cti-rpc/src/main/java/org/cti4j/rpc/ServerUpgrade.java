package org.cti4j.rpc;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import org.java_websocket.handshake.ClientHandshake;

/**
 * What the server makes of a WebSocket upgrade (PROTOCOL.md, "Connecting"): the token checked, the session to resume
 * and the last event seen read from the query. Stateless; called on Java-WebSocket's thread that opens the connection.
 */
sealed interface ServerUpgrade {

    /** The connection may go on: a new session, or the one named to resume. */
    record Accepted(String sessionId, String resumeToken, long lastSeq) implements ServerUpgrade {
    }

    /** No token, or not the server's: answered 401, closed with 1008. */
    record Unauthorized(String why) implements ServerUpgrade {
    }

    /** A query that cannot be read: answered -32600, closed with 1008. */
    record Malformed(String why) implements ServerUpgrade {
    }

    /** Checks the upgrade against the server's {@code token} ({@code null}: none required). */
    static ServerUpgrade check(ClientHandshake handshake, String token) {
        Map<String, String> query;
        try {
            query = query(handshake.getResourceDescriptor());
        } catch (IllegalArgumentException e) {
            return new Malformed("the query of the request is not URL-encoded: " + e.getMessage());
        }
        if (token != null) {
            String presented = query.get("token");
            String authorization = handshake.getFieldValue("Authorization");
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                presented = authorization.substring(7).trim();
            }
            if (presented == null || presented.isEmpty()) {
                return new Unauthorized("a bearer token is required (Authorization: Bearer <token>, or"
                        + " ?token=<token>)");
            }
            if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                    token.getBytes(StandardCharsets.UTF_8))) {
                return new Unauthorized("the bearer token is not the server's");
            }
        }
        long lastSeq = 0;
        String lastSeqText = query.get("last_seq");
        if (lastSeqText != null) {
            try {
                lastSeq = Long.parseLong(lastSeqText);
            } catch (NumberFormatException e) {
                return new Malformed("last_seq '" + lastSeqText + "' is not a number");
            }
        }
        return new Accepted(query.get("session_id"), query.get("resume_token"), lastSeq);
    }

    private static Map<String, String> query(String resourceDescriptor) {
        Map<String, String> values = new HashMap<>();
        String query = URI.create(resourceDescriptor).getRawQuery();
        if (query == null) {
            return values;
        }
        for (String pair : query.split("&", 0)) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                values.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }
}
