package org.cti4j.api;

/**
 * The states of a {@link Call}, as the specification draws them.
 *
 * <pre>
 *  outbound:  INITIATED ──180/183──▶ RING ──200──▶ IDLE ⇄ PLAY / RECORD / CONFERENCE / CONNECT
 *  inbound:   INITIATED ──answer()─▶ ANSWER ──ACK──▶ IDLE ⇄ ...
 *  any state ──hang-up, failure, timeout──▶ RELEASED (final)
 * </pre>
 *
 * <p>{@code PLAY}, {@code RECORD}, {@code CONFERENCE} and {@code CONNECT} are {@code IDLE} with an action running. A
 * playback and a recording may run at once; the state then shows the one that shapes what the call hears, in the
 * order {@code CONFERENCE}, {@code CONNECT}, {@code PLAY}, {@code RECORD}. {@link Call#isPlaying()} and {@link Call#isRecording()} tell them
 * apart.
 */
public enum CallState {
    /** Created: an outbound call is being dialled, or an inbound call is offered and not yet answered. */
    INITIATED(false),
    /** Outbound: the far end is ringing (180 or 183 received); {@code max_ring_seconds} runs. */
    RING(false),
    /** Inbound: {@link Call#answer} was called; the engine waits for the far end to confirm. */
    ANSWER(false),
    /** Connected, no action running. */
    IDLE(true),
    /** Connected, a file is playing to the call. */
    PLAY(true),
    /** Connected, the call is being recorded. */
    RECORD(true),
    /** Connected, the call is in a conference. */
    CONFERENCE(true),
    /**
     * Connected, and connected to another call by {@link Call#connectStart} (on either of the two): audio crosses as
     * its {@link ConnectMode} says.
     */
    CONNECT(true),
    /** Ended. Final: nothing more happens to the call. */
    RELEASED(false);

    private final boolean connected;

    CallState(boolean connected) {
        this.connected = connected;
    }

    /** Returns whether the call is answered and not yet released (audio flows). */
    public boolean isConnected() {
        return connected;
    }
}
