package org.cti4j.api;

/**
 * The parameters of {@code ext.duo_callback.construct}. Build with {@link #builder()}.
 *
 * @param from1Uri {@code from1_uri}: the caller shown to party 1. Required.
 * @param to1Uri {@code to1_uri}: party 1. Required.
 * @param from2Uri {@code from2_uri}: the caller shown to party 2. Required.
 * @param to2Uri {@code to2_uri}: party 2. Required.
 * @param maxConnectSeconds {@code max_connect_seconds}: the longest bridged conversation, 1 to 604800; both parties
 *     are then hung up. Required: it has no default.
 * @param maxRingSeconds {@code max_ring_seconds}: the longest wait once a party rings, for both calls, 1 to 3600.
 *     Default 50.
 * @param ringPlayFile {@code ring_play_file}: the file party 1 hears while party 2 is dialled, looping; empty means
 *     party 1 hears party 2's real ringback (its early media, or a generated ringback tone if it rings without).
 *     {@code null} becomes empty. Default empty.
 * @param ringPlayMode {@code ring_play_mode}: when the ring file plays. Ignored without a ring file. Default
 *     {@link RingPlayMode#ON_RINGBACK}.
 * @param recordFile {@code record_file}: the file to record the conversation to (both directions); empty for no
 *     recording. {@code null} becomes empty. Default empty. Under a confined {@link MediaFiles} (always for a remote
 *     engine) this and {@code ringPlayFile} are names in the recordings and sounds directories.
 * @param recordMode {@code record_mode}: when recording starts. Default {@link RecordMode#ON_CONNECT}.
 * @param recordFormat {@code record_format}: the recording's format. Default: by the file's extension
 *     ({@link RecordFormat#forFileName}).
 * @param userData1 {@code user_data1}: the application's data, found again in party 1's CDR and in
 *     {@code on_released}. Default empty.
 * @param userData2 {@code user_data2}: the application's data, found again in party 2's CDR. Default empty.
 * @param recordOverwrite {@code record_overwrite}: whether the recording may replace an existing file; {@code null}
 *     (the default) leaves it to the engine's {@link MediaFiles}, as {@link RecordOptions#recordOverwrite()} does.
 * @param promptFile {@code prompt_file} (the original system's {@code play_file} with {@code play_mode} 3): a file
 *     played once to both parties while they are connected, e.g. "your call will end in one minute"; empty for none.
 *     {@code null} becomes empty. Default empty. Checked like {@code ringPlayFile}.
 * @param promptAfterSeconds {@code prompt_after_seconds} (the original's {@code play_after_seconds}): the prompt
 *     plays this many seconds after party 2 answered, 0 (at once, the default) to less than
 *     {@code max_connect_seconds}.
 * @param promptBeforeEndSeconds {@code prompt_before_end_seconds}: the prompt plays this many seconds before
 *     {@code max_connect_seconds} ends the conversation, 1 to less than {@code max_connect_seconds}; 0 (the default)
 *     to place it by {@code promptAfterSeconds} instead. At most one of the two is set.
 * @param recordStereo {@code record_stereo}: whether the recording has two channels, left party 1, right party 2 (and
 *     whatever else party 1 is played); only with a {@code recordFile}, in a format that
 *     {@link RecordFormat#allowsStereo() allows it}. Default {@code false}: one channel, both mixed.
 */
