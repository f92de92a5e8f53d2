package org.cti4j.bench.load;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * The little the relays read of a SIP message: its first line, the user part of the Request-URI or of the To
 * header, the CSeq method, the SDP's audio port and the port of the top Via. Lenient: anything it cannot find gives
 * {@code null} or -1.
 */
final class SipText {

    private SipText() {
    }

    /** Returns whether the message is an INVITE request. */
    static boolean isInvite(String message) {
        return message.startsWith("INVITE ");
    }

    /** Returns whether the message is a 200 response to an INVITE. */
    static boolean isInviteOk(String message) {
        if (!message.startsWith("SIP/2.0 200")) {
            return false;
        }
        String cseq = header(message, "CSeq", null);
        return cseq != null && cseq.toUpperCase(Locale.ROOT).endsWith("INVITE");
    }

    /** Returns the user part of the Request-URI ({@code p1-12} of {@code INVITE sip:p1-12@host SIP/2.0}). */
    static String requestUser(String message) {
        int space = message.indexOf(' ');
        int end = message.indexOf(' ', space + 1);
        if (space < 0 || end < 0) {
            return null;
        }
        return user(message.substring(space + 1, end));
    }

    /** Returns the user part of the To header's URI. */
    static String toUser(String message) {
        String to = header(message, "To", "t");
        if (to == null) {
            return null;
        }
        int open = to.indexOf('<');
        int close = to.indexOf('>', open + 1);
        String uri = open >= 0 && close > open ? to.substring(open + 1, close) : to.split(";", 2)[0].trim();
        return user(uri);
    }

    /** Returns the port of the body's {@code m=audio} line, or -1. */
    static int audioPort(String message) {
        int m = message.indexOf("\nm=audio ");
        if (m < 0) {
            return -1;
        }
        int start = m + "\nm=audio ".length();
        int end = start;
        while (end < message.length() && Character.isDigit(message.charAt(end))) {
            end++;
        }
        return end > start ? Integer.parseInt(message.substring(start, end)) : -1;
    }

    /**
     * Returns the port of the sent-by of the message's first {@code Via} (or {@code v}) header, 5060 if it names
     * none, or -1 if the message has no Via before its body or it cannot be read. {@code received} and {@code rport}
     * are left alone: they say where the request came from (the relay), not where its sender listens. Reads
     * {@code datagram} from index 0 to {@code length} with absolute gets: it allocates nothing and leaves the buffer's
     * position and limit as they are.
     */
    static int topViaPort(ByteBuffer datagram, int length) {
        int lineStart = nextLine(datagram, 0, length);
        while (lineStart < length) {
            int next = nextLine(datagram, lineStart, length);
            int end = next;
            while (end > lineStart && (datagram.get(end - 1) == '\n' || datagram.get(end - 1) == '\r')) {
                end--;
            }
            if (end == lineStart) {
                return -1; // the empty line before the body
            }
            int value = viaValue(datagram, lineStart, end);
            if (value >= 0) {
                return sentByPort(datagram, value, end);
            }
            lineStart = next;
        }
        return -1;
    }

    /** Returns the index after the line feed that ends the line starting at {@code from}, or {@code length}. */
    private static int nextLine(ByteBuffer datagram, int from, int length) {
        for (int i = from; i < length; i++) {
            if (datagram.get(i) == '\n') {
                return i + 1;
            }
        }
        return length;
    }

    /** Returns where the value of a Via header on this line starts (after the colon), or -1 for another header. */
    private static int viaValue(ByteBuffer datagram, int start, int end) {
        int i = start;
        if (i < end && (datagram.get(i) | 0x20) == 'v') {
            i++;
            if (i + 1 < end && (datagram.get(i) | 0x20) == 'i' && (datagram.get(i + 1) | 0x20) == 'a') {
                i += 2;
            }
            while (i < end && isBlank(datagram.get(i))) {
                i++;
            }
            if (i < end && datagram.get(i) == ':') {
                return i + 1;
            }
        }
        return -1;
    }

    /** Reads {@code SIP/2.0/UDP host[:port]} from {@code from}: the port, 5060 without one, -1 if malformed. */
    private static int sentByPort(ByteBuffer datagram, int from, int end) {
        int i = from;
        while (i < end && isBlank(datagram.get(i))) {
            i++;
        }
        while (i < end && !isBlank(datagram.get(i))) {
            i++; // the protocol, SIP/2.0/UDP
        }
        while (i < end && isBlank(datagram.get(i))) {
            i++;
        }
        if (i < end && datagram.get(i) == '[') {
            while (i < end && datagram.get(i) != ']') {
                i++; // an IPv6 reference: its colons are not the port's
            }
        }
        while (i < end && datagram.get(i) != ':' && datagram.get(i) != ';' && datagram.get(i) != ','
                && !isBlank(datagram.get(i))) {
            i++;
        }
        if (i >= end || datagram.get(i) != ':') {
            return i > from ? 5060 : -1;
        }
        int port = 0;
        int digits = 0;
        for (i++; i < end && datagram.get(i) >= '0' && datagram.get(i) <= '9' && digits < 6; i++, digits++) {
            port = port * 10 + (datagram.get(i) - '0');
        }
        return digits == 0 || port > 65535 ? -1 : port;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }

    /**
     * Returns the number of a call tag made by the harness ({@code 12} of {@code p1-12}, {@code p2-12} or
     * {@code c-12}), or -1 if {@code user} is not one.
     */
    static int callId(String user) {
        if (user == null) {
            return -1;
        }
        int dash = user.indexOf('-');
        if (dash < 0 || dash == user.length() - 1) {
            return -1;
        }
        try {
            return Integer.parseInt(user.substring(dash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String user(String uri) {
        int colon = uri.indexOf(':');
        int at = uri.indexOf('@');
        if (colon < 0 || at < colon) {
            return null;
        }
        return uri.substring(colon + 1, at);
    }

    /** Returns the value of the first header of that name (or compact name), or null. Headers end at the body. */
    private static String header(String message, String name, String compact) {
        int body = message.indexOf("\r\n\r\n");
        int limit = body < 0 ? message.length() : body;
        int lineStart = message.indexOf("\r\n") + 2;
        while (lineStart > 1 && lineStart < limit) {
            int lineEnd = message.indexOf("\r\n", lineStart);
            if (lineEnd < 0 || lineEnd > limit) {
                lineEnd = limit;
            }
            int colon = message.indexOf(':', lineStart);
            if (colon > 0 && colon < lineEnd) {
                String key = message.substring(lineStart, colon).trim();
                if (key.equalsIgnoreCase(name) || (compact != null && key.equalsIgnoreCase(compact))) {
                    return message.substring(colon + 1, lineEnd).trim();
                }
            }
            lineStart = lineEnd + 2;
        }
        return null;
    }
}
