package org.cti4j.sip.internal;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Optional;
import javax.sip.address.SipURI;
import javax.sip.header.ExtensionHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.RequireHeader;
import javax.sip.message.Request;

/** The checks every request passes before it is routed: what RFC 3261 says to refuse whatever the method. */
final class RequestScreen {

    private RequestScreen() {
    }

    /**
     * Returns the refusal of a request the stack parsed but that must be refused: one
     * {@link StrictMessageParserFactory} marked (another SIP version, a single-value header given twice, a missing
     * From, To, Call-ID or CSeq), or whose Request-URI is not a SIP URI (RFC 4475 badvers, multi01, mcl01, insuf,
     * unkscm); empty if the request may be routed.
     */
    static Optional<Refusal> refusal(Request request) {
        Header refusal = request.getHeader(StrictMessageParserFactory.REFUSE);
        if (refusal instanceof ExtensionHeader marked) {
            return Optional.of(Refusal.parse(marked.getValue()));
        }
        if (!(request.getRequestURI() instanceof SipURI)) {
            return Optional.of(new Refusal(416, "Unsupported URI Scheme"));
        }
        return Optional.empty();
    }

    /**
     * Returns the {@code Unsupported} headers a 420 must carry if the request requires extensions (its
     * {@code Require} option tags), else none; this UA supports none (RFC 3261 8.2.2.3, RFC 4475 bext01). ACK and
     * CANCEL are never refused for it.
     */
    static Header[] unsupported(Request request, HeaderFactory headers) {
        String method = request.getMethod();
        ListIterator<?> required = request.getHeaders(RequireHeader.NAME);
        List<Header> tags = new ArrayList<>();
        while (!method.equals(Request.ACK) && !method.equals(Request.CANCEL) && required != null
                && required.hasNext()) {
            String tag = ((RequireHeader) required.next()).getOptionTag();
            try {
                tags.add(headers.createUnsupportedHeader(tag));
            } catch (ParseException e) {
                throw new IllegalArgumentException("an option tag the stack read cannot be written back", e);
            }
        }
        return tags.toArray(new Header[0]);
    }
}
