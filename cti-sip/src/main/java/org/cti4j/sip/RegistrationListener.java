package org.cti4j.sip;

/**
 * Hears every change of a registration's state, and every further failure while it is failed (see {@link SipSignalingProvider#addRegistrationListener}). A change
 * from {@link SipRegistration.State#REGISTERED} to {@link SipRegistration.State#FAILED} is "registration lost":
 * inbound calls for the account no longer arrive until a retry succeeds.
 *
 * <p>Called on a SIP thread, one change of an account at a time, in order: return quickly and never block. A listener
 * that throws is logged and keeps being called.
 */
@FunctionalInterface
public interface RegistrationListener {

    /** The registration of {@code now.account()} moved to {@code now.state()}. */
    void onRegistrationChanged(SipRegistration now);
}
