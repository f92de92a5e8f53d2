package org.cti4j.api;

/**
 * Hears the events of a {@link DuoCallback}. Every method does nothing by default.
 *
 * <p>Methods are called on the engine's event executor, one at a time and in order for a given duo callback, never
 * after {@link #onReleased}. They must be quick and must not block. An exception they throw is logged and the
 * engine goes on.
 */
public interface DuoCallbackListener {

    /** The duo callback moved to another state (cti4j's addition to the specification). */
    default void onStateChanged(DuoCallback duoCallback, DuoCallbackEvent.StateChanged event) {
    }

    /** {@code on_released}: the duo callback ended. Its last event, called exactly once. */
    default void onReleased(DuoCallback duoCallback, DuoCallbackEvent.Released event) {
    }
}
