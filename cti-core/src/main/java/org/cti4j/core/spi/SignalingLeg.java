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

    /**
     * Offers the leg's media again with {@code direction} in a re-INVITE (RFC 3261 14.1, RFC 6337: {@code SENDONLY} to
     * put the far end on hold, {@code SENDRECV} to take it off), and remembers it: later offers from the far end are
     * answered within it. One at a time: the engine sends the next only once {@code listener} heard the outcome. Only
     * on a leg whose dialog is confirmed (an inbound leg's 200 OK acknowledged). By default the provider cannot, and
     * says so to the listener at once.
     *
     * @param direction the direction to offer, from this side's point of view
     * @param listener called once with the outcome, from any thread; if the leg ends first it may never be called
     */
    default void reoffer(MediaDirection direction, ReofferListener listener) {
        listener.onAnswered(null, 501, "this signalling provider cannot send re-INVITEs");
    }

    /** Hears the outcome of one {@link #reoffer re-INVITE}. */
    @FunctionalInterface
    interface ReofferListener {

        /**
         * Called once when the re-INVITE was answered, or could not be sent or answered.
         *
         * @param answer the far end's SDP answer of a 2xx; {@code null} otherwise
         * @param status the final status: 200 for a 2xx with a usable answer, else the non-2xx status, 408 for a
         *     timeout, 500 for a failure to send or a 2xx without a usable answer
         * @param reason {@code null} with a usable answer, else what went wrong, e.g. {@code "491 Request Pending"}
         */
        void onAnswered(MediaDescription answer, int status, String reason);
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
