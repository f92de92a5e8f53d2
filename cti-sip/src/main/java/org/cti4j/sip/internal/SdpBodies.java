package org.cti4j.sip.internal;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Arrays;
import java.util.ListIterator;
import java.util.Locale;
import javax.sip.header.AcceptHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Message;
import javax.sip.message.Request;

/**
 * Where the SDP of a message is, and whether a request lets this side answer with SDP. A body is SDP when it is
 * {@code application/sdp} (or has no Content-Type, as some old peers send), or when it is a {@code multipart/*} body
 * with an {@code application/sdp} part (RFC 5621); any other body cannot carry an offer and is refused with 415.
 */
final class SdpBodies {

    private SdpBodies() {
    }

    /** Returns the SDP a message carries, or {@code null} if it carries none (no body, or a body of another type). */
    static byte[] sdpOf(Message message) {
        byte[] raw = message.getRawContent();
        if (raw == null || raw.length == 0) {
            return null;
        }
        ContentTypeHeader type = (ContentTypeHeader) message.getHeader(ContentTypeHeader.NAME);
        if (type == null || is(type.getContentType(), type.getContentSubType(), "application", "sdp")) {
            return raw;
        }
        if (type.getContentType().equalsIgnoreCase("multipart") && type.getParameter("boundary") != null) {
            return sdpPart(raw, unquote(type.getParameter("boundary")));
        }
        return null;
    }

    /**
     * Returns whether the request's {@code Accept} headers allow an {@code application/sdp} body in the answer; true
     * when it has none (RFC 3261 20.1: then {@code application/sdp} is assumed).
     */
    static boolean acceptsSdp(Request request) {
        ListIterator<?> accepts = request.getHeaders(AcceptHeader.NAME);
        if (accepts == null || !accepts.hasNext()) {
            return true;
        }
        while (accepts.hasNext()) {
            AcceptHeader accept = (AcceptHeader) accepts.next();
            String type = accept.getContentType();
            String subtype = accept.getContentSubType();
            if (type == null || is(type, subtype, "application", "sdp") || type.equals("*")
                    || (type.equalsIgnoreCase("application") && "*".equals(subtype))) {
                return true;
            }
        }
        return false;
    }

    /** Returns {@code Accept: application/sdp}, for a 415 (RFC 3261 21.4.13). */
    static AcceptHeader acceptSdp(HeaderFactory headers) {
        try {
            return headers.createAcceptHeader("application", "sdp");
        } catch (ParseException e) {
            throw new IllegalStateException("application/sdp is a valid Accept value", e);
        }
    }

    private static boolean is(String type, String subtype, String wantedType, String wantedSubtype) {
        return wantedType.equalsIgnoreCase(type) && wantedSubtype.equalsIgnoreCase(subtype);
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    /** Returns the content of the first {@code application/sdp} part of a multipart body, or {@code null}. */
    private static byte[] sdpPart(byte[] raw, String boundary) {
        // ISO-8859-1 maps each byte to one char, so indexes in the text are indexes in the bytes.
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        int at = text.indexOf(delimiter);
        while (at >= 0) {
            int partStart = text.indexOf('\n', at);
            if (partStart < 0 || text.startsWith("--", at + delimiter.length())) {
                return null;
            }
            int next = text.indexOf("\n" + delimiter, partStart);
            int partEnd = next < 0 ? text.length() : next;
            String part = text.substring(partStart + 1, partEnd);
            int headEnd = part.indexOf("\r\n\r\n");
            int bodyStart = headEnd + 4;
            if (headEnd < 0) {
                headEnd = part.indexOf("\n\n");
                bodyStart = headEnd + 2;
            }
            if (headEnd >= 0 && sdpHeaders(part.substring(0, headEnd))) {
                byte[] content = Arrays.copyOfRange(raw, partStart + 1 + bodyStart, partEnd);
                // The CR before the next delimiter belongs to the delimiter (RFC 2046 5.1.1).
                return content.length > 0 && content[content.length - 1] == '\r'
                        ? Arrays.copyOf(content, content.length - 1) : content;
            }
            at = next < 0 ? -1 : next + 1;
        }
        return null;
    }

    private static boolean sdpHeaders(String head) {
        for (String line : head.split("\r?\n", 0)) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-type")) {
                String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                return value.equals("application/sdp") || value.startsWith("application/sdp;");
            }
        }
        return false;
    }
}
