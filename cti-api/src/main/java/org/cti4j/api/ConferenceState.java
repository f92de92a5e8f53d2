package org.cti4j.api;

/** The states of a {@link Conference}. */
public enum ConferenceState {
    /** Calls may enter and leave. */
    ACTIVE,
    /** Ended: its last member left, {@code max_seconds} elapsed, or it was released. Final. */
    RELEASED
}
