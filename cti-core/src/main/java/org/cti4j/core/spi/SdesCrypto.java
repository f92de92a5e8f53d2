package org.cti4j.core.spi;

import java.util.Objects;

/**
 * One SDES crypto attribute (RFC 4568 §9.1): {@code a=crypto:<tag> <crypto-suite> <key-params> [<session-params>]}.
 * The signalling provider carries it between SDP and the media provider as written; the media provider reads the
 * key and decides. {@link #toString()} leaves the key out, so that a description can be logged.
 *
 * @param tag the tag that pairs an answer's line with the offer's, 0 to 999999999
 * @param suite the crypto suite, such as {@code AES_CM_128_HMAC_SHA1_80}
 * @param keyParams the key parameters as written, such as {@code inline:<base64 key||salt>} or
 *     {@code inline:<base64>|2^31|1:4}; several are separated by {@code ;}
 * @param sessionParams the session parameters as written, separated by spaces; empty if none
 */
public record SdesCrypto(int tag, String suite, String keyParams, String sessionParams) {

    /** Checks the parts. */
    public SdesCrypto {
        if (tag < 0 || tag > 999_999_999) {
            throw new IllegalArgumentException("crypto tag " + tag + " is out of range 0-999999999");
        }
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(keyParams, "keyParams");
        Objects.requireNonNull(sessionParams, "sessionParams");
    }

    /** Returns the line's value after {@code a=crypto:}, key included, for SDP. */
    public String toAttributeValue() {
        return tag + " " + suite + " " + keyParams + (sessionParams.isEmpty() ? "" : " " + sessionParams);
    }

    /** Describes the attribute without its key. */
    @Override
    public String toString() {
        return "SdesCrypto[tag=" + tag + ", suite=" + suite + ", keyParams=***"
                + (sessionParams.isEmpty() ? "" : ", sessionParams=" + sessionParams) + "]";
    }
}
