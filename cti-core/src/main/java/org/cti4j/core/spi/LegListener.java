package org.cti4j.core.spi;

/**
 * Hears the events of one signalling leg. Every method does nothing by default. Called from any thread, one at a
 * time per leg; the core hands each event to the owning resource's strand.
 */
public interface LegListener {

    /**
     * Outbound: a provisional response (180, 183, ...; not 100).
     *
     * @param status the status code
     * @param earlyMedia the far end's media description if the response carried SDP (early media), else {@code null}
     */
    default void onProvisional(int status, MediaDescription earlyMedia) {
    }

    /** Outbound: a 2xx response arrived (and was acknowledged); {@code remote} is the far end's media answer. */
    default void onAnswered(MediaDescription remote) {
    }

    /**
     * Inbound: the ACK of this side's 200 arrived.
     *
     * @param remote the far end's media answer carried by the ACK (late offer), else {@code null}
     */
    default void onConfirmed(MediaDescription remote) {
    }

    /**
     * The leg failed before it was established: outbound, a final non-2xx response (or 408 when nothing answered
     * in time, 503 when the request could not be sent); inbound, no ACK arrived for the 200 (408).
     *
     * @param status the SIP status code
     * @param reason the reason phrase or a description
     */
    default void onFailed(int status, String reason) {
    }

    /**
     * This side's signalling gave the leg up by itself and has already ended it in SIP: inbound, no ACK arrived for
     * the 200 (408, a BYE was sent), or the ACK carried no usable answer (488). Unlike {@link #onFailed}, nobody on
     * the far end chose this: the engine reports the leg as dropped by the system ({@code dropped_by} {@code sys}).
     * By default handled as {@link #onFailed}.
     *
     * @param status the SIP status code (also the BYE's Reason cause)
     * @param reason a description
     */
    default void onGaveUp(int status, String reason) {
        onFailed(status, reason);
    }

    /**
     * The far end ended the leg: a BYE (cause from its {@code Reason} header, else 200), or, inbound before answer,
     * a CANCEL (cause 487).
     */
    default void onRemoteHangup(int cause) {
    }

    /** The far end changed its media in the dialog (re-INVITE or UPDATE): hold, resume, a new address or codec. */
    default void onRemoteMediaChanged(MediaDescription remote) {
    }

    /** The far end sent a DTMF key by SIP INFO. */
    default void onDtmf(char digit) {
    }

    /**
     * Runs {@code done} once the engine has taken in every event given to this listener before this call (the core
     * hands events to a strand, so they are usually taken in after the method that gave them returned). Test doubles
     * that play the far end use it to return only when the engine has acted on the event, so that a test moving a
     * manual clock next sees the new state; a real provider has no need of it. By default {@code done} runs at once.
     * {@code done} must be short and must not block; it may run on the calling thread or on an engine thread.
     *
     * @param done what to run
     */
    default void whenTakenIn(Runnable done) {
        done.run();
    }
}
