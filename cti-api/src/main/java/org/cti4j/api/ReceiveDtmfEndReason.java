package org.cti4j.api;

/** Why a digit collection ended ({@link CallEvent.ReceiveDtmfCompleted#reason()}). */
public enum ReceiveDtmfEndReason {
    /** {@code max_keys} keys were collected. */
    MAX_KEYS,
    /** A finish key was pressed. */
    FINISH_KEY,
    /**
     * No key came within {@code first_key_timeout} after the prompt (played {@code 1 + play_repeat} times), or no
     * further key within {@code continues_keys_timeout} after the last one.
     */
    TIMEOUT,
    /** {@link Call#receiveDtmfStop()} stopped it. */
    STOPPED,
    /** The call ended during it. */
    HANGUP,
    /** The prompt could not be played (a missing or unreadable file): no key was collected. */
    FAILED
}
