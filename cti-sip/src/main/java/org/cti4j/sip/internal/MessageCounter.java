package org.cti4j.sip.internal;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.util.concurrent.atomic.LongAdder;
import javax.sip.SipStack;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Counts the SIP messages the stack receives, over every transport, before its transaction layer sees them: requests,
 * responses, and requests that are retransmissions (a server transaction for them is still there: the peer sent
 * again because the engine's answer did not reach it in time). Lets every message through. Instantiated by JAIN-SIP
 * through its {@code gov.nist.javax.sip.SIP_MESSAGE_VALVE} property; {@link StackHost} finds it in the stack. Called
 * by the stack's receiving threads, several at once.
 */
public final class MessageCounter implements SIPMessageValve {

    private final LongAdder requests = new LongAdder();
    private final LongAdder responses = new LongAdder();
    private final LongAdder retransmissions = new LongAdder();
    private volatile SIPTransactionStack stack;

    /** Creates the counter (JAIN-SIP calls this). */
    public MessageCounter() {
    }

    @Override
    public void init(SipStack sipStack) {
        stack = sipStack instanceof SIPTransactionStack transactions ? transactions : null;
    }

    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        requests.increment();
        SIPTransactionStack transactions = stack;
        // An ACK has no transaction of its own (a non-2xx one matches the INVITE's); a CANCEL's id is its own.
        if (transactions == null || Request.ACK.equals(request.getMethod())) {
            return true;
        }
        try {
            if (transactions.findTransaction(request, true) != null) {
                retransmissions.increment();
            }
        } catch (RuntimeException e) {
            // Counting must never cost a message: one the stack cannot match goes on to be answered as ever.
        }
        return true;
    }

    @Override
    public boolean processResponse(Response response, MessageChannel channel) {
        responses.increment();
        return true;
    }

    @Override
    public void destroy() {
        stack = null;
    }

    /** Returns how many requests were received, retransmissions included. */
    long requests() {
        return requests.sum();
    }

    /** Returns how many responses were received, retransmissions included. */
    long responses() {
        return responses.sum();
    }

    /** Returns how many requests were retransmissions of one still in a server transaction. */
    long retransmissions() {
        return retransmissions.sum();
    }
}
