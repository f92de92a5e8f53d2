package org.cti4j.sip.internal;

import java.util.LinkedHashMap;
import java.util.EnumSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.cti4j.api.SipUri;
import org.cti4j.core.spi.LegListener;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.OutboundLeg;
import org.cti4j.sip.SipTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An outbound leg (UAC): INVITE with an SDP offer; provisional responses, early media; 2xx acknowledged; digest
 * challenges answered; CANCEL (held back until a provisional response allows it, RFC 3261 §9.1); a 2xx that crosses
 * a CANCEL or a hang-up is acknowledged and ended with BYE. Runs on its executor.
 *
 * <pre>
 *  CALLING ──1xx──▶ PROCEEDING ──2xx──▶ CONFIRMED ──hangup, BYE──▶ ENDED
 *     │ cancel()        │ cancel()                                   ▲
 *     ▼                 ▼                                            │
 *  CANCEL_PENDING ─1xx─▶ CANCELLING ──final response, crossing 2xx───┘
 *  CALLING, PROCEEDING ──failure, timeout, hangup──▶ ENDED_EARLY ──crossing 2xx (BYE)──▶ ENDED
 * </pre>
 */
final class UacLeg extends SipLeg implements OutboundLeg {

    private static final Logger log = LoggerFactory.getLogger(UacLeg.class);
    private static final int MAX_CHALLENGES = 2;

    /** The leg's states, each with the states it may move to. */
    enum State implements LegState<State> {
        /** The INVITE is sent; no provisional response yet. */
        CALLING,
        /** A provisional response came: the far end is trying or ringing. */
        PROCEEDING,
        /** Cancelled before any provisional response: the CANCEL waits for one (RFC 3261 9.1). */
        CANCEL_PENDING,
        /** The CANCEL is sent; the INVITE's final response is awaited. */
        CANCELLING,
        /** Answered and acknowledged: the call is up. */
        CONFIRMED,
        /** Ended before an answer (failed, timed out, hung up); a 2xx that crosses it is ended with BYE. */
        ENDED_EARLY,
        /** Over: nothing more happens but the ACK of a retransmitted 2xx. */
        ENDED;

        private static final Map<State, Set<State>> NEXT = new EnumMap<>(State.class);

        static {
            NEXT.put(CALLING, EnumSet.of(PROCEEDING, CANCEL_PENDING, CONFIRMED, ENDED_EARLY));
            NEXT.put(PROCEEDING, EnumSet.of(CANCELLING, CONFIRMED, ENDED_EARLY));
            NEXT.put(CANCEL_PENDING, EnumSet.of(CANCELLING, ENDED));
            NEXT.put(CANCELLING, EnumSet.of(ENDED));
            NEXT.put(CONFIRMED, EnumSet.of(ENDED));
            NEXT.put(ENDED_EARLY, EnumSet.of(ENDED));
            NEXT.put(ENDED, EnumSet.noneOf(State.class));
        }

        @Override
        public boolean canMoveTo(State target) {
            return NEXT.get(this).contains(target);
        }

        /** Returns whether the INVITE is still waiting for its final response and the engine for its outcome. */
        boolean inviting() {
            return this == CALLING || this == PROCEEDING;
        }

        /** Returns whether the engine asked to cancel the INVITE. */
        boolean cancelled() {
            return this == CANCEL_PENDING || this == CANCELLING;
        }
    }

    private final SipUri from;
    private final SipUri to;
    private final MediaDescription offer;
    private State state = State.CALLING;
    private ClientTransaction invite;
    private int challenges;

    UacLeg(SipAgent sip, String callId, SipUri from, SipUri to, MediaDescription offer,
            LegListener listener) {
        super(sip, callId);
        this.from = from;
        this.to = to;
        this.offer = offer;
        this.listener = listener;
    }

    void sendInvite() {
        checkOnExecutor("sendInvite");
        try {
            Request request = buildInvite();
            invite = sip.clientTransaction(request);
            dialog = invite.getDialog();
            invite.sendRequest();
        } catch (Exception e) {
            TlsSocket.ReportedHandshakeFailure tls = TlsSocket.ReportedHandshakeFailure.in(e);
            String why = tls != null ? "TLS handshake failed: " + HandlingFailures.cut(tls.getMessage())
                    : e.getMessage();
            log.info("{}: cannot send INVITE to {}: {}", callId(), to, tls != null ? why : e.toString());
            end(State.ENDED_EARLY);
            listener.onFailed(503, "cannot send INVITE: " + why);
        }
    }

