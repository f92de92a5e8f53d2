package org.cti4j.api;

/**
 * How a member takes part in a conference ({@code voice_mode} of {@code conf_enter} and {@code conf_voice_mode}).
 *
 * <table>
 *   <caption>who hears whom</caption>
 *   <tr><th>mode</th><th>the member hears</th><th>the member is heard by</th></tr>
 *   <tr><td>{@link #SPEAK_AND_LISTEN}</td><td>everybody</td><td>everybody</td></tr>
 *   <tr><td>{@link #LISTEN_ONLY}</td><td>everybody</td><td>nobody</td></tr>
 *   <tr><td>{@link #SPEAK_ONLY}</td><td>nobody</td><td>everybody</td></tr>
 *   <tr><td>{@link #COACH}</td><td>everybody</td><td>the one coached member only</td></tr>
 * </table>
 * "Everybody" means the other members that speak to everybody ({@code SPEAK_AND_LISTEN}, {@code SPEAK_ONLY}); a
 * coach is heard by its coached member only, and is in no conference recording.
 */
public enum VoiceMode {
    /** {@code 1}: hears everybody and is heard by everybody. The default. */
    SPEAK_AND_LISTEN(1),
    /** {@code 2}: muted: hears everybody, heard by nobody (a supervisor listening in). */
    LISTEN_ONLY(2),
    /** {@code 3}: heard by everybody, hears nobody (an announcement). */
    SPEAK_ONLY(3),
    /** {@code 4}: hears everybody, heard by one named member only (a supervisor whispering to an agent). */
    COACH(4);

    private final int code;

    VoiceMode(int code) {
        this.code = code;
    }

    /** Returns the numeric code on the wire. */
    public int code() {
        return code;
    }

    /**
     * Returns the mode with the given numeric code.
     *
     * @throws InvalidArgumentException naming {@code voice_mode} if no mode has that code
     */
    public static VoiceMode ofCode(int code) {
        for (VoiceMode mode : values()) {
            if (mode.code == code) {
                return mode;
            }
        }
        throw new InvalidArgumentException("voice_mode", "voice_mode " + code
                + " is not one of 1 (speak and listen), 2 (listen only), 3 (speak only), 4 (coach)");
    }
}
