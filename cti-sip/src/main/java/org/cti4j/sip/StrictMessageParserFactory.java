package org.cti4j.sip;

import gov.nist.javax.sip.header.ExtensionHeaderImpl;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParserFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * JAIN-SIP's message parser with the checks it leaves out. The stock parser reads a request of another SIP version
 * as SIP/2.0 and keeps one of two {@code To} headers, so the application cannot see what RFC 3261 says to refuse
 * (RFC 4475 badvers, multi01, mcl01). This parser reads the raw bytes too and, where they are wrong, marks the
 * parsed request with the header {@value #REFUSE}: the status and reason to answer with. Installed through the
 * stack property {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}; not for applications.
 */
public final class StrictMessageParserFactory implements MessageParserFactory {

    /** The header that carries the answer a malformed request must get, e.g. {@code 505 Version Not Supported}. */
    static final String REFUSE = "X-Cti4j-Refuse";

    private static final Map<String, String> SINGLE_VALUED = Map.ofEntries(
            Map.entry("from", "From"), Map.entry("f", "From"),
            Map.entry("to", "To"), Map.entry("t", "To"),
            Map.entry("call-id", "Call-ID"), Map.entry("i", "Call-ID"),
            Map.entry("cseq", "CSeq"),
            Map.entry("max-forwards", "Max-Forwards"),
            Map.entry("content-length", "Content-Length"), Map.entry("l", "Content-Length"),
            Map.entry("content-type", "Content-Type"), Map.entry("c", "Content-Type"));

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
                SIPMessage message = parser.parseSIPMessage(bytes, readBody, strict, listener);
                if (message instanceof SIPRequest && bytes != null) {
                    String refusal = refusal(bytes);
                    if (refusal != null) {
                        ExtensionHeaderImpl mark = new ExtensionHeaderImpl(REFUSE);
                        mark.setValue(refusal);
                        message.addHeader(mark);
                    }
                }
                return message;
            }
        };
    }

    /** Returns {@code "<status> <reason>"} if the raw request must be refused, else {@code null}. */
    static String refusal(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int headerEnd = text.indexOf("\r\n\r\n");
        String head = headerEnd < 0 ? text : text.substring(0, headerEnd);
        String[] lines = head.split("\r?\n");
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first == lines.length) {
            return null;
        }
        String[] requestLine = lines[first].trim().split("\\s+");
        String version = requestLine[requestLine.length - 1];
        if (version.regionMatches(true, 0, "SIP/", 0, 4) && !version.equals("SIP/2.0")) {
            return "505 Version Not Supported";
        }
        Map<String, Integer> counts = new HashMap<>();
        for (int i = first + 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0 || Character.isWhitespace(line.charAt(0))) {
                continue;
            }
            String name = SINGLE_VALUED.get(line.substring(0, colon).trim().toLowerCase(Locale.ROOT));
            if (name != null && counts.merge(name, 1, Integer::sum) > 1) {
                return "400 Bad Request: more than one " + name + " header";
            }
        }
        return null;
    }
}
