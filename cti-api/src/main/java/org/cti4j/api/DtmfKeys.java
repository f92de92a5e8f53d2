package org.cti4j.api;

import java.util.Locale;

/** The DTMF keys an application may send ({@link Call#sendDtmfStart}), checked the same way embedded and remote. */
public final class DtmfKeys {

    /** The most keys (and pauses) one {@code send_dtmf_start} sends. */
    public static final int MAX_KEYS = 64;

    private DtmfKeys() {
    }

    /**
     * Checks keys to send and returns them with letters upper case.
     *
     * @param keys {@code 0-9 * # A-D} and {@code ,} (a pause), 1 to {@value #MAX_KEYS} of them
     * @throws InvalidArgumentException naming {@code keys} and what is wrong with it
     */
    public static String toSend(String keys) {
        if (keys == null || keys.isEmpty() || keys.length() > MAX_KEYS) {
            throw new InvalidArgumentException("keys", "keys must be 1 to " + MAX_KEYS + " DTMF keys (0-9, *, #, A-D)"
                    + " or pauses (,); " + (keys == null ? "it is missing" : "it is " + keys.length()
                    + " characters long"));
        }
        String upper = keys.toUpperCase(Locale.ROOT);
        for (int i = 0; i < upper.length(); i++) {
            char c = upper.charAt(i);
            if (c != ',' && "0123456789*#ABCD".indexOf(c) < 0) {
                throw new InvalidArgumentException("keys", "keys '" + keys + "' holds '" + keys.charAt(i)
                        + "', which is not a DTMF key (0-9, *, #, A-D) or a pause (,)");
            }
        }
        return upper;
    }
}
