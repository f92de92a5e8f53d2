package org.cti4j.sip.internal;

import java.util.EnumSet;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.cti4j.api.SipUri;
import org.cti4j.core.spi.InboundLeg;
import org.cti4j.core.spi.LegListener;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.sip.SipTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An inbound leg (UAS): 100 Trying at once, 180 Ringing once the engine offers it to the application, then 200 OK
 * with SDP (retransmitted by the stack until ACK; without an ACK in time the leg hangs up with 408), a final error
 * response, or 302. A CANCEL is answered 200 and the INVITE 487. Runs on its executor.
 *
 * <pre>
 *  OFFERED ──answer()──▶ ANSWERED ──ACK──▶ CONFIRMED
 *  every state but ENDED ──reject, redirect, CANCEL, BYE, hangup, no ACK──▶ ENDED
 * </pre>
 */
final class UasLeg extends SipLeg implements InboundLeg {

    private static final Logger log = LoggerFactory.getLogger(UasLeg.class);

    /** The leg's states, each with the states it may move to. */
    enum State implements LegState<State> {
        /** The INVITE is taken (100 sent, 180 once the engine rings it); no final response yet. */
        OFFERED,
        /** 200 OK sent; its ACK is awaited. */
        ANSWERED,
        /** The ACK came: the call is up. */
        CONFIRMED,
        /** Over: nothing more is reported to the engine. */
        ENDED;

        private static final Map<State, Set<State>> NEXT = new EnumMap<>(State.class);

        static {
            NEXT.put(OFFERED, EnumSet.of(ANSWERED, ENDED));
            NEXT.put(ANSWERED, EnumSet.of(CONFIRMED, ENDED));
            NEXT.put(CONFIRMED, EnumSet.of(ENDED));
            NEXT.put(ENDED, EnumSet.noneOf(State.class));
        }

        @Override
        public boolean canMoveTo(State target) {
            return NEXT.get(this).contains(target);
        }
    }

    private final RequestEvent inviteEvent;
    private final ServerTransaction invite;
    private final SipUri from;
    private final SipUri to;
    private final MediaDescription offer;
    private final String toTag = Long.toHexString(System.nanoTime());
    private State state = State.OFFERED;
    private ScheduledFuture<?> ackTimer;

    private UasLeg(SipAgent sip, RequestEvent inviteEvent, ServerTransaction invite, SipUri from,
            SipUri to, MediaDescription offer) {
        super(sip, ((javax.sip.header.CallIdHeader) inviteEvent.getRequest()
                .getHeader(javax.sip.header.CallIdHeader.NAME)).getCallId());
        this.inviteEvent = inviteEvent;
        this.invite = invite;
        this.from = from;
        this.to = to;
        this.offer = offer;
        this.dialog = invite.getDialog();
    }

