package org.cti4j.media.internal;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * SDES key parameters (RFC 4568 §6.1) for the AES_CM_128 suites: a 30-byte concatenation of a 16-byte master key
 * and a 14-byte master salt, written as {@code inline:<base64>}. Static and thread-safe.
 */
public final class SdesKeys {

    /** The master key's length in bytes. */
    public static final int KEY_LENGTH = 16;

    /** The master salt's length in bytes. */
    public static final int SALT_LENGTH = 14;

    /** The length of a key followed by its salt. */
    public static final int LENGTH = KEY_LENGTH + SALT_LENGTH;

    /** The smallest lifetime accepted: keys are never changed during a session, so a shorter one cannot be honoured. */
    static final long MIN_LIFETIME = 1L << 31;

    private static final String INLINE = "inline:";
    private static final SecureRandom RANDOM = new SecureRandom();

    private SdesKeys() {
    }

    /** Returns a fresh random master key followed by its master salt (30 bytes) from a {@link SecureRandom}. */
    public static byte[] random30() {
        byte[] keyAndSalt = new byte[LENGTH];
        RANDOM.nextBytes(keyAndSalt);
        return keyAndSalt;
    }

    /**
     * Returns the key parameter {@code inline:<base64>} for a master key followed by its salt.
     *
     * @throws IllegalArgumentException if {@code keyAndSalt} is not 30 bytes long
     */
    public static String inline(byte[] keyAndSalt) {
        checkLength(keyAndSalt);
        return INLINE + Base64.getEncoder().encodeToString(keyAndSalt);
    }

    /**
     * Parses a key parameter {@code inline:<base64>[|lifetime][|MKI:length]} into a master key followed by its salt
     * (30 bytes; {@link #key} and {@link #salt} split it).
     *
     * @throws IllegalArgumentException if it is not an inline key of 30 bytes, if it carries an MKI (never supported:
     *     packets carry none), or if its lifetime is below 2^31 packets (keys are never renewed within a session)
     */
    public static byte[] parse(String keyParams) {
        Objects.requireNonNull(keyParams, "keyParams");
        if (!keyParams.regionMatches(true, 0, INLINE, 0, INLINE.length())) {
            throw new IllegalArgumentException("SDES key method is not inline: " + describe(keyParams));
        }
        String[] parts = keyParams.substring(INLINE.length()).split("\\|", -1);
        if (parts.length > 3) {
            throw new IllegalArgumentException("SDES key parameter has too many fields: " + describe(keyParams));
        }
        byte[] keyAndSalt;
        try {
            keyAndSalt = Base64.getDecoder().decode(parts[0].trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SDES key is not valid base64", e);
        }
        if (keyAndSalt.length != LENGTH) {
            throw new IllegalArgumentException(
                    "SDES key and salt are " + keyAndSalt.length + " bytes long, expected " + LENGTH);
        }
        for (int i = 1; i < parts.length; i++) {
            String field = parts[i].trim();
            if (field.indexOf(':') >= 0) {
                throw new IllegalArgumentException("SDES key with an MKI (" + field + ") is not supported");
            }
            if (i == 2) {
                throw new IllegalArgumentException("SDES key parameter has an MKI field without a colon: " + field);
            }
            long lifetime = lifetime(field);
            if (lifetime < MIN_LIFETIME) {
                throw new IllegalArgumentException("SDES key lifetime " + field
                        + " is shorter than 2^31 packets; keys are not renewed within a session");
            }
        }
        return keyAndSalt;
    }

    /** Returns the master key (16 bytes) of a master key followed by its salt. */
    public static byte[] key(byte[] keyAndSalt) {
        checkLength(keyAndSalt);
        return Arrays.copyOfRange(keyAndSalt, 0, KEY_LENGTH);
    }

    /** Returns the master salt (14 bytes) of a master key followed by its salt. */
    public static byte[] salt(byte[] keyAndSalt) {
        checkLength(keyAndSalt);
        return Arrays.copyOfRange(keyAndSalt, KEY_LENGTH, LENGTH);
    }

    /** Creates a crypto context from a master key followed by its salt (30 bytes). */
    public static SrtpContext context(SrtpContext.Suite suite, byte[] keyAndSalt) {
        return SrtpContext.create(suite, key(keyAndSalt), salt(keyAndSalt));
    }

    private static long lifetime(String field) {
        try {
            if (field.startsWith("2^")) {
                int exponent = Integer.parseInt(field.substring(2));
                if (exponent < 0 || exponent > 62) {
                    throw new IllegalArgumentException("SDES key lifetime out of range: " + field);
                }
                return 1L << exponent;
            }
            return Long.parseLong(field);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SDES key lifetime is not a number: " + field, e);
        }
    }

    private static void checkLength(byte[] keyAndSalt) {
        if (keyAndSalt.length != LENGTH) {
            throw new IllegalArgumentException(
                    "master key and salt are " + keyAndSalt.length + " bytes long, expected " + LENGTH);
        }
    }

    /** Names the key method without echoing the key itself, which must never reach a log. */
    private static String describe(String keyParams) {
        int colon = keyParams.indexOf(':');
        return colon < 0 ? "(no method)" : keyParams.substring(0, colon + 1) + "...";
    }
}
