package org.cti4j.sip;

import gov.nist.javax.sip.stack.ConnectionOrientedMessageChannel;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers 400 on a TCP connection whose request has a malformed mandatory header, before JAIN-SIP closes it. Over UDP
 * JAIN-SIP 1.3.0-91 answers such a request 400 itself; over TCP it only closes the connection (its
 * {@code TCPMessageChannel.handleException}), so the sender never learns why (RFC 4475 3.1.2 asks for 400). The
 * connection is still closed afterwards: once a header such as Content-Length is wrong, where the next message starts
 * can no longer be trusted.
 *
 * <p>The answer is built from the request's own lines (Via, From, To, Call-ID, CSeq, copied as received) and written
 * on the connection's socket, which JAIN-SIP keeps in a protected field: it would otherwise send a response through
 * its connection table, where a connection that never carried a valid message is not yet listed. If that field
 * cannot be reached (another JAIN-SIP release) the connection is closed unanswered, as before.
 */
final class StreamBadRequests {

    private static final Logger log = LoggerFactory.getLogger(StreamBadRequests.class);
    private static final Field SOCKET = socketField();
    private static final Set<String> ECHOED = Set.of("via", "v", "from", "f", "to", "t", "call-id", "i", "cseq");

    private StreamBadRequests() {
    }

    private static Field socketField() {
        try {
            Field field = ConnectionOrientedMessageChannel.class.getDeclaredField("mySock");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("no 400 over TCP for malformed requests: {}", e.toString());
            return null;
        }
    }

    /**
     * Writes {@code 400 Bad Request: <problem>} on {@code channel}'s connection for the request in {@code raw}.
     *
     * @return false if {@code raw} has no Via: not a request that can be answered (a response, stray bytes)
     */
    static boolean answer(ConnectionOrientedMessageChannel channel, String raw, String problem) {
        String head = unfold(raw);
        if (head.startsWith("SIP/") || !head.matches("(?is).*\n(via|v)[ \t]*:.*")) {
            return false;
        }
        if (SOCKET == null) {
            return true;
        }
        String response = response(head, problem);
        try {
            Socket socket = (Socket) SOCKET.get(channel);
            if (socket == null || socket.isClosed()) {
                return true;
            }
            OutputStream out = socket.getOutputStream();
            // JAIN-SIP writes responses holding the same lock, so the bytes of two messages never interleave.
            synchronized (out) {
                out.write(response.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException | IllegalAccessException | RuntimeException e) {
            log.debug("cannot answer 400 over TCP: {}", HandlingFailures.cut(e.toString()));
        }
        return true;
    }

    /** Returns the 400 for the request whose (unfolded) head is {@code head}. */
    static String response(String head, String problem) {
        StringBuilder response = new StringBuilder("SIP/2.0 400 Bad Request: ").append(problem).append("\r\n");
        String[] lines = head.split("\r?\n");
        for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            String name = colon > 0 ? line.substring(0, colon).trim().toLowerCase(Locale.ROOT) : "";
            if (ECHOED.contains(name)) {
                response.append(line);
                if ((name.equals("to") || name.equals("t")) && !line.toLowerCase(Locale.ROOT).contains(";tag=")) {
                    response.append(";tag=").append(Long.toHexString(System.nanoTime()));
                }
                response.append("\r\n");
            }
        }
        return response.append("Content-Length: 0\r\n\r\n").toString();
    }

    /** Joins header lines continued on the next line (RFC 3261 7.3.1) and drops what follows the head. */
    private static String unfold(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        String head = end < 0 ? raw : raw.substring(0, end);
        return head.replaceAll("\r?\n[ \t]+", " ").stripLeading();
    }
}
