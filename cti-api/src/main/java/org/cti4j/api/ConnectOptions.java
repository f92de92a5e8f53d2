package org.cti4j.api;

/**
 * The parameters of {@code connect_start}. Build with {@link #builder()}.
 *
 * @param call {@code call_res_id}: the second call, the one to connect to. Required.
 * @param maxSeconds {@code max_seconds}: how long the calls stay connected at most; {@code 0} (the default) for no
 *     limit. At most seven days.
 * @param mode {@code connect_mode}: which way audio crosses. Default {@link ConnectMode#BOTH}.
 * @param recordFile {@code record_file}: a file to record the pair to (the first call's session, both directions
 *     mixed), or empty (the default) for none. Under a confined {@link MediaFiles} (always for a remote engine), a
 *     name in the recordings directory.
 * @param recordFormat {@code record_format}: the recording's format. Default: by the file's extension
 *     ({@link RecordFormat#forFileName}).
 * @param recordOverwrite {@code record_overwrite}: as in {@link RecordOptions#recordOverwrite()}
 * @param recordStereo {@code record_stereo}: whether the recording has two channels, left the first call's far end,
 *     right the second's (what the first call is sent); only with a {@code recordFile}, in a format that
 *     {@link RecordFormat#allowsStereo() allows it}. Default {@code false}: one channel, both mixed.
 */
public record ConnectOptions(String call, int maxSeconds, ConnectMode mode, String recordFile,
        RecordFormat recordFormat, Boolean recordOverwrite, boolean recordStereo) {

    /**
     * Checks every parameter; a {@code null} {@code recordFile} becomes empty, a {@code null} format follows the
     * file's extension.
     *
     * @throws InvalidArgumentException naming the first bad parameter and its value
     */
    public ConnectOptions {
        if (call == null || call.isBlank()) {
            throw new InvalidArgumentException("call_res_id", "call_res_id is missing: the call to connect to");
        }
        if (maxSeconds < 0 || maxSeconds > Checks.MAX_TALK_SECONDS) {
            throw new InvalidArgumentException("max_seconds", "max_seconds " + maxSeconds + " is out of range 0-"
                    + Checks.MAX_TALK_SECONDS + " seconds (0: no limit)");
        }
        Checks.required("connect_mode", mode);
        recordFile = Checks.optionalFile("record_file", recordFile);
        if (recordFormat == null) {
            recordFormat = recordFile.isEmpty() ? RecordFormat.PCM_16BIT : RecordFormat.forFileName(recordFile);
        }
        Checks.stereo(recordStereo, recordFile, recordFormat);
    }

    /**
     * Creates options with a mono recording, if any.
     *
     * @throws InvalidArgumentException naming the first bad parameter and its value
     */
    public ConnectOptions(String call, int maxSeconds, ConnectMode mode, String recordFile, RecordFormat recordFormat,
            Boolean recordOverwrite) {
        this(call, maxSeconds, mode, recordFile, recordFormat, recordOverwrite, false);
    }

    /** Returns whether the pair is recorded. */
    public boolean isRecorded() {
        return !recordFile.isEmpty();
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ConnectOptions}. Not thread-safe. */
    public static final class Builder {
        private String call;
        private int maxSeconds;
        private ConnectMode mode = ConnectMode.BOTH;
        private String recordFile = "";
        private RecordFormat recordFormat;
        private Boolean recordOverwrite;
        private boolean stereo;

        private Builder() {
        }

        /** Sets {@code call_res_id}, the second call (required). */
        public Builder call(String callResId) {
            this.call = callResId;
            return this;
        }

        /** Sets {@code call_res_id} to {@code call}'s. */
        public Builder call(Call call) {
            return call(call.resId());
        }

        /** Sets {@code max_seconds} (default 0: no limit). */
        public Builder maxSeconds(int maxSeconds) {
            this.maxSeconds = maxSeconds;
            return this;
        }

        /** Sets {@code connect_mode} (default {@link ConnectMode#BOTH}). */
        public Builder mode(ConnectMode mode) {
            this.mode = Checks.required("connect_mode", mode);
            return this;
        }

        /** Sets {@code connect_mode} by its numeric code. */
        public Builder mode(int code) {
            return mode(ConnectMode.ofCode(code));
        }

        /** Sets {@code record_file} (default empty: no recording). */
        public Builder recordFile(String recordFile) {
            this.recordFile = recordFile;
            return this;
        }

        /** Sets {@code record_format} (default: by the file's extension). */
        public Builder recordFormat(RecordFormat recordFormat) {
            this.recordFormat = Checks.required("record_format", recordFormat);
            return this;
        }

        /** Sets {@code record_format} by its numeric code. */
        public Builder recordFormat(int code) {
            return recordFormat(RecordFormat.ofCode(code));
        }

        /** Sets {@code record_overwrite} (default: as the engine's {@link MediaFiles} says). */
        public Builder recordOverwrite(boolean overwrite) {
            this.recordOverwrite = overwrite;
            return this;
        }

        /**
         * Sets {@code record_stereo}: a two-channel recording, left the first call's far end, right the second's
         * (default {@code false}: mono). Checked against the file and format by {@link #build()}.
         */
        public Builder stereo(boolean stereo) {
            this.stereo = stereo;
            return this;
        }

        /**
         * Returns the options.
         *
         * @throws InvalidArgumentException naming the first bad parameter
         */
        public ConnectOptions build() {
            return new ConnectOptions(call, maxSeconds, mode, recordFile, recordFormat, recordOverwrite, stereo);
        }
    }
}