    /**
     * The transport of this call: TLS when the target or the outbound proxy is a SIPS URI; else the outbound proxy's
     * {@code transport} parameter when there is a proxy and it names one, else the target's, else the configured
     * transport.
     *
     * @throws IllegalArgumentException naming a transport that is not supported, or TLS when it is not configured
     */
    @Override
    SipTransport transport() {
        SipUri proxy = sip.outboundProxy(from);
        String named = proxy != null && proxy.parameter("transport") != null
                ? proxy.parameter("transport") : to.parameter("transport");
        SipTransport chosen = to.secure() || (proxy != null && proxy.secure()) ? SipTransport.TLS
                : named == null ? super.transport()
                : SipTransport.ofToken(named).orElseThrow(() -> new IllegalArgumentException("transport '" + named
                        + "' is not supported (udp, tcp or tls)"));
        if (chosen == SipTransport.TLS && sip.config().tls() == null) {
            throw new IllegalArgumentException("transport 'tls' is not supported: SIP over TLS is not configured");
        }
        return chosen;
    }

    /** Whether this side's Contact is a SIPS URI: when the target is one (RFC 3261 8.1.1.8). */
    @Override
    boolean secureContact() {
        return to.secure();
    }

    private Request buildInvite() throws Exception {
        var addresses = sip.addresses();
        var headers = sip.headers();
        SipTransport chosen = transport();
        String transport = chosen.token();
        SipURI requestUri = sipUri(to, Set.of());
        if (chosen != SipTransport.UDP && !to.secure() && to.parameter("transport") == null) {
            requestUri.setTransportParam(transport);
        }
        Address fromAddress = addresses.createAddress(sipUri(from, Set.of("transport")));
        FromHeader fromHeader = headers.createFromHeader(fromAddress, Long.toHexString(System.nanoTime()));
        ToHeader toHeader = headers.createToHeader(addresses.createAddress(sipUri(to, Set.of("transport"))), null);
        ViaHeader via = headers.createViaHeader(sip.host(), sip.port(chosen), transport, null);
        // RFC 3581: ask for the response at the address and port this request left from (NAT).
        via.setRPort();
        CallIdHeader callIdHeader = headers.createCallIdHeader(callId());
        CSeqHeader cseq = headers.createCSeqHeader(1L, Request.INVITE);
        Request request = sip.messages().createRequest(requestUri, Request.INVITE, callIdHeader, cseq, fromHeader,
                toHeader, List.of(via), headers.createMaxForwardsHeader(70));
        addContact(request, from.user());
        request.addHeader(headers.createAllowHeader(Responder.ALLOW));
        request.addHeader(headers.createUserAgentHeader(List.of(sip.config().userAgent())));
        SipUri proxy = sip.outboundProxy(from);
        if (proxy != null) {
            SipURI route = sipUri(proxy.withUser(null), Set.of());
            route.setLrParam();
            if (chosen != SipTransport.UDP && !proxy.secure() && proxy.parameter("transport") == null) {
                route.setTransportParam(transport);
            }
            request.addHeader(headers.createRouteHeader(addresses.createAddress(route)));
        }
        attachSdp(request, offer);
        return request;
    }

    /**
     * The JAIN-SIP form of {@code uri}, with its parameters but those named in {@code leftOut}. The text is the
     * canonical form of a URI {@link SipUri} has already checked and bounded, so the stack's parser gets only valid
     * input, and it keeps a parameter without a value ({@code ;lr}) as a flag.
     */
    private SipURI sipUri(SipUri uri, Set<String> leftOut) throws java.text.ParseException {
        Map<String, String> kept = new LinkedHashMap<>(uri.parameters());
        kept.keySet().removeAll(leftOut);
        return (SipURI) sip.addresses().createURI(uri.withParameters(kept).toString());
    }

    /** Moves to {@code next}; throws, naming the transition, if the state table does not allow it. */
    private void move(State next) {
        state = transition(state, next);
    }

    /** Moves to an end state, and forgets the leg: the stack's events for it are no longer routed here. */
    private void end(State next) {
        move(next);
        sip.forget(this);
    }

    @Override
    boolean ended() {
        return !state.inviting() && state != State.CONFIRMED;
    }

    @Override
    void endedByPeer() {
        end(state == State.CONFIRMED ? State.ENDED : State.ENDED_EARLY);
    }

    @Override
    void abandon() {
        checkOnExecutor("abandon");
        if (state.inviting()) {
            move(State.ENDED_EARLY);
        } else if (state != State.ENDED_EARLY && state != State.ENDED) {
            move(State.ENDED);
        }
    }

    @Override
    void onResponse(ResponseEvent event, String method, long receivedAt) {
        checkOnExecutor("onResponse");
        if (!method.equals(Request.INVITE)) {
            super.onResponse(event, method, receivedAt);
            return;
        }
        if (onReInviteResponse(event)) {
            return;
        }
        Response response = event.getResponse();
        int status = response.getStatusCode();
        if (status < 200) {
            provisional(response, status);
        } else if (status < 300) {
            success(event, response, receivedAt);
        } else if ((status == 401 || status == 407) && state.inviting() && retryWithCredentials(event)) {
            return;
        } else if (state.inviting()) {
            end(State.ENDED_EARLY);
            deleteDialog();
            listener.onFailed(status, response.getReasonPhrase());
        } else if (state.cancelled()) {
            deleteDialog();
            end(State.ENDED);
        }
    }

