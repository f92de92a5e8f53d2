package org.cti4j.sip;

import java.time.Instant;
import java.util.Objects;

/**
 * Where the registration of a {@link SipAccount} stands: a snapshot, from
 * {@link SipSignalingProvider#registrations()} or given to a {@link RegistrationListener} on every change.
 *
 * @param account the account's name
 * @param aor the address of record
 * @param state the state
 * @param expiresAt when the registration runs out unless refreshed (it is refreshed before); {@code null} unless
 *     {@link State#REGISTERED}
 * @param status the SIP status of the last answer of the registrar (200, 401, 503, ...), 408 when it did not answer,
 *     0 before any answer or when the REGISTER could not be sent
 * @param reason what happened, in words: the registrar's reason phrase, or why the REGISTER could not be sent or
 *     was not answered; empty when registered
 * @param retryAt when the next attempt is made, while {@link State#FAILED}; {@code null} otherwise
 */
public record SipRegistration(String account, String aor, State state, Instant expiresAt, int status, String reason,
        Instant retryAt) {

    /** Checks the parts. */
    public SipRegistration {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(aor, "aor");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
    }

    /** Returns whether the registrar holds the binding: inbound calls can reach this side through it. */
    public boolean registered() {
        return state == State.REGISTERED;
    }

    /** The states of a registration. */
    public enum State {
        /** The first REGISTER is on its way. (A retry after a failure stays {@link #FAILED} until one succeeds.) */
        REGISTERING,
        /** The registrar accepted the binding; it is refreshed before it runs out. */
        REGISTERED,
        /**
         * The last attempt failed (refused, credentials rejected, no answer, or could not be sent); another is made
         * at {@link SipRegistration#retryAt()}. From {@link #REGISTERED}, this is "registration lost".
         */
        FAILED,
        /** Unregistered at close (or the provider never started): nothing more happens. */
        UNREGISTERED
    }
}
