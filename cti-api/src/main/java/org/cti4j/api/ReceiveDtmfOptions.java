package org.cti4j.api;

/**
 * The parameters of {@code receive_dtmf_start}: which keys to collect, when the collection ends, and the prompt that
 * asks for them. Build with {@link #builder()}; every parameter has a default.
 *
 * <p>The collection ends at the first of: {@code max_keys} valid keys collected; a finish key; no key within
 * {@code first_key_timeout} once the prompt has played (the prompt is played again, up to {@code play_repeat} more
 * times, before that timeout ends the collection); no further key within {@code continues_keys_timeout} after a key;
 * {@link Call#receiveDtmfStop()}; the hang-up.
 *
 * @param validKeys {@code valid_keys}: the DTMF keys collected; others are ignored (a finish key ends the collection
 *     whether or not it is valid). Letters are kept upper case. Default {@code 0123456789*#ABCD}
 * @param maxKeys {@code max_keys}: the collection ends when this many keys are collected, 1 to 128. Default 11
 * @param finishKeys {@code finish_keys}: the keys that end the collection, empty for none. Default {@code #}
 * @param firstKeyTimeout {@code first_key_timeout}: seconds to wait for the first key once the prompt has played
 *     (from the start when there is no prompt), 1 to 3600. Default 45
 * @param continuesKeysTimeout {@code continues_keys_timeout}: seconds to wait for each further key, 1 to 3600.
 *     Default 30
 * @param playFile {@code play_file}: the prompt played at the start, empty for none. A name in the sounds directory
 *     when the engine's {@link MediaFiles} are confined (always for a remote engine). Default none
 * @param playRepeat {@code play_repeat}: how many more times the prompt is played when no key comes within
 *     {@code first_key_timeout} after it, 0 to 10. Default 0
 * @param breakingOnKey {@code breaking_on_key}: whether the first valid key stops the prompt (keys pressed while it
 *     plays count either way). Default true
 * @param includingFinishKey {@code including_finish_key}: whether the finish key that ended the collection is the
 *     last of its keys. Default false
 */
public record ReceiveDtmfOptions(String validKeys, int maxKeys, String finishKeys, int firstKeyTimeout,
        int continuesKeysTimeout, String playFile, int playRepeat, boolean breakingOnKey, boolean includingFinishKey) {

    /** The most keys one collection takes. */
    public static final int MAX_KEYS = 128;
    /** The longest timeout, in seconds. */
    public static final int MAX_TIMEOUT_SECONDS = 3_600;
    /** The most times the prompt is repeated. */
    public static final int MAX_PLAY_REPEAT = 10;

    /**
     * Checks every parameter.
     *
     * @throws InvalidArgumentException naming the first bad parameter and its value
     */
    public ReceiveDtmfOptions {
        validKeys = Checks.dtmfKeys("valid_keys", validKeys);
        if (validKeys.isEmpty()) {
            throw new InvalidArgumentException("valid_keys", "valid_keys is empty: no key could be collected");
        }
        range("max_keys", maxKeys, 1, MAX_KEYS);
        finishKeys = Checks.dtmfKeys("finish_keys", finishKeys);
        Checks.seconds("first_key_timeout", firstKeyTimeout, MAX_TIMEOUT_SECONDS);
        Checks.seconds("continues_keys_timeout", continuesKeysTimeout, MAX_TIMEOUT_SECONDS);
        playFile = Checks.optionalFile("play_file", playFile);
        range("play_repeat", playRepeat, 0, MAX_PLAY_REPEAT);
        if (playRepeat > 0 && playFile.isEmpty()) {
            throw new InvalidArgumentException("play_repeat", "play_repeat " + playRepeat
                    + " needs a play_file to repeat");
        }
    }

    private static void range(String parameter, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidArgumentException(parameter, parameter + " " + value + " is out of range " + min + "-"
                    + max);
        }
    }

    /** Returns whether the collection has a prompt. */
    public boolean hasPrompt() {
        return !playFile.isEmpty();
    }

    /** Returns whether {@code key} (in any case) is collected. */
    public boolean isValidKey(char key) {
        return validKeys.indexOf(Character.toUpperCase(key)) >= 0;
    }

    /** Returns whether {@code key} (in any case) ends the collection. */
    public boolean isFinishKey(char key) {
        return finishKeys.indexOf(Character.toUpperCase(key)) >= 0;
    }

    /** Returns the same options with another prompt file (the server maps a name to its path with it). */
    public ReceiveDtmfOptions withPlayFile(String file) {
        return new ReceiveDtmfOptions(validKeys, maxKeys, finishKeys, firstKeyTimeout, continuesKeysTimeout, file,
                playRepeat, breakingOnKey, includingFinishKey);
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ReceiveDtmfOptions}. Not thread-safe; each setter checks its value at once. */
    public static final class Builder {
        private String validKeys = "0123456789*#ABCD";
        private int maxKeys = 11;
        private String finishKeys = "#";
        private int firstKeyTimeout = 45;
        private int continuesKeysTimeout = 30;
        private String playFile = "";
        private int playRepeat;
        private boolean breakingOnKey = true;
        private boolean includingFinishKey;

        private Builder() {
        }

        /** Sets {@code valid_keys} (default {@code 0123456789*#ABCD}). */
        public Builder validKeys(String value) {
            this.validKeys = Checks.dtmfKeys("valid_keys", value);
            return this;
        }

        /** Sets {@code max_keys}, 1 to 128 (default 11). */
        public Builder maxKeys(int value) {
            range("max_keys", value, 1, MAX_KEYS);
            this.maxKeys = value;
            return this;
        }

        /** Sets {@code finish_keys}, empty for none (default {@code #}). */
        public Builder finishKeys(String value) {
            this.finishKeys = Checks.dtmfKeys("finish_keys", value);
            return this;
        }

        /** Sets {@code first_key_timeout} in seconds, 1 to 3600 (default 45). */
        public Builder firstKeyTimeout(int seconds) {
            this.firstKeyTimeout = Checks.seconds("first_key_timeout", seconds, MAX_TIMEOUT_SECONDS);
            return this;
        }

        /** Sets {@code continues_keys_timeout} in seconds, 1 to 3600 (default 30). */
        public Builder continuesKeysTimeout(int seconds) {
            this.continuesKeysTimeout = Checks.seconds("continues_keys_timeout", seconds, MAX_TIMEOUT_SECONDS);
            return this;
        }

        /** Sets {@code play_file}, the prompt (default none). */
        public Builder playFile(String value) {
            this.playFile = Checks.optionalFile("play_file", value);
            return this;
        }

        /** Sets {@code play_repeat}, 0 to 10 (default 0). */
        public Builder playRepeat(int value) {
            range("play_repeat", value, 0, MAX_PLAY_REPEAT);
            this.playRepeat = value;
            return this;
        }

        /** Sets {@code breaking_on_key} (default true). */
        public Builder breakingOnKey(boolean value) {
            this.breakingOnKey = value;
            return this;
        }

        /** Sets {@code including_finish_key} (default false). */
        public Builder includingFinishKey(boolean value) {
            this.includingFinishKey = value;
            return this;
        }

        /**
         * Returns the options.
         *
         * @throws InvalidArgumentException if {@code play_repeat} is set without a {@code play_file}
         */
        public ReceiveDtmfOptions build() {
            return new ReceiveDtmfOptions(validKeys, maxKeys, finishKeys, firstKeyTimeout, continuesKeysTimeout,
                    playFile, playRepeat, breakingOnKey, includingFinishKey);
        }
    }
}
