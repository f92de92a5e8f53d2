package org.cti4j.api;

/**
 * The states of a {@link DuoCallback}.
 *
 * <pre>
 *  INITIATED ──party 1 answers──▶ ANSWERED ──party 2 answers──▶ CONNECTED
 *      │                              │                             │
 *      └─ party 1 fails, cancel ──────┴─ party 2 fails, party 1 ────┴─ either hangs up, max_connect_seconds
 *                                        hangs up, cancel                    ▼
 *                                                                        RELEASED
 * </pre>
 */
public enum DuoCallbackState {
    /** Party 1 is being dialled. */
    INITIATED,
    /** Party 1 answered; party 2 is being dialled while party 1 hears the ring file or party 2's ringback. */
    ANSWERED,
    /** Party 2 answered: the two are bridged. {@code cancel} is no longer allowed. */
    CONNECTED,
    /** Ended. Final. */
    RELEASED
}
