package org.cti4j.api;

/** Why sending DTMF keys ended ({@link CallEvent.SendDtmfCompleted#reason()}). */
public enum SendDtmfEndReason {
    /** Every key was sent. */
    FINISHED,
    /** The call ended while keys were being sent. */
    HANGUP,
    /** They could not be sent: the far end did not negotiate RFC 4733 telephone events. */
    FAILED
}
