package org.cti4j.sip.internal;

import java.text.ParseException;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import javax.sip.InvalidArgumentException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MinExpiresHeader;
import javax.sip.header.RetryAfterHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.cti4j.api.SipUri;
import org.cti4j.sip.SipAccount;
import org.cti4j.sip.SipTransport;

/**
 * Builds the requests of one account's registration (REGISTER, and OPTIONS keep-alives) and reads what the
 * registrar's answers say (the lifetime granted, Min-Expires, Retry-After). Stateless but for the account.
 */
final class RegisterRequests {

    private final SipAgent sip;
    private final SipAccount account;
    private final SipTransport transport;

    RegisterRequests(SipAgent sip, SipAccount account) {
        this.sip = sip;
        this.account = account;
        this.transport = transportOf(account, sip.config().outboundProxy(), sip.config().transport());
    }

    /**
     * The transport of an account's requests: TLS when its registrar or its proxy is a {@code sips:} URI; else the
     * one its outbound proxy names, else the one its registrar URI names, else the configured one.
     */
    static SipTransport transportOf(SipAccount account, SipUri globalProxy, SipTransport fallback) {
        SipUri proxy = account.outboundProxy() != null ? account.outboundProxy() : globalProxy;
        if (account.registrar().secure() || (proxy != null && proxy.secure())) {
            return SipTransport.TLS;
        }
        String named = proxy != null && proxy.parameter("transport") != null ? proxy.parameter("transport")
                : account.registrar().parameter("transport");
        return named == null ? fallback : SipTransport.ofToken(named).orElse(fallback);
    }

    SipTransport transport() {
        return transport;
    }

    /** The proxy requests are routed through: the account's, else the configured one, else none. */
    SipUri proxy() {
        return account.outboundProxy() != null ? account.outboundProxy() : sip.config().outboundProxy();
    }

    /** The host and port requests go to first (the proxy, else the registrar), for keep-alive pings. */
    SipUri nextHop() {
        return proxy() != null ? proxy() : account.registrar();
    }

    /** The URI the registrar is asked to send the account's calls to. */
    SipURI contactUri() throws ParseException {
        SipURI uri = sip.addresses().createSipURI(account.aor().user(), sip.host());
        uri.setPort(sip.port(transport));
        if (transport != SipTransport.UDP) {
            uri.setTransportParam(transport.token());
        }
        return uri;
    }

    /** A REGISTER asking for {@code expires} seconds (0 removes this side's binding). */
    Request register(String callId, long cseq, String fromTag, int expires) throws ParseException,
            InvalidArgumentException {
        Request request = request(Request.REGISTER, account.registrar(), callId, cseq, fromTag, account.aor());
        ContactHeader contact = sip.headers().createContactHeader(sip.addresses().createAddress(contactUri()));
        request.addHeader(contact);
        request.addHeader(sip.headers().createExpiresHeader(expires));
        return request;
    }

    /** An OPTIONS to the next hop, keeping the NAT binding towards it open. */
    Request options(String callId, long cseq, String fromTag) throws ParseException, InvalidArgumentException {
        SipUri hop = nextHop();
        return request(Request.OPTIONS, new SipUri(null, hop.host(), hop.port(), hop.parameters()), callId, cseq,
                fromTag, account.registrar().withUser(null));
    }

    private Request request(String method, SipUri target, String callId, long cseq, String fromTag, SipUri to)
            throws ParseException, InvalidArgumentException {
        HeaderFactory headers = sip.headers();
        URI requestUri = sip.addresses().createURI(target.toString());
        if (transport != SipTransport.UDP && !target.secure() && target.parameter("transport") == null
                && proxy() == null && requestUri instanceof SipURI sipUri) {
            sipUri.setTransportParam(transport.token());
        }
        Address from = sip.addresses().createAddress(sip.addresses().createURI(account.aor().toString()));
        Address toAddress = sip.addresses().createAddress(sip.addresses().createURI(to.toString()));
        ViaHeader via = headers.createViaHeader(sip.host(), sip.port(transport), transport.token(), null);
        via.setRPort();
        Request request = sip.messages().createRequest(requestUri, method, headers.createCallIdHeader(callId),
                headers.createCSeqHeader(cseq, method), headers.createFromHeader(from, fromTag),
                headers.createToHeader(toAddress, null), List.of(via), headers.createMaxForwardsHeader(70));
        request.addHeader(headers.createUserAgentHeader(List.of(sip.config().userAgent())));
        SipUri proxy = proxy();
        if (proxy != null) {
            SipURI route = (SipURI) sip.addresses().createURI(proxy.withUser(null).toString());
            route.setLrParam();
            if (transport != SipTransport.UDP && !proxy.secure() && proxy.parameter("transport") == null) {
                route.setTransportParam(transport.token());
            }
            request.addHeader(headers.createRouteHeader(sip.addresses().createAddress(route)));
        }
        return request;
    }

    /**
     * The lifetime a 2xx to REGISTER granted: the {@code expires} of this side's Contact in it, else its Expires
     * header, else {@code asked}.
     */
    int granted(Response response, int asked) throws ParseException {
        SipURI ours = contactUri();
        ListIterator<?> contacts = response.getHeaders(ContactHeader.NAME);
        while (contacts != null && contacts.hasNext()) {
            ContactHeader contact = (ContactHeader) contacts.next();
            if (contact.getAddress().getURI() instanceof SipURI uri && sameBinding(uri, ours)
                    && contact.getExpires() >= 0) {
                return contact.getExpires();
            }
        }
        ExpiresHeader expires = response.getExpires();
        return expires != null ? expires.getExpires() : asked;
    }

    private static boolean sameBinding(SipURI a, SipURI b) {
        return a.getHost().equalsIgnoreCase(b.getHost()) && a.getPort() == b.getPort()
                && String.valueOf(a.getUser()).equals(String.valueOf(b.getUser()))
                && String.valueOf(a.getTransportParam()).toLowerCase(Locale.ROOT)
                        .equals(String.valueOf(b.getTransportParam()).toLowerCase(Locale.ROOT));
    }

    /** The Min-Expires of a 423 (Interval Too Brief), or -1. */
    static int minExpires(Response response) {
        return response.getHeader(MinExpiresHeader.NAME) instanceof MinExpiresHeader min ? min.getExpires() : -1;
    }

    /** The seconds a Retry-After header asks to wait, or -1. */
    static int retryAfter(Response response) {
        return response.getHeader(RetryAfterHeader.NAME) instanceof RetryAfterHeader retry
                ? retry.getRetryAfter() : -1;
    }
}