    /**
     * Checks a new INVITE and sends 100 Trying; returns the leg, or nothing after answering an INVITE that cannot
     * become a call with a final response on {@code transaction}, so that neither it nor its dialog stays:
     * <ul>
     *   <li>416 for a Request-URI that is not a SIP URI, 414 for one whose user part is too long;</li>
     *   <li>400 naming the header for a From or To that cannot be a {@link SipUri} (see {@link #MAX_USER_CHARS});</li>
     *   <li>406 Not Acceptable when its {@code Accept} header refuses {@code application/sdp}: the answer would
     *       carry SDP (RFC 3261 21.4.7, RFC 4475 sdp01);</li>
     *   <li>415 Unsupported Media Type with {@code Accept: application/sdp} for a body that is not SDP nor a
     *       multipart holding SDP (RFC 3261 21.4.13, RFC 4475 invut);</li>
     *   <li>488 for SDP that cannot be read.</li>
     * </ul>
     * Runs on the stack's event thread.
     */
    static Optional<UasLeg> accept(SipAgent sip, RequestEvent event, ServerTransaction transaction) {
        Request request = event.getRequest();
        Responder responder = sip.responder();
        if (!(request.getRequestURI() instanceof SipURI target)) {
            responder.respond(event, 416, "Unsupported URI Scheme");
            return Optional.empty();
        }
        if (target.getUser() != null && target.getUser().length() > MAX_USER_CHARS) {
            responder.respond(event, 414, "Request-URI Too Long: user part too long (" + target.getUser().length()
                    + " characters, at most " + MAX_USER_CHARS + ")");
            return Optional.empty();
        }
        SipUri from;
        SipUri to;
        try {
            from = toSipUri(((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI(), "From header");
            to = toSipUri(((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI(), "To header");
        } catch (BadUri e) {
            responder.respond(event, 400, e.getMessage());
            return Optional.empty();
        }
        if (!SdpBodies.acceptsSdp(request)) {
            responder.respond(event, 406, "Not Acceptable: the answer is application/sdp, which Accept refuses");
            return Optional.empty();
        }
        MediaDescription offer = null;
        byte[] raw = request.getRawContent();
        if (raw != null && raw.length > 0) {
            byte[] sdp = SdpBodies.sdpOf(request);
            if (sdp == null) {
                responder.respond(event, 415, "Unsupported Media Type", SdpBodies.acceptSdp(sip.headers()));
                return Optional.empty();
            }
            try {
                offer = Sdp.parse(sdp);
            } catch (Sdp.SdpException e) {
                responder.respond(event, 488, "Not Acceptable Here: " + HandlingFailures.cut(e.getMessage()));
                return Optional.empty();
            }
        }
        UasLeg leg = new UasLeg(sip, event, transaction, from, to, offer);
        // The leg is not yet known to anyone: its executor runs nothing, and the stack's thread may send this.
        leg.send(100, null, null);
        return Optional.of(leg);
    }

    /** The engine took the leg; it rings once the engine calls {@link #ring}. */
    void offered(LegListener engineListener) {
        checkOnExecutor("offered");
        this.listener = engineListener;
    }

    /** Moves to {@code next}; throws, naming the transition, if the state table does not allow it. */
    private void move(State next) {
        state = transition(state, next);
    }

    /** Moves to {@link State#ENDED}, stops waiting for an ACK, and forgets the leg. */
    private void end() {
        move(State.ENDED);
        if (ackTimer != null) {
            ackTimer.cancel(false);
        }
        sip.forget(this);
    }

    @Override
    boolean ended() {
        return state == State.ENDED;
    }

    @Override
    void endedByPeer() {
        end();
    }

    @Override
    void abandon() {
        checkOnExecutor("abandon");
        if (state != State.ENDED) {
            move(State.ENDED);
        }
    }

    @Override
    public void ring() {
        executor().execute(() -> {
            if (state == State.OFFERED) {
                send(180, null, null);
            }
        });
    }

    @Override
    public SipUri from() {
        return from;
    }

    @Override
    public SipUri to() {
        return to;
    }

    @Override
    public Optional<MediaDescription> offer() {
        return Optional.ofNullable(offer);
    }

    @Override
    public void answer(MediaDescription local) {
        executor().execute(() -> {
            if (state != State.OFFERED) {
                return;
            }
            move(State.ANSWERED);
            send(200, null, local);
            ackTimer = sip.timers().schedule(() -> executor().execute(this::ackMissing),
                    sip.config().ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    private void ackMissing() {
        checkOnExecutor("ackMissing");
        if (state != State.ANSWERED) {
            return;
        }
        log.info("{}: no ACK for the 200 OK; hanging up", callId());
        sendBye(408);
        end();
        listener.onGaveUp(408, "no ACK for the 200 OK");
    }

    @Override
    void onAck(Request ack) {
        checkOnExecutor("onAck");
        if (state != State.ANSWERED) {
            return;
        }
        move(State.CONFIRMED);
        if (ackTimer != null) {
            ackTimer.cancel(false);
        }
        MediaDescription remote = null;
        byte[] body = body(ack);
        if (body != null) {
            try {
                remote = Sdp.parse(body);
            } catch (Sdp.SdpException e) {
                log.info("{}: the ACK's SDP is unusable: {}", callId(), e.getMessage());
                sendBye(488);
                end();
                listener.onGaveUp(488, "the ACK carried no usable SDP");
                return;
            }
        } else if (offer == null) {
            sendBye(488);
            end();
            listener.onGaveUp(488, "the ACK carried no SDP answer to the late offer");
            return;
        }
        listener.onConfirmed(remote);
    }

    @Override
    public void reject(int status) {
        refuse(() -> send(status, null, null));
    }

    @Override
    public void reject(int status, java.time.Duration retryAfter) {
        refuse(() -> {
            try {
                Response response = response(status, null);
                response.setHeader(sip.headers().createRetryAfterHeader((int) Math.min(Integer.MAX_VALUE,
                        retryAfter.toSeconds())));
                invite.sendResponse(response);
            } catch (Exception e) {
                log.info("{}: cannot send {}: {}", callId(), status, e.toString());
            }
        });
    }

    @Override
    public void redirect(SipUri target) {
        refuse(() -> {
            try {
                Response response = response(302, null);
                // The target's parameters (;transport=tcp, ;user=phone) go with it: the caller uses them.
                SipURI contact = (SipURI) sip.addresses().createURI(target.toString());
                response.setHeader(sip.headers().createContactHeader(sip.addresses().createAddress(contact)));
                invite.sendResponse(response);
            } catch (Exception e) {
                log.info("{}: cannot send 302: {}", callId(), e.toString());
            }
        });
    }

    /** Ends a leg still {@link State#OFFERED} with the final response {@code respond} sends; else does nothing. */
    private void refuse(Runnable respond) {
        executor().execute(() -> {
            if (state != State.OFFERED) {
                return;
            }
            end();
            respond.run();
        });
    }

    @Override
    public void hangup(int cause) {
        executor().execute(() -> {
            State was = state;
            if (was == State.ENDED) {
                return;
            }
            end();
            if (was == State.OFFERED) {
                send(cause >= 400 ? cause : 480, null, null);
            } else {
                sendBye(cause);
            }
        });
    }

    @Override
    void onRequest(RequestEvent event, ServerTransaction transaction) {
        if (!event.getRequest().getMethod().equals(Request.CANCEL)) {
            super.onRequest(event, transaction);
            return;
        }
        checkOnExecutor("onRequest");
        reply(event, transaction, 200, null, null);
        if (state == State.OFFERED) {
            send(487, null, null);
            end();
            listener.onRemoteHangup(487);
        }
    }

    private void send(int status, String reason, MediaDescription media) {
        try {
            invite.sendResponse(response(status, reason, media));
        } catch (Exception e) {
            log.info("{}: cannot send {}: {}", callId(), status, e.toString());
        }
    }

    private Response response(int status, String reason)
            throws java.text.ParseException, javax.sip.InvalidArgumentException {
        return response(status, reason, null);
    }

    private Response response(int status, String reason, MediaDescription media)
            throws java.text.ParseException, javax.sip.InvalidArgumentException {
        Response response = sip.messages().createResponse(status, inviteEvent.getRequest());
        if (reason != null) {
            response.setReasonPhrase(reason);
        }
        if (status > 100) {
            ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(toTag);
        }
        if (status >= 180 && status < 300) {
            addContact(response, to.user());
        }
        if (status == 488) {
            // RFC 3261 20.43: tell the caller why its offer was refused.
            response.addHeader(sip.headers().createWarningHeader(sip.host(), 305, "Incompatible media format"));
        }
        if (media != null) {
            response.addHeader(sip.headers().createAllowHeader(Responder.ALLOW));
            attachSdp(response, media);
        }
        return response;
    }

    /**
     * The transport the INVITE came over (its top Via's), so that the Contact this side answers with is reached the
     * same way: the port and {@code ;transport=} of a call that came over TLS say TLS.
     */
    @Override
    SipTransport transport() {
        if (inviteEvent.getRequest().getHeader(ViaHeader.NAME) instanceof ViaHeader via && via.getTransport() != null) {
            return SipTransport.ofToken(via.getTransport()).orElseGet(super::transport);
        }
        return super.transport();
    }

    /** Whether this side's Contact is a SIPS URI: when the INVITE's Request-URI is one (RFC 3261 12.1.1). */
    @Override
    boolean secureContact() {
        return inviteEvent.getRequest().getRequestURI() instanceof SipURI target && target.isSecure();
    }

    @Override
    public String toString() {
        return "UasLeg[" + callId() + " from " + from + ", " + state + "]";
    }
}
