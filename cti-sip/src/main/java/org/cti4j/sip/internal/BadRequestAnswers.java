package org.cti4j.sip.internal;

import gov.nist.javax.sip.stack.ConnectionOrientedMessageChannel;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.UDPMessageChannel;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a request JAIN-SIP cannot parse ({@code 400 Bad Request: <problem>}, {@code 413 Request Entity Too Large})
 * with a response that is itself well formed.
 *
 * <ul>
 *   <li>Over TCP JAIN-SIP 1.3.0-91 only closes the connection (its {@code TCPMessageChannel.handleException}), so the
 *       sender never learns why (RFC 4475 3.1.2 asks for 400). The answer is written on the connection's socket,
 *       which JAIN-SIP keeps in a protected field: it would otherwise send a response through its connection table,
 *       where a connection that never carried a valid message is not yet listed. The connection is still closed
 *       afterwards where the stack closes it: once a header such as Content-Length is wrong, where the next message
 *       starts can no longer be trusted.
 *   <li>Over UDP JAIN-SIP answers 400 itself, but builds the answer by copying raw text from the request: from two
 *       characters before each {@code Via} to the next CRLF. A request with bare CRs, LFs or NULs then gets an answer
 *       whose status line runs on into request bytes. The answer is sent here instead (to where the datagram came
 *       from, as JAIN-SIP does), and the stack is told the datagram held no message, which it drops unanswered.
 * </ul>
 *
 * <p>The answer echoes the request's own Via, From, To, Call-ID and CSeq lines, as received, except lines holding a
 * control character: bare CRs and LFs end lines, and a line with any other control character is left out. ACKs and
 * responses are never answered (RFC 3261 17). If a JAIN-SIP internal cannot be reached (another release), the request
 * is left unanswered.
 */
final class BadRequestAnswers {

    private static final Logger log = LoggerFactory.getLogger(BadRequestAnswers.class);
    private static final Field SOCKET = field(ConnectionOrientedMessageChannel.class, "mySock");
    private static final Method SEND = sendMethod();
    private static final Field PACKET = field(UDPMessageChannel.class, "incomingPacket");
    private static final Set<String> ECHOED = Set.of("via", "v", "from", "f", "to", "t", "call-id", "i", "cseq");
    private static final Pattern HAS_VIA = Pattern.compile("[\r\n](via|v)[ \t]*:", Pattern.CASE_INSENSITIVE);
    private static final Pattern LINE_END = Pattern.compile("\r\n|\r|\n");

    private BadRequestAnswers() {
    }

    private static Field field(Class<?> owner, String name) {
        try {
            Field field = owner.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("no 400 for malformed requests over {}: {}", owner.getSimpleName(), e.toString());
            return null;
        }
    }

    private static Method sendMethod() {
        try {
            Method method = MessageChannel.class.getDeclaredMethod("sendMessage", byte[].class, InetAddress.class,
                    int.class, boolean.class);
            method.setAccessible(true);
            return method;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("no 400 for malformed requests over UDP: {}", e.toString());
            return null;
        }
    }

    /**
     * Answers the request in {@code raw}, received on {@code channel}, with {@code status}.
     *
     * @param status the status code and reason phrase, e.g. {@code 400 Bad Request: malformed CSeq header}; control
     *     characters are replaced and long text cut
     * @return false if {@code raw} is not a request that can be answered: a response, an ACK, stray bytes without a
     *     Via
     */
    static boolean answer(MessageChannel channel, String raw, String status) {
        String head = unfold(raw);
        if (head.startsWith("SIP/") || head.startsWith("ACK ") || !HAS_VIA.matcher(head).find()) {
            return false;
        }
        byte[] response = response(head, status).getBytes(StandardCharsets.ISO_8859_1);
        try {
            if (channel instanceof ConnectionOrientedMessageChannel stream) {
                write(stream, response);
            } else if (channel instanceof UDPMessageChannel datagram && SEND != null && PACKET != null) {
                // the datagram's source: JAIN-SIP has not read the Via yet, and answers its own 400s there too
                DatagramPacket packet = (DatagramPacket) PACKET.get(datagram);
                SEND.invoke(datagram, response, packet.getAddress(), packet.getPort(), false);
            }
        } catch (InvocationTargetException e) {
            log.debug("cannot answer a malformed request: {}", HandlingFailures.cut(e.getCause().toString()));
        } catch (IOException | ReflectiveOperationException | RuntimeException e) {
            log.debug("cannot answer a malformed request: {}", HandlingFailures.cut(e.toString()));
        }
        return true;
    }

    private static void write(ConnectionOrientedMessageChannel channel, byte[] response) throws IOException,
            IllegalAccessException {
        if (SOCKET == null) {
            return;
        }
        Socket socket = (Socket) SOCKET.get(channel);
        if (socket == null || socket.isClosed()) {
            return;
        }
        OutputStream out = socket.getOutputStream();
        // JAIN-SIP writes responses holding the same lock, so the bytes of two messages never interleave.
        synchronized (out) {
            out.write(response);
            out.flush();
        }
    }

    /** Returns the answer with {@code status} to the request whose (unfolded) head is {@code head}. */
    static String response(String head, String status) {
        StringBuilder response = new StringBuilder("SIP/2.0 ").append(HandlingFailures.cut(status)).append("\r\n");
        String[] lines = LINE_END.split(head, 0);
        for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            String name = colon > 0 ? line.substring(0, colon).trim().toLowerCase(Locale.ROOT) : "";
            if (ECHOED.contains(name) && line.chars().noneMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
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