    /**
     * Releases the early dialog of an INVITE that failed (4xx-6xx, 487 after our CANCEL, timeout). The stack would
     * terminate it only when the INVITE transaction is cleaned up, after Timer D (32 s over UDP); the transaction
     * stays for Timer D anyway, to absorb retransmitted final responses, and needs no dialog for that.
     */
    private void deleteDialog() {
        if (dialog != null) {
            dialog.delete();
        }
    }

    private void provisional(Response response, int status) {
        if (status == 100) {
            return;
        }
        switch (state) {
            case CALLING, PROCEEDING -> {
                if (state == State.CALLING) {
                    move(State.PROCEEDING);
                }
                listener.onProvisional(status, earlyMedia(response, status));
            }
            case CANCEL_PENDING -> {
                move(State.CANCELLING);
                sendCancel();
            }
            default -> {
                // Cancelling, answered or ended: nothing to report.
            }
        }
    }

    private MediaDescription earlyMedia(Response response, int status) {
        byte[] body = body(response);
        if (body == null) {
            return null;
        }
        try {
            return Sdp.parse(body);
        } catch (Sdp.SdpException e) {
            log.info("{}: ignoring the early media of a {}: {}", callId(), status, e.getMessage());
            return null;
        }
    }

    private void success(ResponseEvent event, Response response, long receivedAt) {
        Dialog answered = event.getDialog() != null ? event.getDialog() : dialog;
        try {
            long seq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
            answered.sendAck(withRport(answered.createAck(seq)));
        } catch (Exception e) {
            log.info("{}: cannot acknowledge the 200 OK: {}", callId(), e.toString());
        }
        if (state == State.CONFIRMED || state == State.ENDED) {
            return;
        }
        dialog = answered;
        if (!state.inviting()) {
            // The 200 crossed our CANCEL or hang-up: the call exists now, so end it properly.
            sendBye(487);
            end(State.ENDED);
            return;
        }
        move(State.CONFIRMED);
        Flight.inviteAnswered(callId(), offer != null ? offer.port() : 0, receivedAt);
        byte[] body = body(response);
        MediaDescription remote;
        try {
            remote = body == null ? null : Sdp.parse(body);
        } catch (Sdp.SdpException e) {
            remote = null;
            log.info("{}: the 200 OK's SDP is unusable: {}", callId(), e.getMessage());
        }
        if (remote == null) {
            sendBye(488);
            end(State.ENDED);
            listener.onFailed(488, "the answer carried no usable SDP");
            return;
        }
        listener.onAnswered(remote);
    }

    private boolean retryWithCredentials(ResponseEvent event) {
        if (!sip.hasCredentials() || ++challenges > MAX_CHALLENGES) {
            return false;
        }
        try {
            ClientTransaction retry = sip.authHelper().handleChallenge(event.getResponse(), invite,
                    sip.sipProvider(), 5, true);
            SipAgent.notifyOnRetransmit(retry);
            invite = retry;
            dialog = retry.getDialog();
            retry.sendRequest();
            return true;
        } catch (SipException | RuntimeException e) {
            log.info("{}: cannot answer the {} challenge: {}", callId(), event.getResponse().getStatusCode(),
                    e.toString());
            return false;
        }
    }

    @Override
    void onTimeout(ClientTransaction transaction) {
        checkOnExecutor("onTimeout");
        if (transaction != invite) {
            super.onTimeout(transaction);
            return;
        }
        if (state == State.CONFIRMED || state == State.ENDED) {
            return;
        }
        boolean report = state.inviting();
        if (state != State.ENDED_EARLY) {
            end(report ? State.ENDED_EARLY : State.ENDED);
        }
        deleteDialog();
        if (report) {
            listener.onFailed(408, "Request Timeout");
        }
    }

    @Override
    public void cancel() {
        executor().execute(() -> {
            switch (state) {
                case CONFIRMED -> {
                    end(State.ENDED);
                    sendBye(487);
                }
                case CALLING -> move(State.CANCEL_PENDING);
                // Still CALLING: the CANCEL goes when a provisional response arrives; if none does, the INVITE
                // transaction times out.
                case PROCEEDING -> {
                    move(State.CANCELLING);
                    sendCancel();
                }
                default -> {
                    // Cancelled or ended already.
                }
            }
        });
    }

    private void sendCancel() {
        try {
            Request cancel = invite.createCancel();
            sip.clientTransaction(cancel).sendRequest();
        } catch (Exception e) {
            log.info("{}: cannot send CANCEL: {}", callId(), e.toString());
        }
    }

    @Override
    public void hangup(int cause) {
        executor().execute(() -> {
            if (ended()) {
                return;
            }
            end(state == State.CONFIRMED ? State.ENDED : State.ENDED_EARLY);
            sendBye(cause);
        });
    }

    @Override
    public String toString() {
        return "UacLeg[" + callId() + " -> " + to + ", " + state + "]";
    }

}
