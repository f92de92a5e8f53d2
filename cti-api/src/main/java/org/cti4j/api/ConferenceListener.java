package org.cti4j.api;

/**
 * Hears the events of a {@link Conference}. Every method does nothing by default.
 *
 * <p>Methods are called on the engine's event executor, one at a time and in order for a given conference, never
 * after {@link #onReleased}. They must be quick and must not block. An exception they throw is logged and the
 * engine goes on.
 */
public interface ConferenceListener {

    /** A call entered the conference. */
    default void onMemberEntered(Conference conference, ConferenceEvent.MemberEntered event) {
    }

    /** A call left the conference. */
    default void onMemberExited(Conference conference, ConferenceEvent.MemberExited event) {
    }

    /** {@code on_released}: the conference ended. Its last event, called exactly once. */
    default void onReleased(Conference conference, ConferenceEvent.Released event) {
    }
}
