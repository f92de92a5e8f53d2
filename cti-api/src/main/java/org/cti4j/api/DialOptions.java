package org.cti4j.api;

/**
 * The parameters of {@code sys.call.construct}: an outbound call. Build with {@link #builder()}.
 *
 * @param fromUri {@code from_uri}: the caller. Required.
 * @param toUri {@code to_uri}: the callee. Required.
 * @param maxAnswerSeconds {@code max_answer_seconds}: the longest talk time after answer, 1 to 604800 (seven days);
 *     the engine then hangs up (cause 200, dropped by {@code sys}). Required: it has no default, because a silent
 *     default would cut calls short or let them run forever.
 * @param maxRingSeconds {@code max_ring_seconds}: the longest wait once the far end rings (180/183), 1 to 3600;
 *     the dial then fails with 408. Default 50.
 * @param userData {@code user_data}: the application's data, at most 4096 characters, found again in the CDR.
 *     Default empty.
 */
public record DialOptions(SipUri fromUri, SipUri toUri, int maxAnswerSeconds, int maxRingSeconds, String userData) {

    /** The default {@code max_ring_seconds}: {@value}. */
    public static final int DEFAULT_MAX_RING_SECONDS = 50;

    /**
     * Checks every parameter.
     *
     * @throws InvalidArgumentException naming the first bad parameter and its value
     */
    public DialOptions {
        Checks.required("from_uri", fromUri);
        Checks.required("to_uri", toUri);
        Checks.seconds("max_answer_seconds", maxAnswerSeconds, Checks.MAX_TALK_SECONDS);
        Checks.seconds("max_ring_seconds", maxRingSeconds, Checks.MAX_RING_SECONDS);
        Checks.userData("user_data", userData);
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link DialOptions}. Not thread-safe. */
    public static final class Builder {
        private SipUri fromUri;
        private SipUri toUri;
        private Integer maxAnswerSeconds;
        private int maxRingSeconds = DEFAULT_MAX_RING_SECONDS;
        private String userData = "";

        private Builder() {
        }

        /** Sets {@code from_uri}. @throws InvalidArgumentException if it is not a SIP URI */
        public Builder fromUri(String fromUri) {
            this.fromUri = SipUri.parse("from_uri", fromUri);
            return this;
        }

        /** Sets {@code from_uri}. */
        public Builder fromUri(SipUri fromUri) {
            this.fromUri = Checks.required("from_uri", fromUri);
            return this;
        }

        /** Sets {@code to_uri}. @throws InvalidArgumentException if it is not a SIP URI */
        public Builder toUri(String toUri) {
            this.toUri = SipUri.parse("to_uri", toUri);
            return this;
        }

        /** Sets {@code to_uri}. */
        public Builder toUri(SipUri toUri) {
            this.toUri = Checks.required("to_uri", toUri);
            return this;
        }

        /** Sets {@code max_answer_seconds} (required, 1 to 604800). */
        public Builder maxAnswerSeconds(int seconds) {
            this.maxAnswerSeconds = Checks.seconds("max_answer_seconds", seconds, Checks.MAX_TALK_SECONDS);
            return this;
        }

        /** Sets {@code max_ring_seconds} (1 to 3600; default 50). */
        public Builder maxRingSeconds(int seconds) {
            this.maxRingSeconds = Checks.seconds("max_ring_seconds", seconds, Checks.MAX_RING_SECONDS);
            return this;
        }

        /** Sets {@code user_data} (default empty). */
        public Builder userData(String userData) {
            this.userData = Checks.userData("user_data", userData);
            return this;
        }

        /**
         * Returns the options.
         *
         * @throws InvalidArgumentException if a required parameter is missing
         */
        public DialOptions build() {
            return new DialOptions(Checks.required("from_uri", fromUri), Checks.required("to_uri", toUri),
                    Checks.seconds("max_answer_seconds", maxAnswerSeconds, Checks.MAX_TALK_SECONDS),
                    maxRingSeconds, userData);
        }
    }
}