public record DuoCallbackOptions(SipUri from1Uri, SipUri to1Uri, SipUri from2Uri, SipUri to2Uri,
        int maxConnectSeconds, int maxRingSeconds, String ringPlayFile, RingPlayMode ringPlayMode,
        String recordFile, RecordMode recordMode, RecordFormat recordFormat, String userData1, String userData2,
        Boolean recordOverwrite, String promptFile, int promptAfterSeconds, int promptBeforeEndSeconds,
        boolean recordStereo) {

    /**
     * Checks every parameter; a {@code null} {@code ringPlayFile} or {@code recordFile} becomes empty.
     *
     * @throws InvalidArgumentException naming the first bad parameter and its value
     */
    public DuoCallbackOptions {
        Checks.required("from1_uri", from1Uri);
        Checks.required("to1_uri", to1Uri);
        Checks.required("from2_uri", from2Uri);
        Checks.required("to2_uri", to2Uri);
        Checks.seconds("max_connect_seconds", maxConnectSeconds, Checks.MAX_TALK_SECONDS);
        Checks.seconds("max_ring_seconds", maxRingSeconds, Checks.MAX_RING_SECONDS);
        ringPlayFile = Checks.optionalFile("ring_play_file", ringPlayFile);
        Checks.required("ring_play_mode", ringPlayMode);
        recordFile = Checks.optionalFile("record_file", recordFile);
        Checks.required("record_mode", recordMode);
        Checks.required("record_format", recordFormat);
        Checks.userData("user_data1", userData1);
        Checks.userData("user_data2", userData2);
        promptFile = Checks.optionalFile("prompt_file", promptFile);
        checkPrompt(promptFile, promptAfterSeconds, promptBeforeEndSeconds, maxConnectSeconds);
        Checks.stereo(recordStereo, recordFile, recordFormat);
    }

    /**
     * Creates options with a mono recording, if any.
     *
     * @throws InvalidArgumentException naming the first bad parameter and its value
     */
    public DuoCallbackOptions(SipUri from1Uri, SipUri to1Uri, SipUri from2Uri, SipUri to2Uri,
            int maxConnectSeconds, int maxRingSeconds, String ringPlayFile, RingPlayMode ringPlayMode,
            String recordFile, RecordMode recordMode, RecordFormat recordFormat, String userData1, String userData2,
            Boolean recordOverwrite, String promptFile, int promptAfterSeconds, int promptBeforeEndSeconds) {
        this(from1Uri, to1Uri, from2Uri, to2Uri, maxConnectSeconds, maxRingSeconds, ringPlayFile, ringPlayMode,
                recordFile, recordMode, recordFormat, userData1, userData2, recordOverwrite, promptFile,
                promptAfterSeconds, promptBeforeEndSeconds, false);
    }

    /**
     * Creates options without a timed prompt.
     *
     * @throws InvalidArgumentException naming the first bad parameter and its value
     */
    public DuoCallbackOptions(SipUri from1Uri, SipUri to1Uri, SipUri from2Uri, SipUri to2Uri,
            int maxConnectSeconds, int maxRingSeconds, String ringPlayFile, RingPlayMode ringPlayMode,
            String recordFile, RecordMode recordMode, RecordFormat recordFormat, String userData1, String userData2,
            Boolean recordOverwrite) {
        this(from1Uri, to1Uri, from2Uri, to2Uri, maxConnectSeconds, maxRingSeconds, ringPlayFile, ringPlayMode,
                recordFile, recordMode, recordFormat, userData1, userData2, recordOverwrite, "", 0, 0);
    }

    /**
     * Creates options that leave replacing an existing recording to the engine's {@link MediaFiles}.
     *
     * @throws InvalidArgumentException naming the first bad parameter and its value
     */
    public DuoCallbackOptions(SipUri from1Uri, SipUri to1Uri, SipUri from2Uri, SipUri to2Uri,
            int maxConnectSeconds, int maxRingSeconds, String ringPlayFile, RingPlayMode ringPlayMode,
            String recordFile, RecordMode recordMode, RecordFormat recordFormat, String userData1, String userData2) {
        this(from1Uri, to1Uri, from2Uri, to2Uri, maxConnectSeconds, maxRingSeconds, ringPlayFile, ringPlayMode,
                recordFile, recordMode, recordFormat, userData1, userData2, null);
    }

    /** Returns whether a ring file plays to party 1 (otherwise party 1 hears party 2's ringback). */
    public boolean hasRingPlayFile() {
        return !ringPlayFile.isEmpty();
    }

    /** Returns whether the conversation is recorded. */
    public boolean isRecorded() {
        return !recordFile.isEmpty();
    }

    /** Returns whether a timed prompt plays to both parties while they are connected. */
    public boolean hasPrompt() {
        return !promptFile.isEmpty();
    }

    /**
     * Returns when the timed prompt plays, in seconds after party 2 answered: {@code promptAfterSeconds}, or
     * {@code maxConnectSeconds - promptBeforeEndSeconds} when placed relative to the end.
     */
    public int promptDelaySeconds() {
        return promptBeforeEndSeconds > 0 ? maxConnectSeconds - promptBeforeEndSeconds : promptAfterSeconds;
    }

    private static void checkPrompt(String file, int afterSeconds, int beforeEndSeconds, int maxConnectSeconds) {
        if (afterSeconds < 0 || afterSeconds >= maxConnectSeconds) {
            throw new InvalidArgumentException("prompt_after_seconds", "prompt_after_seconds " + afterSeconds
                    + " is out of range 0-" + (maxConnectSeconds - 1) + " seconds (less than max_connect_seconds "
                    + maxConnectSeconds + ")");
        }
        if (beforeEndSeconds < 0 || beforeEndSeconds >= maxConnectSeconds) {
            throw new InvalidArgumentException("prompt_before_end_seconds", "prompt_before_end_seconds "
                    + beforeEndSeconds + " is out of range 0-" + (maxConnectSeconds - 1)
                    + " seconds (less than max_connect_seconds " + maxConnectSeconds + ")");
        }
        if (afterSeconds > 0 && beforeEndSeconds > 0) {
            throw new InvalidArgumentException("prompt_before_end_seconds", "prompt_before_end_seconds "
                    + beforeEndSeconds + " and prompt_after_seconds " + afterSeconds
                    + " are both set: the prompt is placed by one of them");
        }
        if (file.isEmpty() && (afterSeconds > 0 || beforeEndSeconds > 0)) {
            String parameter = afterSeconds > 0 ? "prompt_after_seconds" : "prompt_before_end_seconds";
            throw new InvalidArgumentException(parameter, parameter + " " + Math.max(afterSeconds, beforeEndSeconds)
                    + " is set without a prompt_file");
        }
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link DuoCallbackOptions}. Not thread-safe. */
    public static final class Builder {
        private SipUri from1Uri;
        private SipUri to1Uri;
        private SipUri from2Uri;
        private SipUri to2Uri;
        private Integer maxConnectSeconds;
        private int maxRingSeconds = DialOptions.DEFAULT_MAX_RING_SECONDS;
        private String ringPlayFile = "";
        private RingPlayMode ringPlayMode = RingPlayMode.ON_RINGBACK;
        private String recordFile = "";
        private RecordMode recordMode = RecordMode.ON_CONNECT;
        private RecordFormat recordFormat;
        private String userData1 = "";
        private String userData2 = "";
        private Boolean recordOverwrite;
        private boolean stereo;
        private String promptFile = "";
        private int promptAfterSeconds;
        private int promptBeforeEndSeconds;

        private Builder() {
        }

        /** Sets {@code from1_uri}. @throws InvalidArgumentException if it is not a SIP URI */
        public Builder from1Uri(String uri) {
            this.from1Uri = SipUri.parse("from1_uri", uri);
            return this;
        }

        /** Sets {@code from1_uri}. */
        public Builder from1Uri(SipUri uri) {
            this.from1Uri = Checks.required("from1_uri", uri);
            return this;
        }

        /** Sets {@code to1_uri}. @throws InvalidArgumentException if it is not a SIP URI */
        public Builder to1Uri(String uri) {
            this.to1Uri = SipUri.parse("to1_uri", uri);
            return this;
        }

        /** Sets {@code to1_uri}. */
        public Builder to1Uri(SipUri uri) {
            this.to1Uri = Checks.required("to1_uri", uri);
            return this;
        }

        /** Sets {@code from2_uri}. @throws InvalidArgumentException if it is not a SIP URI */
        public Builder from2Uri(String uri) {
            this.from2Uri = SipUri.parse("from2_uri", uri);
            return this;
        }

        /** Sets {@code from2_uri}. */
        public Builder from2Uri(SipUri uri) {
            this.from2Uri = Checks.required("from2_uri", uri);
            return this;
        }

        /** Sets {@code to2_uri}. @throws InvalidArgumentException if it is not a SIP URI */
        public Builder to2Uri(String uri) {
            this.to2Uri = SipUri.parse("to2_uri", uri);
            return this;
        }

        /** Sets {@code to2_uri}. */
        public Builder to2Uri(SipUri uri) {
            this.to2Uri = Checks.required("to2_uri", uri);
            return this;
        }

        /** Sets {@code max_connect_seconds} (required, 1 to 604800). */
        public Builder maxConnectSeconds(int seconds) {
            this.maxConnectSeconds = Checks.seconds("max_connect_seconds", seconds, Checks.MAX_TALK_SECONDS);
            return this;
        }

        /** Sets {@code max_ring_seconds} (1 to 3600; default 50). */
        public Builder maxRingSeconds(int seconds) {
            this.maxRingSeconds = Checks.seconds("max_ring_seconds", seconds, Checks.MAX_RING_SECONDS);
            return this;
        }

        /** Sets {@code ring_play_file} ({@code null} or empty for party 2's real ringback, the default). */
        public Builder ringPlayFile(String file) {
            this.ringPlayFile = Checks.optionalFile("ring_play_file", file);
            return this;
        }

        /** Sets {@code ring_play_mode} (default {@link RingPlayMode#ON_RINGBACK}). */
        public Builder ringPlayMode(RingPlayMode mode) {
            this.ringPlayMode = Checks.required("ring_play_mode", mode);
            return this;
        }

        /** Sets {@code ring_play_mode} by its numeric code. */
        public Builder ringPlayMode(int code) {
            return ringPlayMode(RingPlayMode.ofCode(code));
        }

        /** Sets {@code record_file} ({@code null} or empty for no recording, the default). */
        public Builder recordFile(String file) {
            this.recordFile = Checks.optionalFile("record_file", file);
            return this;
        }

        /** Sets {@code record_mode} (default {@link RecordMode#ON_CONNECT}). */
        public Builder recordMode(RecordMode mode) {
            this.recordMode = Checks.required("record_mode", mode);
            return this;
        }

        /** Sets {@code record_mode} by its numeric code. */
        public Builder recordMode(int code) {
            return recordMode(RecordMode.ofCode(code));
        }

        /** Sets {@code record_format} (default: by the file's extension). */
        public Builder recordFormat(RecordFormat format) {
            this.recordFormat = Checks.required("record_format", format);
            return this;
        }

        /** Sets {@code record_format} by its numeric code. */
        public Builder recordFormat(int code) {
            return recordFormat(RecordFormat.ofCode(code));
        }

        /**
         * Sets {@code record_overwrite}: whether an existing file may be replaced by the recording (default: as the
         * engine's {@link MediaFiles} says).
         */
        public Builder recordOverwrite(boolean overwrite) {
            this.recordOverwrite = overwrite;
            return this;
        }

        /**
         * Sets {@code prompt_file}: a file played once to both parties while they are connected ({@code null} or
         * empty for none, the default).
         */
        public Builder promptFile(String file) {
            this.promptFile = Checks.optionalFile("prompt_file", file);
            return this;
        }

        /**
         * Sets {@code prompt_after_seconds}: the prompt plays this many seconds after party 2 answered (default 0).
         * Checked against {@code max_connect_seconds} by {@link #build()}.
         *
         * @throws InvalidArgumentException if it is negative
         */
        public Builder promptAfterSeconds(int seconds) {
            if (seconds < 0) {
                throw new InvalidArgumentException("prompt_after_seconds", "prompt_after_seconds " + seconds
                        + " is negative");
            }
            this.promptAfterSeconds = seconds;
            return this;
        }

        /**
         * Sets {@code prompt_before_end_seconds}: the prompt plays this many seconds before {@code max_connect_seconds}
         * ends the conversation (default 0: placed by {@code prompt_after_seconds}). Checked against
         * {@code max_connect_seconds} by {@link #build()}.
         *
         * @throws InvalidArgumentException if it is negative
         */
        public Builder promptBeforeEndSeconds(int seconds) {
            if (seconds < 0) {
                throw new InvalidArgumentException("prompt_before_end_seconds", "prompt_before_end_seconds "
                        + seconds + " is negative");
            }
            this.promptBeforeEndSeconds = seconds;
            return this;
        }

        /**
         * Sets {@code record_stereo}: a two-channel recording, left party 1, right party 2 (default {@code false}:
         * mono). Checked against the file and format by {@link #build()}.
         */
        public Builder stereo(boolean stereo) {
            this.stereo = stereo;
            return this;
        }

        /** Sets {@code user_data1} (default empty). */
        public Builder userData1(String userData) {
            this.userData1 = Checks.userData("user_data1", userData);
            return this;
        }

        /** Sets {@code user_data2} (default empty). */
        public Builder userData2(String userData) {
            this.userData2 = Checks.userData("user_data2", userData);
            return this;
        }

        /**
         * Returns the options.
         *
         * @throws InvalidArgumentException if a required parameter is missing
         */
        public DuoCallbackOptions build() {
            return new DuoCallbackOptions(Checks.required("from1_uri", from1Uri), Checks.required("to1_uri", to1Uri),
                    Checks.required("from2_uri", from2Uri), Checks.required("to2_uri", to2Uri),
                    Checks.seconds("max_connect_seconds", maxConnectSeconds, Checks.MAX_TALK_SECONDS),
                    maxRingSeconds, ringPlayFile, ringPlayMode, recordFile, recordMode,
                    recordFormat != null ? recordFormat : RecordFormat.forFileName(recordFile), userData1, userData2,
                    recordOverwrite, promptFile, promptAfterSeconds, promptBeforeEndSeconds, stereo);
        }
    }
}
