package org.cti4j.api;

/**
 * The parameters of {@code sys.conf.construct}. Build with {@link #builder()}.
 *
 * @param maxSeconds {@code max_seconds}: the conference's longest life, 1 to 604800; it then ends. Required.
 * @param recordFile {@code record_file}: a file to record the whole conference to (format by extension), or empty
 *     for none. Default empty. Under a confined {@link MediaFiles} (always for a remote engine), a name in the
 *     recordings directory.
 * @param userData {@code user_data}: the application's data, at most 4096 characters. Default empty.
 * @param recordOverwrite {@code record_overwrite}: whether the recording may replace an existing file; {@code null}
 *     (the default) leaves it to the engine's {@link MediaFiles}, as {@link RecordOptions#recordOverwrite()} does.
 */
public record ConferenceOptions(int maxSeconds, String recordFile, String userData, Boolean recordOverwrite) {

    /**
     * Checks every parameter; a {@code null} {@code recordFile} becomes empty.
     *
     * @throws InvalidArgumentException naming the first bad parameter and its value
     */
    public ConferenceOptions {
        Checks.seconds("max_seconds", maxSeconds, Checks.MAX_TALK_SECONDS);
        recordFile = Checks.optionalFile("record_file", recordFile);
        Checks.userData("user_data", userData);
    }

    /**
     * Creates options that leave replacing an existing recording to the engine's {@link MediaFiles}.
     *
     * @throws InvalidArgumentException naming the first bad parameter and its value
     */
    public ConferenceOptions(int maxSeconds, String recordFile, String userData) {
        this(maxSeconds, recordFile, userData, null);
    }

    /** Returns whether the conference is recorded. */
    public boolean isRecorded() {
        return !recordFile.isEmpty();
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ConferenceOptions}. Not thread-safe. */
    public static final class Builder {
        private Integer maxSeconds;
        private String recordFile = "";
        private String userData = "";
        private Boolean recordOverwrite;

        private Builder() {
        }

        /** Sets {@code max_seconds} (required, 1 to 604800). */
        public Builder maxSeconds(int seconds) {
            this.maxSeconds = Checks.seconds("max_seconds", seconds, Checks.MAX_TALK_SECONDS);
            return this;
        }

        /** Sets {@code record_file} ({@code null} or empty for none, the default). */
        public Builder recordFile(String recordFile) {
            this.recordFile = Checks.optionalFile("record_file", recordFile);
            return this;
        }

        /**
         * Sets {@code record_overwrite}: whether an existing file may be replaced by the recording (default: as the
         * engine's {@link MediaFiles} says).
         */
        public Builder recordOverwrite(boolean overwrite) {
            this.recordOverwrite = overwrite;
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
         * @throws InvalidArgumentException if {@code max_seconds} is missing
         */
        public ConferenceOptions build() {
            return new ConferenceOptions(Checks.seconds("max_seconds", maxSeconds, Checks.MAX_TALK_SECONDS),
                    recordFile, userData, recordOverwrite);
        }
    }
}
