package org.cti4j.api;

/** Why sending DTMF keys ended ({@link CallEvent.SendDtmfCompleted#reason()}). */
public enum SendDtmfEndReason {
    /** Every key was sent. */
    FINISHED,
    /** The call ended while keys were being sent. */
    HANGUP,
    /**
     * Stopped by {@link Call#sendDtmfStop()}: the key under way was sent whole (with its end packets), the rest was
     * not sent.
     */
    STOPPED,
    /**
     * They could not all be sent; the error says why, e.g. the far end (which did not negotiate RFC 4733 telephone
     * events) refused or did not answer a key's SIP INFO.
     */
    FAILED
}
