package org.cti4j.sip.internal;

import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.TransactionState;
import javax.sip.header.Header;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers requests that no leg answers: statefully on their server transaction (made if needed, found if made
 * before), or statelessly for requests refused before any state is kept. Called on the stack's threads and on the
 * legs' executors; keeps no state of its own.
 */
final class Responder {

    private static final Logger log = LoggerFactory.getLogger(Responder.class);
    /** The methods this user agent handles, for {@code Allow} headers. */
    static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO";

    private final StackHost stack;

    Responder(StackHost stack) {
        this.stack = stack;
    }

    /**
     * Answers {@code request} on its server transaction (created if needed, found if made before); a duplicate is
     * dropped quietly, and a final response is sent only if the transaction has not sent one yet.
     *
     * @param reason the reason phrase, or {@code null} for the standard one
     * @param extra headers to add, e.g. {@code Accept} to a 415
     */
    void respond(RequestEvent event, int status, String reason, Header... extra) {
        send(event, true, status, reason, extra);
    }

    /**
     * Answers a request that the stack could read but that must be refused (RFC 4475's malformed ones) without a
     * transaction: no state is kept for it, and a retransmission is simply refused again (RFC 3261 8.2.7).
     */
    void refuse(RequestEvent event, Refusal refusal, Header... extra) {
        send(event, false, refusal.status(), refusal.reason(), extra);
    }

    private void send(RequestEvent event, boolean stateful, int status, String reason, Header... extra) {
        try {
            Response response = stack.messages().createResponse(status, event.getRequest());
            if (reason != null) {
                response.setReasonPhrase(reason);
            }
            for (Header header : extra) {
                response.addHeader(header);
            }
            if (status == 405 || event.getRequest().getMethod().equals(Request.OPTIONS)) {
                response.addHeader(stack.headers().createAllowHeader(ALLOW));
            }
            ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
            if (status > 100 && to.getTag() == null) {
                to.setTag(Long.toHexString(System.nanoTime()));
            }
            ServerTransaction transaction = stateful ? serverTransaction(event) : event.getServerTransaction();
            if (stateful && transaction == null) {
                // Made before for this very request: a failure after it was made must still be answered on it.
                transaction = stack.existing(event.getRequest());
            }
            if (transaction == null) {
                stack.provider().sendResponse(response);
            } else if (status < 200 || owesFinalResponse(transaction)) {
                transaction.sendResponse(response);
            }
        } catch (Exception e) {
            log.debug("cannot answer {} with {}: {}", event.getRequest().getMethod(), status,
                    HandlingFailures.cut(e.toString()));
        }
    }

    /** Returns whether {@code transaction} has not sent its final response yet. */
    static boolean owesFinalResponse(ServerTransaction transaction) {
        TransactionState state = transaction.getState();
        return state == null || TransactionState.TRYING.equals(state) || TransactionState.PROCEEDING.equals(state);
    }

    /** Returns the event's server transaction, creating it; {@code null} if it cannot be had (a retransmission). */
    ServerTransaction serverTransaction(RequestEvent event) {
        ServerTransaction transaction = event.getServerTransaction();
        if (transaction != null) {
            return transaction;
        }
        if (event.getRequest().getMethod().equals(Request.ACK)) {
            return null;
        }
        try {
            return stack.provider().getNewServerTransaction(event.getRequest());
        } catch (Exception e) {
            log.debug("no server transaction for {}: {}", event.getRequest().getMethod(),
                    HandlingFailures.cut(e.toString()));
            return null;
        }
    }
}
