package org.cti4j.api;

/**
 * The parameters of {@code record_start}. Build with {@link #builder()}.
 *
 * @param recordFile {@code record_file}: the path to record to; its folder must exist. Under a confined
 *     {@link MediaFiles} (always for a remote engine), a name in the recordings directory. Required.
 * @param finishKey {@code finish_key}: the DTMF keys ({@code 0-9 * # A-D}) any of which ends the recording;
 *     empty for none. Letters are kept upper case. Default empty.
 * @param recordFormat {@code record_format}: the file's format. Default: by the file's extension
 *     ({@link RecordFormat#forFileName}).
 * @param recordOverwrite {@code record_overwrite}: whether the recording may replace an existing file; {@code null}
 *     (the default) leaves it to the engine's {@link MediaFiles}: replaced without a policy (an embedded engine's
 *     default), refused under a confined one (always over the wire). A file that is not replaced is created as a new
 *     one, so that nothing can appear in its place between a check and the creation.
 * @param recordStereo {@code record_stereo}: whether the file has two channels, left what the call's far end sends
 *     (the party), right what the engine sends it (playback, a bridged party, a conference); only for the WAV formats
 *     that {@link RecordFormat#allowsStereo() allow it}. Default {@code false}: one channel, both directions mixed.
 */
public record RecordOptions(String recordFile, String finishKey, RecordFormat recordFormat, Boolean recordOverwrite,
        boolean recordStereo) {

    /**
     * Checks every parameter.
     *
     * @throws InvalidArgumentException naming the first bad parameter and its value
     */
    public RecordOptions {
        Checks.file("record_file", recordFile);
        finishKey = Checks.dtmfKeys("finish_key", finishKey);
        Checks.required("record_format", recordFormat);
        Checks.stereo(recordStereo, recordFile, recordFormat);
    }

    /**
     * Creates mono options.
     *
     * @throws InvalidArgumentException naming the first bad parameter and its value
     */
    public RecordOptions(String recordFile, String finishKey, RecordFormat recordFormat, Boolean recordOverwrite) {
        this(recordFile, finishKey, recordFormat, recordOverwrite, false);
    }

    /**
     * Creates options that leave replacing an existing file to the engine's {@link MediaFiles}.
     *
     * @throws InvalidArgumentException naming the first bad parameter and its value
     */
    public RecordOptions(String recordFile, String finishKey, RecordFormat recordFormat) {
        this(recordFile, finishKey, recordFormat, null);
    }

    /** Returns whether {@code key} is one of the finish keys. */
    public boolean isFinishKey(char key) {
        return finishKey.indexOf(Character.toUpperCase(key)) >= 0;
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link RecordOptions}. Not thread-safe. */
    public static final class Builder {
        private String recordFile;
        private String finishKey = "";
        private RecordFormat recordFormat;
        private Boolean recordOverwrite;
        private boolean stereo;

        private Builder() {
        }

        /** Sets {@code record_file} (required). */
        public Builder recordFile(String recordFile) {
            this.recordFile = Checks.file("record_file", recordFile);
            return this;
        }

        /** Sets {@code finish_key} (default empty: no key ends the recording). */
        public Builder finishKey(String finishKey) {
            this.finishKey = Checks.dtmfKeys("finish_key", finishKey);
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

        /**
         * Sets {@code record_overwrite}: whether an existing file may be replaced (default: as the engine's
         * {@link MediaFiles} says).
         */
        public Builder recordOverwrite(boolean overwrite) {
            this.recordOverwrite = overwrite;
            return this;
        }

        /**
         * Sets {@code record_stereo}: two channels, left what the far end sends, right what it is sent (default
         * {@code false}: mono). Checked against the format by {@link #build()}.
         */
        public Builder stereo(boolean stereo) {
            this.stereo = stereo;
            return this;
        }

        /**
         * Returns the options.
         *
         * @throws InvalidArgumentException if {@code record_file} is missing, or stereo is asked of a mono-only format
         */
        public RecordOptions build() {
            String file = Checks.file("record_file", recordFile);
            return new RecordOptions(file, finishKey,
                    recordFormat != null ? recordFormat : RecordFormat.forFileName(file), recordOverwrite, stereo);
        }
    }
}
