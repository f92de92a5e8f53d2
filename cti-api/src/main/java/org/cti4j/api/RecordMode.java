package org.cti4j.api;

/** When a duo callback starts recording ({@code record_mode}). A recording always holds both directions. */
public enum RecordMode {
    /** {@code 0}: from the moment both parties are connected. The default. */
    ON_CONNECT(0),
    /** {@code 1}: from the start of dialling party 1. */
    FROM_PARTY1_DIAL(1),
    /** {@code 2}: from the start of dialling party 2. */
    FROM_PARTY2_DIAL(2);

    private final int code;

    RecordMode(int code) {
        this.code = code;
    }

    /** Returns the specification's numeric code. */
    public int code() {
        return code;
    }

    /**
     * Returns the mode with the given numeric code.
     *
     * @throws InvalidArgumentException if no mode has that code
     */
    public static RecordMode ofCode(int code) {
        for (RecordMode mode : values()) {
            if (mode.code == code) {
                return mode;
            }
        }
        throw new InvalidArgumentException("record_mode", "record_mode " + code + " is not one of 0, 1, 2");
    }
}
