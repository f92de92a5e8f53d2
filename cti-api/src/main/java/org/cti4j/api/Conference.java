package org.cti4j.api;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A conference ({@code sys.conf}): calls that {@linkplain Call#confEnter enter} it hear each other.
 *
 * <p>It ends when its last member leaves, at {@code max_seconds}, or on {@link #release()}; its members stay
 * connected and go back to {@link CallState#IDLE}. Every method may be called from any thread.
 */
public interface Conference extends Resource {

    /** The module name of conferences: {@value}. */
    String MODULE = "sys.conf";

    /** Returns the options it was created with. */
    ConferenceOptions options();

    /** Returns its current state. */
    ConferenceState state();

    /** {@code get_parts}: returns the {@code res_id}s of the calls in it, in the order they entered. */
    List<String> members();

    /**
     * {@code release}: ends the conference. Its members leave it and stay connected.
     *
     * @throws InvalidStateException if it is released already
     */
    void release();

    /** Returns a stage that completes with the {@code on_released} event, after the listener heard it. */
    CompletionStage<ConferenceEvent.Released> whenReleased();
}
