package org.cti4j.sip.internal;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import javax.sip.SipStack;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops a response that nothing in the engine waits for before JAIN-SIP's transaction layer sees it: no client
 * transaction has its branch, and its Call-ID is no call leg's and no registration's. cti-sip would ignore such a
 * response anyway; the point is what the stack does first. JAIN-SIP 1.3.0-91 looks a response's transaction up by
 * its branch and, when none has it, compares the response with every client transaction in the stack
 * ({@code SIPTransactionStack.newSIPServerResponse}), lower-casing branch ids on the way: one datagram from anyone
 * costs work in proportion to the calls in progress (up to {@code MAX_CLIENT_TRANSACTIONS}, 20,000). The responses
 * that are let through are those to a request still in a transaction, and those of a leg or registration still
 * known: a 200 OK the callee sends again after its INVITE's transaction ended must still be acknowledged again.
 *
 * <p>Instantiated by JAIN-SIP through its {@code gov.nist.javax.sip.SIP_MESSAGE_VALVE} property, after
 * {@link MessageCounter} (which counts every response); lets everything through until {@link #admit} gives it the
 * engine's Call-IDs. Called by the stack's receiving threads, several at once.
 */
public final class StrayResponses implements SIPMessageValve {

    private static final Logger log = LoggerFactory.getLogger(StrayResponses.class);

    private final LongAdder dropped = new LongAdder();
    private volatile SIPTransactionStack stack;
    private volatile Predicate<String> known;

    /** Creates the valve (JAIN-SIP calls this). */
    public StrayResponses() {
    }

    @Override
    public void init(SipStack sipStack) {
        stack = sipStack instanceof SIPTransactionStack transactions ? transactions : null;
    }

    /** From now on, lets through the responses without a transaction whose Call-ID {@code callIds} accepts. */
    void admit(Predicate<String> callIds) {
        known = callIds;
    }

    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        return true;
    }

    @Override
    public boolean processResponse(Response response, MessageChannel channel) {
        SIPTransactionStack transactions = stack;
        Predicate<String> callIds = known;
        if (transactions == null || callIds == null || !(response instanceof SIPResponse received)) {
            return true;
        }
        String callId;
        try {
            // A known Call-ID first: a map look-up that allocates nothing, where the transaction id is computed again
            // (lower-cased) by the stack.
            CallIdHeader header = received.getCallId();
            callId = header == null ? null : header.getCallId();
            if (callId != null && callIds.test(callId)) {
                return true;
            }
            // The same key, and the same look-up, as the stack's own before it scans.
            if (transactions.findTransaction(received.getTransactionId(), false) != null) {
                return true;
            }
        } catch (RuntimeException e) {
            // A response this cannot judge goes on to the stack, as it would without the valve.
            return true;
        }
        dropped.increment();
        if (log.isDebugEnabled()) {
            log.debug("dropped a {} response from {}:{} that no transaction, call or registration waits for "
                    + "(Call-ID {})", received.getStatusCode(), channel.getPeerAddress(), channel.getPeerPort(),
                    HandlingFailures.cut(callId));
        }
        return false;
    }

    @Override
    public void destroy() {
        stack = null;
    }

    /** Returns how many responses were dropped. */
    long dropped() {
        return dropped.sum();
    }
}
