package org.cti4j.sip.internal;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.ExtensionHeaderImpl;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParserFactory;
import gov.nist.javax.sip.stack.ConnectionOrientedMessageChannel;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;

/**
 * JAIN-SIP's message parser with the checks it leaves out. The stock parser reads a request of another SIP version
 * as SIP/2.0 and keeps one of two {@code To} headers, so the application cannot see what RFC 3261 says to refuse
 * (RFC 4475 badvers, multi01, mcl01). This parser reads the raw bytes too and, where they are wrong, marks the
 * parsed request with the header {@value #REFUSE}: the status and reason to answer with. It also completes requests
 * the stack would drop unanswered (see {@link #completed}), answers malformed requests over TCP and UDP with a
 * well-formed 400 ({@link BadRequestAnswers}), and turns anything the stock parser throws into a
 * {@link ParseException}. Installed through the stack property {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY};
 * not for applications.
 */
public final class StrictMessageParserFactory implements MessageParserFactory {

    /** The header that carries the answer a malformed request must get, e.g. {@code 505 Version Not Supported}. */
    static final String REFUSE = "X-Cti4j-Refuse";

    /** The headers a request may carry once only, as {@link #refusal} names them. */
    private static final String[] SINGLE_VALUED = {
        "From", "To", "Call-ID", "CSeq", "Max-Forwards", "Content-Length", "Content-Type"};
    /** Their names and compact forms, lower case, each with its index in {@link #SINGLE_VALUED}. */
    private static final String[] SINGLE_VALUED_NAMES = {
        "from", "f", "to", "t", "call-id", "i", "cseq", "max-forwards", "content-length", "l", "content-type", "c"};
    private static final int[] SINGLE_VALUED_INDEX = {0, 0, 1, 1, 2, 2, 3, 4, 5, 5, 6, 6};

    /** The headers without which JAIN-SIP cannot read a request, by the class its parser names them with. */
    private static final Map<Class<?>, String> MANDATORY = Map.of(
            From.class, "From header", To.class, "To header", CSeq.class, "CSeq header", Via.class, "Via header",
            CallID.class, "Call-ID header", ContentLength.class, "Content-Length header",
            RequestLine.class, "Request-Line");
    private static final HeaderFactoryImpl HEADERS = new HeaderFactoryImpl();

    private final StringMsgParserFactory stock = new StringMsgParserFactory();

