package org.cti4j.media.internal;

/** The DTMF keys of RFC 4733 telephone events 0 to 15. */
public final class Dtmf {

    private static final String KEYS = "0123456789*#ABCD";

    private Dtmf() {
    }

    /** Returns the key of an event code 0-15, or {@code 0} for any other event. */
    public static char key(int event) {
        return event >= 0 && event < KEYS.length() ? KEYS.charAt(event) : 0;
    }

    /** Returns the event code of a key (case-insensitive for A-D), or {@code -1} if it is not a DTMF key. */
    public static int event(char key) {
        return KEYS.indexOf(Character.toUpperCase(key));
    }
}
