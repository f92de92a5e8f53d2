package org.cti4j.api;

/**
 * When a duo callback plays its {@code ring_play_file} to party 1 while party 2 is dialled ({@code ring_play_mode}).
 * The file loops for as long as it should be heard.
 */
public enum RingPlayMode {
    /** {@code 0}: start when party 2's ringback arrives (its 180 or 183), stop when party 2 answers. The default. */
    ON_RINGBACK(0),
    /**
     * {@code 1}: start when dialling party 2, stop when its ringback arrives; from then on party 1 hears party 2's
     * real ringback.
     */
    UNTIL_RINGBACK(1),
    /** {@code 2}: start when dialling party 2, stop when party 2 answers or hangs up. */
    UNTIL_ANSWER(2);

    private final int code;

    RingPlayMode(int code) {
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
    public static RingPlayMode ofCode(int code) {
        for (RingPlayMode mode : values()) {
            if (mode.code == code) {
                return mode;
            }
        }
        throw new InvalidArgumentException("ring_play_mode", "ring_play_mode " + code + " is not one of 0, 1, 2");
    }
}