    /** Creates the factory (JAIN-SIP calls this). */
    public StrictMessageParserFactory() {
    }

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        MessageParser parser = stock.createMessageParser(stack);
        return new MessageParser() {
            @Override
            public SIPMessage parseSIPMessage(byte[] bytes, boolean readBody, boolean strict,
                    ParseExceptionListener listener) throws ParseException {
                SIPMessage message;
                Answering answering = answering(listener);
                try {
                    message = parser.parseSIPMessage(bytes, readBody, strict, answering);
                } catch (RuntimeException | StackOverflowError e) {
                    // JAIN-SIP's parser is not this module's: whatever it throws on hostile input (deep nesting,
                    // odd characters) must drop the message, never take the stack's reading thread down.
                    return refused(bytes, listener, answering, new ParseException("unparsable message: "
                            + HandlingFailures.cut(e.toString()), 0));
                } catch (ParseException e) {
                    return refused(bytes, listener, answering, e);
                }
                if (!readBody && listener instanceof ConnectionOrientedMessageChannel channel
                        && tooLarge(message, stack.getMaxMessageSize())) {
                    // JAIN-SIP would throw a RuntimeException out of the connection's reading thread for this.
                    BadRequestAnswers.answer(channel, new String(bytes, StandardCharsets.ISO_8859_1),
                            "413 Request Entity Too Large");
                    ParseException tooLarge = new ParseException("Content-Length over the maximum message size", 0);
                    try {
                        // Closes the connection: the body will not be read, so where the next message starts is
                        // unknown.
                        listener.handleException(tooLarge, message, ContentLength.class, null, null);
                    } catch (RuntimeException e) {
                        // The connection was already gone (JAIN-SIP then throws NullPointerException).
                    }
                    throw tooLarge;
                }
                if (message instanceof SIPRequest request && bytes != null) {
                    Optional<Refusal> refusal = refusal(bytes);
                    if (refusal.isEmpty()) {
                        refusal = completed(request);
                    }
                    if (refusal.isPresent()) {
                        ExtensionHeaderImpl mark = new ExtensionHeaderImpl(REFUSE);
                        mark.setValue(refusal.get().toString());
                        message.addHeader(mark);
                    }
                }
                return message;
            }
        };
    }

    /** Returns whether a message read from a stream announces a body larger than a message may be. */
    private static boolean tooLarge(SIPMessage message, int maxMessageSize) {
        return message != null && maxMessageSize > 0 && message.getContentLength() != null
                && message.getContentLength().getContentLength() > maxMessageSize;
    }

    /**
     * Wraps the stack's listener of header errors for a malformed mandatory header of a request. It gets an error
     * whose text is only {@code malformed <header>}, the reason phrase of the 400 (the parser's own text can hold a
     * bare line feed). Over TCP the request is answered 400 on its connection before the stack closes it; over UDP
     * when the error comes out of the parser ({@link #refused}).
     */
    private static Answering answering(ParseExceptionListener listener) {
        return listener == null ? null : new Answering(listener);
    }

    /** The listener of header errors handed to the stock parser; remembers whether it answered the request. */
    private static final class Answering implements ParseExceptionListener {
        private final ParseExceptionListener listener;
        boolean answered;

        Answering(ParseExceptionListener listener) {
            this.listener = listener;
        }

        // JAIN-SIP's ParseExceptionListener declares a raw Class; an override cannot add the type argument.
        @SuppressWarnings("rawtypes")
        @Override
        public void handleException(ParseException error, SIPMessage message, Class headerClass, String header,
                String raw) throws ParseException {
            String name = MANDATORY.get(headerClass);
            if (name == null || !(message == null || message instanceof SIPRequest)) {
                listener.handleException(error, message, headerClass, header, raw);
                return;
            }
            ParseException plain = new ParseException("malformed " + name, error.getErrorOffset());
            if (listener instanceof ConnectionOrientedMessageChannel channel) {
                if (!BadRequestAnswers.answer(channel, raw, "400 Bad Request: " + plain.getMessage())) {
                    // No Via: not a request but stray bytes, such as what follows a body longer than its
                    // Content-Length said. They are skipped and the connection goes on, so that answers to the
                    // requests before them are not lost with it.
                    throw plain;
                }
                answered = true;
            }
            listener.handleException(plain, message, headerClass, header, raw);
        }
    }

    /**
     * Handles a request the stock parser failed on. Over a stream it is answered 400 (unless the failure was a
     * malformed mandatory header, answered already) and the failure goes on to the stack, which closes or skips as
     * it does. A datagram is answered 400 here and {@code null} returned, which the stack drops without its own
     * answer: that one copies raw request bytes after its status line ({@link BadRequestAnswers}).
     */
    private static SIPMessage refused(byte[] bytes, ParseExceptionListener listener, Answering answering,
            ParseException failure) throws ParseException {
        if (bytes == null || listener == null || (answering != null && answering.answered)
                || !(listener instanceof MessageChannel channel)) {
            throw failure;
        }
        String raw = new String(bytes, StandardCharsets.ISO_8859_1);
        BadRequestAnswers.answer(channel, raw, "400 Bad Request: " + failure.getMessage());
        if (channel instanceof ConnectionOrientedMessageChannel) {
            throw failure;
        }
        return null;
    }

    /**
     * Makes a request that lacks headers fit for the stack, and returns the refusal it must get, if any. A missing
     * Max-Forwards is taken as 70 and an INVITE's missing Contact as its From (RFC 2543 required neither; RFC 4475
     * inv2543 must be accepted). A request without From,
     * To, Call-ID or CSeq must get 400 (RFC 4475 insuf), but JAIN-SIP drops such a request silently: stand-ins are
     * added so that it reaches the listener, marked to be answered 400 naming what was missing. The 400 echoes the
     * stand-ins; the sender matches it by its Via branch and CSeq method (RFC 3261 17.1.3). Without a Via nothing
     * can be answered, and the stack drops the request.
     */
    private static Optional<Refusal> completed(SIPRequest request) throws ParseException {
        if (request.getHeader(MaxForwardsHeader.NAME) == null) {
            request.addHeader(HEADERS.createHeader(MaxForwardsHeader.NAME, "70"));
        }
        if (request.getTopmostVia() == null) {
            return Optional.empty();
        }
        if (request.getHeader(ContactHeader.NAME) == null && Request.INVITE.equals(request.getMethod())
                && request.getFrom() != null) {
            // RFC 2543 did not require a Contact; JAIN-SIP refuses a dialog without one. The caller is then reached
            // at its From address, as RFC 2543 did.
            request.addHeader(HEADERS.createHeader(ContactHeader.NAME, "<" + request.getFrom().getAddress()
                    .getURI() + ">"));
        }
        StringBuilder missing = new StringBuilder();
        String method = request.getRequestLine() == null ? "INVITE" : request.getMethod();
        standIn(request, FromHeader.NAME, "<sip:missing.invalid>;tag=missing", missing);
        standIn(request, ToHeader.NAME, "<sip:missing.invalid>", missing);
        standIn(request, CallIdHeader.NAME, "missing-" + Long.toHexString(System.nanoTime()), missing);
        standIn(request, CSeqHeader.NAME, "1 " + method, missing);
        return missing.length() == 0 ? Optional.empty()
                : Optional.of(new Refusal(400, "Bad Request: missing " + missing + " header"));
    }

    private static void standIn(SIPRequest request, String name, String value, StringBuilder missing)
            throws ParseException {
        if (request.getHeader(name) == null) {
            request.addHeader(HEADERS.createHeader(name, value));
            missing.append(missing.length() == 0 ? "" : ", ").append(name);
        }
    }

    /**
     * Returns the refusal of a raw request that must be refused; empty if it may go on. Reads the bytes where they
     * are (ISO-8859-1, a character a byte) and allocates nothing unless it refuses: it runs for every request
     * parsed, the stack's re-reading of the requests its finished transactions keep as bytes included.
     */
    static Optional<Refusal> refusal(byte[] bytes) {
        int end = headEnd(bytes);
        int seen = 0;
        boolean requestLine = false;
        int pos = 0;
        while (pos < end) {
            int newline = indexOf(bytes, (byte) '\n', pos, end);
            int lineEnd = newline < 0 ? end : newline > pos && bytes[newline - 1] == '\r' ? newline - 1 : newline;
            if (!requestLine) {
                if (!blank(bytes, pos, lineEnd)) {
                    requestLine = true;
                    if (otherVersion(bytes, pos, lineEnd)) {
                        return Optional.of(new Refusal(505, "Version Not Supported"));
                    }
                }
            } else {
                int single = singleValued(bytes, pos, lineEnd);
                if (single >= 0) {
                    if ((seen & 1 << single) != 0) {
                        return Optional.of(new Refusal(400, "Bad Request: more than one " + SINGLE_VALUED[single]
                                + " header"));
                    }
                    seen |= 1 << single;
                }
            }
            pos = newline < 0 ? end : newline + 1;
        }
        return Optional.empty();
    }

    /** Returns where the head ends: the first CRLF CRLF, or the end. */
    private static int headEnd(byte[] bytes) {
        for (int i = 0; i + 3 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
                return i;
            }
        }
        return bytes.length;
    }

    private static int indexOf(byte[] bytes, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the line is empty or only white space ({@link Character#isWhitespace}). */
    private static boolean blank(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isWhitespace((char) (bytes[i] & 0xff))) {
                return false;
            }
        }
        return true;
    }

    /** Whether the request line's last word (its version) is {@code SIP/} something other than {@code SIP/2.0}. */
    private static boolean otherVersion(byte[] bytes, int from, int to) {
        int start = trimStart(bytes, from, to);
        int last = trimEnd(bytes, start, to);
        int first = last;
        while (first > start && !regexSpace(bytes[first - 1])) {
            first--;
        }
        if (last - first < 4 || !startsWithIgnoreCase(bytes, first, "SIP/")) {
            return false;
        }
        return last - first != 7 || bytes[first] != 'S' || bytes[first + 1] != 'I' || bytes[first + 2] != 'P'
                || bytes[first + 4] != '2' || bytes[first + 5] != '.' || bytes[first + 6] != '0';
    }

    /** The white space of a regular expression's {@code \s}: what separates the request line's words. */
    private static boolean regexSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == 0x0b || b == '\f' || b == '\r';
    }

    private static boolean startsWithIgnoreCase(byte[] bytes, int from, String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (lower(bytes[from + i]) != Character.toLowerCase(prefix.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns which single-valued header ({@link #SINGLE_VALUED}) the header line is, or -1: a continuation line,
     * a line without a name, or another header.
     */
    private static int singleValued(byte[] bytes, int from, int to) {
        int colon = indexOf(bytes, (byte) ':', from, to);
        if (colon <= from || Character.isWhitespace((char) (bytes[from] & 0xff))) {
            return -1;
        }
        int nameStart = trimStart(bytes, from, colon);
        int nameEnd = trimEnd(bytes, nameStart, colon);
        int length = nameEnd - nameStart;
        for (int i = 0; i < SINGLE_VALUED_NAMES.length; i++) {
            String name = SINGLE_VALUED_NAMES[i];
            if (name.length() == length && startsWithIgnoreCase(bytes, nameStart, name)) {
                return SINGLE_VALUED_INDEX[i];
            }
        }
        return -1;
    }

    /** Returns where {@code bytes[from, to)} starts once trimmed as {@link String#trim} does (bytes up to space). */
    private static int trimStart(byte[] bytes, int from, int to) {
        int start = from;
        while (start < to && (bytes[start] & 0xff) <= ' ') {
            start++;
        }
        return start;
    }

    /** Returns where {@code bytes[from, to)} ends once trimmed as {@link String#trim} does. */
    private static int trimEnd(byte[] bytes, int from, int to) {
        int end = to;
        while (end > from && (bytes[end - 1] & 0xff) <= ' ') {
            end--;
        }
        return end;
    }

    /** ASCII lower case: the header names compared are ASCII, and no other byte lower-cases to ASCII. */
    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b & 0xff;
    }
}
