package org.cti4j.api;

/** Why a connection of two calls ended ({@link CallEvent.ConnectCompleted#reason()}). */
public enum ConnectEndReason {
    /** {@code max_seconds} passed. */
    MAX_SECONDS,
    /** {@code connect_stop} was called, on either call. */
    STOPPED,
    /** The first call (the one the event is about) ended. */
    HANGUP,
    /** The second call ended; the first stays up, back in {@link CallState#IDLE}. */
    PEER_HANGUP,
    /** The media could not be connected; the error says why. Both calls stay up. */
    FAILED
}
