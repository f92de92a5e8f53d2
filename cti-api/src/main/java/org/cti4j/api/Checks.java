package org.cti4j.api;

/** Argument checks shared by the option records; each failure names the parameter and the value. */
final class Checks {

    /** The longest {@code max_ring_seconds}: one hour. */
    static final int MAX_RING_SECONDS = 3_600;
    /** The longest {@code max_answer_seconds}, {@code max_connect_seconds}, {@code max_seconds}: seven days. */
    static final int MAX_TALK_SECONDS = 7 * 24 * 3_600;
    /** The longest {@code user_data}, in characters. */
    static final int MAX_USER_DATA = 4_096;

    private Checks() {
    }

    static int seconds(String parameter, Integer value, int max) {
        if (value == null) {
            throw new InvalidArgumentException(parameter, parameter + " is missing: it has no default and must be"
                    + " set with care (1 to " + max + " seconds)");
        }
        if (value < 1 || value > max) {
            throw new InvalidArgumentException(parameter, parameter + " " + value + " is out of range 1-" + max
                    + " seconds");
        }
        return value;
    }

    static <T> T required(String parameter, T value) {
        if (value == null) {
            throw new InvalidArgumentException(parameter, parameter + " is missing");
        }
        return value;
    }

    static String userData(String parameter, String value) {
        if (value == null) {
            throw new InvalidArgumentException(parameter, parameter + " is null: use an empty string for none");
        }
        if (value.length() > MAX_USER_DATA) {
            throw new InvalidArgumentException(parameter, parameter + " is " + value.length()
                    + " characters long, more than the " + MAX_USER_DATA + " allowed");
        }
        return value;
    }

    /** An optional file name: {@code null} and blank both mean none and become {@code ""}. */
    static String optionalFile(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return "";
        }
        return file(parameter, value);
    }

    static String file(String parameter, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidArgumentException(parameter, parameter + " is missing: a file path is required");
        }
        if (value.indexOf('\0') >= 0) {
            throw new InvalidArgumentException(parameter, parameter + " '" + value.replace('\0', '?')
                    + "' holds a NUL character");
        }
        return value;
    }

    static String dtmfKeys(String parameter, String value) {
        if (value == null) {
            throw new InvalidArgumentException(parameter, parameter + " is null: use an empty string for none");
        }
        String keys = value.toUpperCase(java.util.Locale.ROOT);
        for (int i = 0; i < keys.length(); i++) {
            if ("0123456789*#ABCD".indexOf(keys.charAt(i)) < 0) {
                throw new InvalidArgumentException(parameter, parameter + " '" + value + "' holds '" + value.charAt(i)
                        + "', which is not a DTMF key (0-9, *, #, A-D)");
            }
        }
        return keys;
    }

    /**
     * Checks {@code record_stereo}: when set, there is a file to record to ({@code recordFile} not empty) in a format
     * that can hold two channels.
     */
    static void stereo(boolean stereo, String recordFile, RecordFormat format) {
        if (stereo && recordFile.isEmpty()) {
            throw new InvalidArgumentException("record_stereo", "record_stereo is set without a record_file");
        }
        if (stereo && !format.allowsStereo()) {
            throw new InvalidArgumentException("record_stereo", "record_stereo needs a WAV record_format of PCM 16-bit,"
                    + " PCM 8-bit, A-law or µ-law; " + format + " (" + format.code() + ") is mono only");
        }
    }
}
