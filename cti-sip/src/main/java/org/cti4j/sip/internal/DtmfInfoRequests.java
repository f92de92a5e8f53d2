package org.cti4j.sip.internal;

import java.util.HashMap;
import java.util.Map;
import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.header.ContentTypeHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.cti4j.core.spi.SignalingLeg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DTMF keys a leg sends by SIP INFO within its dialog, each an {@code application/dtmf-relay} body
 * ({@code Signal=5}, {@code Duration=160}: the de-facto format that {@link SipLeg#dtmf} reads), and the answers they
 * await. Touched only on the leg's executor.
 */
final class DtmfInfoRequests {

    private static final Logger log = LoggerFactory.getLogger(DtmfInfoRequests.class);

    private final SipLeg leg;
    private final Map<ClientTransaction, SignalingLeg.InfoListener> awaiting = new HashMap<>();

    DtmfInfoRequests(SipLeg leg) {
        this.leg = leg;
    }

    /** Returns the body of the INFO that sends {@code key}. */
    static String body(char key, int durationMillis) {
        return "Signal=" + key + "\r\nDuration=" + durationMillis + "\r\n";
    }

    /** Sends {@code key} in an INFO of the leg's dialog; {@code listener} hears its answer. */
    void send(char key, int durationMillis, SignalingLeg.InfoListener listener) {
        leg.checkOnExecutor("sendDtmfInfo");
        if (leg.ended() || leg.dialog == null) {
            listener.onAnswered("the call has ended");
            return;
        }
        ClientTransaction transaction = null;
        try {
            Request info = SipLeg.withRport(leg.dialog.createRequest(Request.INFO));
            ContentTypeHeader type = leg.sip.headers().createContentTypeHeader("application", "dtmf-relay");
            info.setContent(body(key, durationMillis), type);
            transaction = leg.sip.clientTransaction(info);
            awaiting.put(transaction, listener);
            leg.dialog.sendRequest(transaction);
        } catch (Exception e) {
            log.info("{}: cannot send INFO: {}", leg.callId(), e.toString());
            if (transaction != null) {
                awaiting.remove(transaction);
            }
            listener.onAnswered("cannot send INFO: " + HandlingFailures.cut(e.getMessage()));
        }
    }

    /** A response to an INFO of this leg: a final one tells its listener. */
    void onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        int status = response.getStatusCode();
        if (status < 200) {
            return;
        }
        SignalingLeg.InfoListener listener = awaiting.remove(event.getClientTransaction());
        if (listener != null) {
            listener.onAnswered(status < 300 ? null : status + " " + response.getReasonPhrase());
        }
    }

    /** A client transaction of this leg timed out: if it was an INFO's, its listener hears so. */
    void onTimeout(ClientTransaction transaction) {
        SignalingLeg.InfoListener listener = awaiting.remove(transaction);
        if (listener != null) {
            listener.onAnswered("408 no answer to the INFO");
        }
    }
}
