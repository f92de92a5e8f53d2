package org.cti4j.api;

/**
 * Which way audio crosses between two calls connected by {@link Call#connectStart} ({@code connect_mode}). The first
 * call is the one {@code connect_start} is called on ({@code res_id}), the second the one it names
 * ({@code call_res_id}).
 */
public enum ConnectMode {
    /** {@code 1}: both hear each other. The default. */
    BOTH(1),
    /** {@code 2}: only the second call hears the first; the first hears nothing of the second. */
    SECOND_HEARS_FIRST(2),
    /** {@code 3}: only the first call hears the second; the second hears nothing of the first. */
    FIRST_HEARS_SECOND(3);

    private final int code;

    ConnectMode(int code) {
        this.code = code;
    }

    /** Returns the specification's numeric code. */
    public int code() {
        return code;
    }

    /** Returns whether the second call hears the first. */
    public boolean secondHearsFirst() {
        return this != FIRST_HEARS_SECOND;
    }

    /** Returns whether the first call hears the second. */
    public boolean firstHearsSecond() {
        return this != SECOND_HEARS_FIRST;
    }

    /**
     * Returns the mode with the given numeric code.
     *
     * @throws InvalidArgumentException if no mode has that code
     */
    public static ConnectMode ofCode(int code) {
        for (ConnectMode mode : values()) {
            if (mode.code == code) {
                return mode;
            }
        }
        throw new InvalidArgumentException("connect_mode", "connect_mode " + code + " is not one of 1, 2, 3");
    }
}
