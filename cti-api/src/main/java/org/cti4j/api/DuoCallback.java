package org.cti4j.api;

import java.util.concurrent.CompletionStage;

/**
 * A duo callback ({@code ext.duo_callback}): click-to-call between two parties.
 *
 * <p>The engine calls party 1; when party 1 answers it calls party 2 while party 1 hears a ring file or party 2's
 * real ringback; when party 2 answers, the two are bridged. See {@link DuoCallbackState} for the states and
 * {@link DuoCallbackOptions} for every parameter. Every method may be called from any thread.
 */
public interface DuoCallback extends Resource {

    /** The module name of duo callbacks: {@value}. */
    String MODULE = "ext.duo_callback";

    /** Returns the options it was started with. */
    DuoCallbackOptions options();

    /** Returns its current state. */
    DuoCallbackState state();

    /**
     * {@code cancel}: gives up before party 2 is connected. Both legs are hung up or cancelled, and
     * {@code on_released} reports the error {@code cancelled}.
     *
     * @throws InvalidStateException if party 2 is connected already, or the duo callback is released
     */
    void cancel();

    /**
     * Ends the duo callback in whatever state it is (an addition of cti4j's: the specification can only
     * {@linkplain #cancel() cancel} before party 2 is connected). Before party 2 is connected it is the same as
     * {@link #cancel()} ({@code on_released} with the error {@code cancelled}); afterwards both parties are hung up
     * and {@code on_released} has no error, as when a party hangs up.
     *
     * @throws InvalidStateException if the duo callback is released
     */
    void release();

    /** Returns a stage that completes with the {@code on_released} event, after the listener heard it. */
    CompletionStage<DuoCallbackEvent.Released> whenReleased();
}
