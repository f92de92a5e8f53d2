package org.cti4j.core.spi;

/** A call leg of the signalling provider: what both directions can do. */
public interface SignalingLeg {

    /**
     * Ends an answered leg: sends BYE with a {@code Reason: SIP;cause=...} header. Also allowed on an inbound leg that
     * was answered but not yet confirmed by ACK.
     *
     * @param cause the SIP status code for the Reason header (200 for normal clearing)
     */
    void hangup(int cause);

    /**
     * Sends one DTMF key to the far end by SIP INFO within the dialog, as {@code application/dtmf-relay}
     * ({@code Signal=<key>}, {@code Duration=<ms>}): what the engine does when the far end did not negotiate
     * telephone-event. The engine sends one INFO at a time and waits for its answer before the next. By default the
     * provider cannot, and says so to the listener at once.
     *
     * @param key {@code 0-9 * # A-D}
     * @param durationMillis the key's duration to announce
     * @param listener called once with the outcome, from any thread: {@code null} for a 2xx answer, else why not
     *     (the status and reason of a non-2xx answer, a timeout, a failure to send). If the leg ends first it may
     *     never be called: the engine ends the sequence by the hang-up.
     */
    default void sendDtmfInfo(char key, int durationMillis, InfoListener listener) {
        listener.onAnswered("this signalling provider cannot send DTMF by SIP INFO");
    }

    /** Hears the outcome of one {@link #sendDtmfInfo INFO}. */
    @FunctionalInterface
    interface InfoListener {

        /**
         * Called once when the INFO was answered or could not be.
         *
         * @param error {@code null} for a 2xx answer; otherwise what went wrong, e.g. {@code "415 Unsupported Media
         *     Type"} or {@code "408 no answer"}
         */
        void onAnswered(String error);
    }
}
