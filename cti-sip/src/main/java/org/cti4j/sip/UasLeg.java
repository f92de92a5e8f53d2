package org.cti4j.sip;

import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.cti4j.api.SipUri;
import org.cti4j.core.spi.InboundLeg;
import org.cti4j.core.spi.LegListener;
import org.cti4j.core.spi.MediaDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An inbound leg (UAS): 100 Trying at once, 180 Ringing once the engine offers it to the application, then 200 OK
 * with SDP (retransmitted by the stack until ACK; without an ACK in time the leg hangs up with 408), a final error
 * response, or 302. A CANCEL is answered 200 and the INVITE 487. Runs on its strand.
 */
final class UasLeg extends SipLeg implements InboundLeg {

    private static final Logger log = LoggerFactory.getLogger(UasLeg.class);

    private enum State { OFFERED, ANSWERED, CONFIRMED }

    private final RequestEvent inviteEvent;
    private final ServerTransaction invite;
    private final SipUri from;
    private final SipUri to;
    private final MediaDescription offer;
    private final String toTag = Long.toHexString(System.nanoTime());
    private State state = State.OFFERED;
    private ScheduledFuture<?> ackTimer;

    private UasLeg(SipSignalingProvider sip, RequestEvent inviteEvent, ServerTransaction invite, SipUri from,
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
     * Checks a new INVITE and sends 100 Trying; returns the leg, or {@code null} after answering an INVITE that
     * cannot become a call with a final response on {@code transaction}, so that neither it nor its dialog stays:
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
    static UasLeg accept(SipSignalingProvider sip, RequestEvent event, ServerTransaction transaction) {
        Request request = event.getRequest();
        if (!(request.getRequestURI() instanceof SipURI target)) {
            sip.respond(event, 416, "Unsupported URI Scheme");
            return null;
        }
        if (target.getUser() != null && target.getUser().length() > MAX_USER_CHARS) {
            sip.respond(event, 414, "Request-URI Too Long: user part too long (" + target.getUser().length()
                    + " characters, at most " + MAX_USER_CHARS + ")");
            return null;
        }
        SipUri from;
        SipUri to;
        try {
            from = toSipUri(((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI(), "From header");
            to = toSipUri(((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI(), "To header");
        } catch (BadUri e) {
            sip.respond(event, 400, e.getMessage());
            return null;
        }
        if (!SdpBodies.acceptsSdp(request)) {
            sip.respond(event, 406, "Not Acceptable: the answer is application/sdp, which Accept refuses");
            return null;
        }
        MediaDescription offer = null;
        byte[] raw = request.getRawContent();
        if (raw != null && raw.length > 0) {
            byte[] sdp = SdpBodies.sdpOf(request);
            if (sdp == null) {
                sip.respond(event, 415, "Unsupported Media Type", SdpBodies.acceptSdp(sip.headers()));
                return null;
            }
            try {
                offer = Sdp.parse(sdp);
            } catch (Sdp.SdpException e) {
                sip.respond(event, 488, "Not Acceptable Here: " + HandlingFailures.cut(e.getMessage()));
                return null;
            }
        }
        UasLeg leg = new UasLeg(sip, event, transaction, from, to, offer);
        leg.send(100, null, null);
        return leg;
    }

    /** The engine took the leg; it rings once the engine calls {@link #ring}. */
    void offered(LegListener engineListener) {
        this.listener = engineListener;
    }

    @Override
    public void ring() {
        strand().execute(() -> {
            if (!ended && state == State.OFFERED) {
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
        strand().execute(() -> {
            if (ended || state != State.OFFERED) {
                return;
            }
            state = State.ANSWERED;
            send(200, null, local);
            ackTimer = sip.timers().schedule(() -> strand().execute(this::ackMissing),
                    sip.config().ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    private void ackMissing() {
        if (ended || state != State.ANSWERED) {
            return;
        }
        log.info("{}: no ACK for the 200 OK; hanging up", callId());
        sendBye(408);
        end();
        listener.onGaveUp(408, "no ACK for the 200 OK");
    }

    @Override
    void onAck(Request ack) {
        if (state != State.ANSWERED) {
            return;
        }
        state = State.CONFIRMED;
        if (ackTimer != null) {
            ackTimer.cancel(false);
        }
        if (ended) {
            return;
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
        strand().execute(() -> {
            if (ended || state != State.OFFERED) {
                return;
            }
            end();
            send(status, null, null);
        });
    }

    @Override
    public void redirect(SipUri target) {
        strand().execute(() -> {
            if (ended || state != State.OFFERED) {
                return;
            }
            end();
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

    @Override
    public void hangup(int cause) {
        strand().execute(() -> {
            if (ended) {
                return;
            }
            end();
            if (state == State.OFFERED) {
                send(cause >= 400 ? cause : 480, null, null);
            } else {
                if (ackTimer != null) {
                    ackTimer.cancel(false);
                }
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
        reply(event, transaction, 200, null, null);
        if (state == State.OFFERED && !ended) {
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
            response.addHeader(sip.headers().createAllowHeader(SipSignalingProvider.ALLOW));
            attachSdp(response, media);
        }
        return response;
    }

    @Override
    public String toString() {
        return "UasLeg[" + callId() + " from " + from + "]";
    }
}
