package org.cti4j.sip;

import java.lang.reflect.Field;
import java.util.Map;
import javax.sip.SipStack;
import javax.sip.Transaction;
import javax.sip.TransactionState;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the transactions of a JAIN-SIP stack that are not finished: a request sent and not finally answered, a
 * request received and not finally answered, an INVITE refused and its ACK not received. Closing the provider waits
 * for these, so that the far end gets its answers and its ACKs before the sockets close.
 *
 * <p>JAIN-SIP 1.3.0-91 counts its transactions but cannot list them; the two tables are read by reflection (the
 * stack is pinned to that release). Should they be missing, nothing is counted and the close waits only for
 * dialogs, as before.
 */
final class StackTransactions {

    private static final Logger log = LoggerFactory.getLogger(StackTransactions.class);
    private static final Field CLIENT = table("clientTransactionTable");
    private static final Field SERVER = table("serverTransactionTable");

    private StackTransactions() {
    }

    private static Field table(String name) {
        try {
            Field field = gov.nist.javax.sip.stack.SIPTransactionStack.class.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("JAIN-SIP's {} cannot be read ({}): closing waits only for dialogs", name, e.toString());
            return null;
        }
    }

    /** Returns how many transactions of {@code stack} are not finished (see the class comment). */
    static int unfinished(SipStack stack) {
        return describeUnfinished(stack).size();
    }

    /** Returns the transactions of {@code stack} that are not finished, each as "client INVITE PROCEEDING". */
    static java.util.List<String> describeUnfinished(SipStack stack) {
        java.util.List<String> unfinished = new java.util.ArrayList<>();
        for (Transaction transaction : transactions(stack, CLIENT)) {
            if (awaitsFinalResponse(transaction.getState())) {
                unfinished.add(describe("client", transaction));
            }
        }
        for (Transaction transaction : transactions(stack, SERVER)) {
            TransactionState state = transaction.getState();
            boolean invite = Request.INVITE.equals(transaction.getRequest().getMethod());
            if (awaitsFinalResponse(state) || (invite && state == TransactionState.COMPLETED)) {
                unfinished.add(describe("server", transaction));
            }
        }
        return unfinished;
    }

    private static String describe(String side, Transaction transaction) {
        return side + " " + transaction.getRequest().getMethod() + " " + transaction.getState();
    }

    private static boolean awaitsFinalResponse(TransactionState state) {
        return state == null || state == TransactionState.CALLING || state == TransactionState.TRYING
                || state == TransactionState.PROCEEDING;
    }

    private static Iterable<? extends Transaction> transactions(SipStack stack, Field table) {
        if (table == null || !(stack instanceof gov.nist.javax.sip.stack.SIPTransactionStack)) {
            return java.util.List.of();
        }
        try {
            return java.util.List.copyOf(((Map<?, ? extends Transaction>) table.get(stack)).values());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return java.util.List.of();
        }
    }
}
