package org.cti4j.sip.internal;

import java.nio.charset.StandardCharsets;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Optional;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.Header;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.cti4j.api.SipUri;
import org.cti4j.core.spi.LegListener;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.spi.SerialExecutor;
import org.cti4j.core.spi.SignalingLeg;
import org.cti4j.sip.SipTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What outbound and inbound legs share: the dialog, the local SDP, the requests a dialog receives whoever created it
 * (BYE, re-INVITE, INFO) and those either side sends in it (BYE, INFO, re-INVITE).
 *
 * <p>A leg's state lives in plain fields touched only by tasks of its {@linkplain #executor() serial executor}: the
 * router hands it every stack event, and the engine's commands ({@code answer}, {@code hangup}, ...) queue their work
 * there. Each method that reads or changes that state starts with {@link #checkOnExecutor}, which throws an
 * {@link IllegalStateException} naming the method and the thread when called anywhere else. The check is always on:
 * it costs one thread-local read, and a leg touched from two threads would fail far from its cause.
 */
abstract class SipLeg implements SignalingLeg {

    private static final Logger log = LoggerFactory.getLogger(SipLeg.class);

    final SipAgent sip;
    private final String callId;
    private final SerialExecutor executor;
    LegListener listener;
    Dialog dialog;
    MediaDescription localMedia;
    private final DtmfInfoRequests dtmfInfos = new DtmfInfoRequests(this);
    private final ReInvites reInvites = new ReInvites(this);
    private final long sdpSession = System.currentTimeMillis();
    private long sdpVersion;

    SipLeg(SipAgent sip, String callId) {
        this.sip = sip;
        this.callId = callId;
        this.executor = sip.newExecutor("sip-" + callId);
    }

    final String callId() {
        return callId;
    }

    /** Returns the serial executor the leg's state is touched on. */
    final SerialExecutor executor() {
        return executor;
    }

    /**
     * Throws unless the calling thread runs a task of this leg's executor.
     *
     * @param method names the method in the message
     * @throws IllegalStateException naming the leg, the method and the calling thread
     */
    final void checkOnExecutor(String method) {
        if (!executor.isCurrent()) {
            throw new IllegalStateException(this + ": " + method + " called on thread " + Thread.currentThread()
                    .getName() + ", not on the leg's executor");
        }
    }

    /** The states of a leg: an enum whose constants say which states they may move to. */
    interface LegState<S extends Enum<S>> {
        /** Returns whether a leg in this state may move to {@code next}. */
        boolean canMoveTo(S next);
    }

    /**
     * Returns {@code next} if {@code current} may move to it: the one way a leg changes state.
     *
     * @throws IllegalStateException naming the leg and the transition, if it is not allowed
     */
    final <S extends Enum<S> & LegState<S>> S transition(S current, S next) {
        checkOnExecutor("a move to " + next);
        if (!current.canMoveTo(next)) {
            throw new IllegalStateException("leg " + callId + ": " + current + " \u2192 " + next + " not allowed");
        }
        return next;
    }

    /** Returns whether the leg has ended for the engine: nothing more is reported to it. */
    abstract boolean ended();

    /** The far end ended the call (BYE): moves the leg to its end; the caller reports it. */
    abstract void endedByPeer();

    /** The provider closes: the leg ends without reporting and without sending anything. */
    abstract void abandon();

    // ---- requests of the dialog ----

    /** A 2xx's ACK (inbound legs care). */
    void onAck(Request ack) {
    }

    /**
     * A response to a request of this leg: an INFO's or a re-INVITE's here; outbound legs care about their first
     * INVITE's too.
     *
     * @param receivedAt when the stack gave the response to cti-sip ({@link System#nanoTime()})
     */
    void onResponse(ResponseEvent event, String method, long receivedAt) {
        checkOnExecutor("onResponse");
        if (method.equals(Request.INFO)) {
            dtmfInfos.onResponse(event);
        } else if (method.equals(Request.INVITE)) {
            reInvites.onResponse(event);
        }
    }

    /** Returns whether {@code event} answers a re-INVITE of this leg, and handles it if so. */
    final boolean onReInviteResponse(ResponseEvent event) {
        return reInvites.onResponse(event);
    }

    /**
     * A client transaction of this leg timed out: an INFO's or a re-INVITE's here; outbound legs care about their
     * first INVITE's too.
     */
    void onTimeout(ClientTransaction transaction) {
        checkOnExecutor("onTimeout");
        if (!reInvites.onTimeout(transaction)) {
            dtmfInfos.onTimeout(transaction);
        }
    }

    /** Sends a re-INVITE offering the leg's media with {@code direction} ({@link ReInvites}), on its executor. */
    @Override
    public void reoffer(MediaDirection direction, ReofferListener reofferListener) {
        executor().execute(() -> reInvites.send(direction, reofferListener));
    }

    /** Sends {@code key} by SIP INFO within the dialog ({@link DtmfInfoRequests}), on the leg's executor. */
    @Override
    public void sendDtmfInfo(char key, int durationMillis, InfoListener infoListener) {
        executor().execute(() -> dtmfInfos.send(key, durationMillis, infoListener));
    }

    /** BYE, CANCEL or INFO. */
    void onRequest(RequestEvent event, ServerTransaction transaction) {
        checkOnExecutor("onRequest");
        Request request = event.getRequest();
        switch (request.getMethod()) {
            case Request.BYE -> {
                reply(event, transaction, 200, null, null);
                if (!ended()) {
                    endedByPeer();
                    listener.onRemoteHangup(reasonCause(request));
                }
            }
            case Request.INFO -> {
                Optional<Character> digit = dtmf(request);
                reply(event, transaction, 200, null, null);
                if (digit.isPresent() && !ended()) {
                    listener.onDtmf(digit.get());
                }
            }
            default -> reply(event, transaction, 481, "Call/Transaction Does Not Exist", null);
        }
    }

    /** A re-INVITE: new media (hold, resume, another address or codec). */
    void onReInvite(RequestEvent event, ServerTransaction transaction) {
        checkOnExecutor("onReInvite");
        if (ended() || localMedia == null) {
            reply(event, transaction, 481, "Call/Transaction Does Not Exist", null);
            return;
        }
        if (reInvites.pending()) {
            reply(event, transaction, 491, "Request Pending", null);
            return;
        }
        MediaDescription remote;
        try {
            remote = body(event.getRequest()) == null ? null : Sdp.parse(body(event.getRequest()));
        } catch (Sdp.SdpException e) {
            reply(event, transaction, 488, "Not Acceptable Here", null);
            return;
        }
        MediaDescription answer = remote == null ? localMedia
                : localMedia.withDirection(reInvites.answerTo(remote.direction()));
        reply(event, transaction, 200, null, answer);
        if (remote != null) {
            // The media get the direction agreed, not the one offered: while this side holds the far end, an offer
            // of sendrecv is answered sendonly, and what the far end might still send is not to be heard.
            listener.onRemoteMediaChanged(remote.withDirection(answer.direction().reversed()));
        }
    }

    /** Sends BYE with a Reason header carrying {@code cause}. */
    void sendBye(int cause) {
        if (dialog == null) {
            return;
        }
        try {
            Request bye = withRport(dialog.createRequest(Request.BYE));
            bye.addHeader(sip.headers().createHeader("Reason", "SIP;cause=" + cause + ";text=\""
                    + reasonText(cause) + "\""));
            ClientTransaction transaction = sip.clientTransaction(bye);
            dialog.sendRequest(transaction);
        } catch (Exception e) {
            log.info("{}: cannot send BYE: {}", callId, e.toString());
        }
    }


    // ---- helpers ----

    /** Answers a request of this leg on its transaction, with SDP if {@code media} is given. */
    final void reply(RequestEvent event, ServerTransaction transaction, int status, String reason,
            MediaDescription media) {
        try {
            Response response = sip.messages().createResponse(status, event.getRequest());
            if (reason != null) {
                response.setReasonPhrase(reason);
            }
            if (media != null) {
                addContact(response, null);
                attachSdp(response, media);
            }
            if (transaction != null) {
                transaction.sendResponse(response);
            } else {
                sip.sipProvider().sendResponse(response);
            }
        } catch (Exception e) {
            log.debug("{}: cannot answer {} with {}: {}", callId, event.getRequest().getMethod(), status,
                    e.toString());
        }
    }

    /** Puts {@code media} in {@code message} as its SDP body, with a new version, and remembers it. */
    final void attachSdp(Message message, MediaDescription media) throws java.text.ParseException {
        localMedia = media;
        ContentTypeHeader type = sip.headers().createContentTypeHeader("application", "sdp");
        message.setContent(Sdp.write(media, sdpSession, sdpVersion++), type);
    }

    /** The transport this leg's requests use: the configured one, unless the leg was told otherwise. */
    SipTransport transport() {
        return sip.config().transport();
    }

    /**
     * Returns {@code request} with {@code rport} (RFC 3581) in its Via: the dialog builds the Via of in-dialog
     * requests from the listening point, without it.
     */
    static Request withRport(Request request) throws javax.sip.InvalidArgumentException {
        if (request.getHeader(ViaHeader.NAME) instanceof ViaHeader via && via.getParameter("rport") == null) {
            via.setRPort();
        }
        return request;
    }

    /** Whether this side's Contact is a SIPS URI. */
    boolean secureContact() {
        return false;
    }

    /**
     * Adds this side's Contact: {@code sip:user@host:port;transport=...} at the port of the leg's transport, or
     * {@code sips:user@host:port} when it must be a SIPS URI.
     */
    final void addContact(Message message, String user) throws java.text.ParseException {
        SipTransport transport = transport();
        SipURI uri = sip.addresses().createSipURI(user != null ? user : "cti4j", sip.host());
        uri.setPort(sip.port(transport));
        if (secureContact()) {
            uri.setSecure(true);
        } else if (transport != SipTransport.UDP) {
            uri.setTransportParam(transport.token());
        }
        Address address = sip.addresses().createAddress(uri);
        ContactHeader contact = sip.headers().createContactHeader(address);
        message.setHeader(contact);
    }

    /** Returns the SDP of a message (its body, or the SDP part of a multipart body), else {@code null}. */
    static byte[] body(Message message) {
        return SdpBodies.sdpOf(message);
    }

    /** Reads the cause of a {@code Reason: SIP;cause=N} header; 200 without one. */
    static int reasonCause(Request request) {
        ListIterator<?> reasons = request.getHeaders("Reason");
        while (reasons != null && reasons.hasNext()) {
            String value = ((Header) reasons.next()).toString().toLowerCase(Locale.ROOT);
            int at = value.indexOf("cause=");
            if (value.contains("sip") && at >= 0) {
                int end = at + 6;
                while (end < value.length() && Character.isDigit(value.charAt(end))) {
                    end++;
                }
                try {
                    int cause = Integer.parseInt(value.substring(at + 6, end));
                    if (cause >= 100 && cause <= 699) {
                        return cause;
                    }
                } catch (NumberFormatException ignored) {
                    // Not a number: no usable cause.
                }
            }
        }
        return 200;
    }

    /**
     * Reads a DTMF key from an INFO of type {@code application/dtmf-relay} or {@code application/dtmf}; empty for
     * any other INFO, or one whose signal is no key.
     */
    static Optional<Character> dtmf(Request info) {
        ContentTypeHeader type = (ContentTypeHeader) info.getHeader(ContentTypeHeader.NAME);
        byte[] raw = info.getRawContent();
        if (type == null || raw == null || !type.getContentType().equalsIgnoreCase("application")) {
            return Optional.empty();
        }
        String body = new String(raw, StandardCharsets.UTF_8).trim();
        String subtype = type.getContentSubType().toLowerCase(Locale.ROOT);
        String signal = null;
        if (subtype.equals("dtmf-relay")) {
            for (String line : body.split("\r?\n", 0)) {
                String[] parts = line.split("=", 2);
                if (parts.length == 2 && parts[0].trim().equalsIgnoreCase("signal")) {
                    signal = parts[1].trim();
                }
            }
        } else if (subtype.equals("dtmf")) {
            signal = body;
        }
        if ("10".equals(signal)) {
            return Optional.of('*');
        }
        if ("11".equals(signal)) {
            return Optional.of('#');
        }
        if (signal == null || signal.length() != 1) {
            return Optional.empty();
        }
        char key = Character.toUpperCase(signal.charAt(0));
        return "0123456789*#ABCD".indexOf(key) >= 0 ? Optional.of(key) : Optional.empty();
    }

    /**
     * The longest user part of a From, To or Request-URI that a call is accepted with. RFC 3261 sets no limit; real
     * user parts (telephone numbers, account names) are short, and refusing long ones here keeps hostile sizes away
     * from every parser after this one. An INVITE whose From or To has a longer one gets 400 naming the header (RFC
     * 3261 21.4.1: the reason phrase should identify the syntax problem; 414 is only for the Request-URI), one whose
     * Request-URI has a longer one gets 414 Request-URI Too Long (RFC 3261 21.4.12). It is {@link SipUri}'s own
     * limit, so that what is accepted here is what the rest of the engine can represent.
     */
    static final int MAX_USER_CHARS = SipUri.MAX_USER_LENGTH;

    /** Why a URI of a request cannot be a {@link SipUri}: the reason phrase of the 400 (or 414) to answer with. */
    static final class BadUri extends Exception {
        private static final long serialVersionUID = 1L;

        BadUri(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Converts a JAIN-SIP URI to a {@link SipUri}.
     *
     * @param what names the URI in the error, e.g. {@code "From header"}
     * @throws BadUri naming what is wrong: not a SIP URI, a user part over {@value #MAX_USER_CHARS} characters, or
     *     anything {@link SipUri} refuses. Whatever {@code SipUri} throws, {@link Error}s included (its parser is
     *     not this module's, and a value parser must never take a stack thread down), becomes a {@code BadUri}.
     */
    static SipUri toSipUri(javax.sip.address.URI uri, String what) throws BadUri {
        if (!(uri instanceof SipURI sipUri)) {
            throw new BadUri("Bad " + what + ": not a SIP URI");
        }
        String user = sipUri.getUser();
        if (user != null && user.length() > MAX_USER_CHARS) {
            throw new BadUri("Bad " + what + ": user part too long (" + user.length() + " characters, at most "
                    + MAX_USER_CHARS + ")");
        }
        try {
            return new SipUri(user, sipUri.getHost(), Math.max(sipUri.getPort(), 0), java.util.Map.of(),
                    sipUri.isSecure());
        } catch (RuntimeException | StackOverflowError e) {
            throw new BadUri("Bad " + what + ": " + HandlingFailures.cut(e.getMessage()));
        }
    }

    static String reasonText(int cause) {
        return switch (cause) {
            case 200 -> "Normal call clearing";
            case 408 -> "Request Timeout";
            case 480 -> "Temporarily Unavailable";
            case 486 -> "Busy Here";
            case 487 -> "Request Terminated";
            case 488 -> "Not Acceptable Here";
            case 503 -> "Service Unavailable";
            case 603 -> "Decline";
            default -> "Call ended";
        };
    }
}
