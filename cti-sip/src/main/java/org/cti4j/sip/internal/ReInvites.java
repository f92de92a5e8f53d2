package org.cti4j.sip.internal;

import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.spi.SignalingLeg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The re-INVITEs a leg sends to change which way media flows (hold and unhold), one at a time, and the direction
 * this side chose: the far end's own re-INVITEs are answered within it. Touched only on the leg's executor.
 *
 * <p>A 2xx is acknowledged at once, and again if it is retransmitted (the transaction is gone by then, so the CSeq
 * tells it). While one is awaited, a re-INVITE from the far end is answered 491 (RFC 3261 14.2).
 */
final class ReInvites {

    private static final Logger log = LoggerFactory.getLogger(ReInvites.class);

    private final SipLeg leg;
    /** The direction this side offers: {@code SENDONLY} while it holds the far end. */
    private MediaDirection chosen = MediaDirection.SENDRECV;
    private ClientTransaction pending;
    private MediaDirection pendingDirection;
    private SignalingLeg.ReofferListener listener;
    /** The CSeq of the last re-INVITE sent; 0 before the first. */
    private long lastSeq;

    ReInvites(SipLeg leg) {
        this.leg = leg;
    }

    /** Returns whether a re-INVITE of this side awaits its final response. */
    boolean pending() {
        return pending != null;
    }

    /** Returns the direction to answer a far end's offer of {@code offered} with (from this side's view). */
    MediaDirection answerTo(MediaDirection offered) {
        return chosen.and(offered.reversed());
    }

    /** Sends a re-INVITE offering the leg's media with {@code direction}. */
    void send(MediaDirection direction, SignalingLeg.ReofferListener outcome) {
        leg.checkOnExecutor("reoffer");
        if (leg.ended() || leg.dialog == null || leg.localMedia == null) {
            outcome.onAnswered(null, 481, "the call has ended");
            return;
        }
        if (pending != null) {
            outcome.onAnswered(null, 491, "a re-INVITE of this side is under way");
            return;
        }
        try {
            Request invite = SipLeg.withRport(leg.dialog.createRequest(Request.INVITE));
            leg.addContact(invite, null);
            leg.attachSdp(invite, leg.localMedia.withDirection(direction));
            ClientTransaction transaction = leg.sip.clientTransaction(invite);
            lastSeq = ((CSeqHeader) invite.getHeader(CSeqHeader.NAME)).getSeqNumber();
            pending = transaction;
            pendingDirection = direction;
            listener = outcome;
            leg.dialog.sendRequest(transaction);
        } catch (Exception e) {
            log.info("{}: cannot send a re-INVITE: {}", leg.callId(), e.toString());
            clear();
            outcome.onAnswered(null, 500, "cannot send the re-INVITE: " + HandlingFailures.cut(e.getMessage()));
        }
    }

    /**
     * A response to an INVITE of the leg: returns whether it belongs to a re-INVITE (then it was handled here), so
     * that an outbound leg hands only its first INVITE's to its own handling.
     */
    boolean onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        long seq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
        if (lastSeq == 0 || seq != lastSeq) {
            return false;
        }
        int status = response.getStatusCode();
        if (status >= 200 && status < 300) {
            acknowledge(seq);
        }
        if (status < 200 || pending == null || event.getClientTransaction() != pending) {
            return true;
        }
        SignalingLeg.ReofferListener outcome = listener;
        MediaDirection asked = pendingDirection;
        clear();
        if (status >= 300) {
            outcome.onAnswered(null, status, status + " " + response.getReasonPhrase());
            return true;
        }
        MediaDescription answer = null;
        byte[] body = SipLeg.body(response);
        try {
            answer = body == null ? null : Sdp.parse(body);
        } catch (Sdp.SdpException e) {
            log.info("{}: the answer to a re-INVITE is unusable: {}", leg.callId(), e.getMessage());
        }
        if (answer == null) {
            outcome.onAnswered(null, 500, "the 2xx to the re-INVITE carried no usable SDP answer");
            return true;
        }
        chosen = asked;
        outcome.onAnswered(answer, 200, null);
        return true;
    }

    /** A client transaction of the leg timed out: returns whether it was the awaited re-INVITE's. */
    boolean onTimeout(ClientTransaction transaction) {
        if (pending == null || transaction != pending) {
            return false;
        }
        SignalingLeg.ReofferListener outcome = listener;
        clear();
        outcome.onAnswered(null, 408, "408 no answer to the re-INVITE");
        return true;
    }

    private void acknowledge(long seq) {
        try {
            leg.dialog.sendAck(SipLeg.withRport(leg.dialog.createAck(seq)));
        } catch (Exception e) {
            log.info("{}: cannot acknowledge the 2xx to a re-INVITE: {}", leg.callId(), e.toString());
        }
    }

    private void clear() {
        pending = null;
        pendingDirection = null;
        listener = null;
    }
}
