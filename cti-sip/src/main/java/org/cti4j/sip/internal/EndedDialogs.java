package org.cti4j.sip.internal;

import gov.nist.javax.sip.stack.SIPClientTransactionImpl;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the stack forget an ended call's dialog when its BYE is answered, rather than 5 s later.
 *
 * <p>Over UDP a BYE's client transaction stays for Timer K (T4, 5 s) after its final response, to absorb the answer's
 * retransmissions. JAIN-SIP 1.3.0-91 lets go of the transaction's dialog at that point only if the dialog is still in
 * the stack ({@code SIPClientTransactionImpl.cleanUpOnTimer}); a BYE's dialog has just been removed from it (it ended
 * with the 200), so each one stayed reachable for those 5 s with everything it holds: at 250 duo callbacks a second
 * ~2,400 dialogs of calls already over, half the live heap. Nothing needs that dialog any more: the stack absorbs the
 * retransmissions without it, and cti-sip forgets a leg when it sends its BYE.
 * The field is JAIN-SIP's own and private; if it cannot be reached (another JAIN-SIP), nothing is done.
 */
final class EndedDialogs {

    private static final Logger log = LoggerFactory.getLogger(EndedDialogs.class);
    private static final VarHandle DEFAULT_DIALOG = defaultDialog();

    private EndedDialogs() {
    }

    private static VarHandle defaultDialog() {
        try {
            return MethodHandles.privateLookupIn(SIPClientTransactionImpl.class, MethodHandles.lookup())
                    .findVarHandle(SIPClientTransactionImpl.class, "defaultDialog",
                            gov.nist.javax.sip.stack.SIPDialog.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("the dialogs of answered BYEs stay with their transactions until Timer K: {}", e.toString());
            return null;
        }
    }

    /**
     * Drops {@code transaction}'s reference to its dialog if the dialog has ended; does nothing otherwise (a BYE
     * challenged for credentials keeps it, to be sent again). Called for a BYE's final response.
     */
    static void release(ClientTransaction transaction) {
        if (DEFAULT_DIALOG == null || !(transaction instanceof SIPClientTransactionImpl impl)) {
            return;
        }
        Dialog dialog = impl.getDialog();
        if (dialog != null && DialogState.TERMINATED.equals(dialog.getState())) {
            DEFAULT_DIALOG.setVolatile(impl, (Object) null);
        }
    }
}
