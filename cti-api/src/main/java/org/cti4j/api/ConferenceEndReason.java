package org.cti4j.api;

/** Why a conference ended. */
public enum ConferenceEndReason {
    /** Its last member left. */
    EMPTY,
    /** {@code max_seconds} elapsed. */
    MAX_SECONDS,
    /** {@link Conference#release()} was called. */
    RELEASED,
    /** The engine shut down. */
    SHUTDOWN
}
