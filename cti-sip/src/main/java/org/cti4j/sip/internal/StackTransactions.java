package org.cti4j.sip.internal;

import gov.nist.javax.sip.stack.SIPTransaction;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sip.Dialog;
import javax.sip.DialogState;
import javax.sip.SipStack;
import javax.sip.TransactionState;
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
            Field field = SIPTransactionStack.class.getDeclaredField(name);
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
    static List<String> describeUnfinished(SipStack stack) {
        List<String> unfinished = new ArrayList<>();
        try {
            collect(stack, unfinished);
        } catch (RuntimeException e) {
            // Closing must go on whatever the stack's tables hold.
            log.debug("cannot list the stack's unfinished transactions: {}", e.toString());
        }
        return unfinished;
    }

    /**
     * Returns once no transaction of {@code stack} is still handling a message. A transaction marks itself finished
     * before it acts on the message that finished it (it is COMPLETED before it sends the ACK of a 487), and does
     * both holding its own lock; taking each lock in turn waits for such a step to end, so that stopping the stack
     * right after cannot close the socket under that ACK ("Unexpected internal error: Socket closed").
     */
    static void settle(SipStack stack) {
        try {
            for (Field table : new Field[] {CLIENT, SERVER}) {
                for (SIPTransaction transaction : transactions(stack, table)) {
                    synchronized (transaction) {
                        // Nothing: holding the lock once is the point.
                    }
                }
            }
        } catch (RuntimeException e) {
            log.debug("cannot settle the stack's transactions: {}", e.toString());
        }
    }

    private static void collect(SipStack stack, List<String> unfinished) {
        for (SIPTransaction transaction : transactions(stack, CLIENT)) {
            // A client transaction without a state was never sent: nothing will answer it.
            if (transaction.getState() != null && awaitsFinalResponse(transaction.getState())) {
                unfinished.add(describe("client", transaction));
            }
        }
        for (SIPTransaction transaction : transactions(stack, SERVER)) {
            TransactionState state = transaction.getState();
            // A server transaction without a state has not answered its request yet.
            if (state == null || awaitsFinalResponse(state)
                    || (transaction.isInviteTransaction() && TransactionState.COMPLETED.equals(state))) {
                unfinished.add(describe("server", transaction));
            }
        }
    }

    /**
     * Returns how many of {@code stack}'s client transactions still reach a dialog that has ended (see
     * {@link EndedDialogs}); for tests.
     */
    static int holdingEndedDialogs(SipStack stack) {
        int holding = 0;
        for (SIPTransaction transaction : transactions(stack, CLIENT)) {
            Dialog dialog = transaction.getDialog();
            if (dialog != null && DialogState.TERMINATED.equals(dialog.getState())) {
                holding++;
            }
        }
        return holding;
    }

    /** Returns how many client transactions {@code stack} holds whose method is {@code method}; for tests. */
    static int clientTransactions(SipStack stack, String method) {
        int count = 0;
        for (SIPTransaction transaction : transactions(stack, CLIENT)) {
            if (method.equals(transaction.getMethod())) {
                count++;
            }
        }
        return count;
    }

    /** Names a transaction by its method, which the stack keeps even once it has cleaned up the request. */
    private static String describe(String side, SIPTransaction transaction) {
        return side + " " + transaction.getMethod() + " " + transaction.getState();
    }

    private static boolean awaitsFinalResponse(TransactionState state) {
        return TransactionState.CALLING.equals(state) || TransactionState.TRYING.equals(state)
                || TransactionState.PROCEEDING.equals(state);
    }

    private static List<SIPTransaction> transactions(SipStack stack, Field table) {
        List<SIPTransaction> found = new ArrayList<>();
        if (table == null || !(stack instanceof SIPTransactionStack)) {
            return found;
        }
        try {
            if (table.get(stack) instanceof Map<?, ?> map) {
                for (Object value : map.values()) {
                    if (value instanceof SIPTransaction transaction) {
                        found.add(transaction);
                    }
                }
            }
        } catch (ReflectiveOperationException e) {
            log.debug("cannot read JAIN-SIP's {}: {}", table.getName(), e.toString());
        }
        return found;
    }
}
