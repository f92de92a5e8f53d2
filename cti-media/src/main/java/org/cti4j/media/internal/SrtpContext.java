package org.cti4j.media.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * One direction's SRTP and SRTCP crypto context (RFC 3711) for one session: the session keys derived from one master
 * key and salt, the rollover counter, the SRTCP index and the replay windows. A session holds two, one to protect
 * what it sends and one to unprotect what it receives. Every method works in place on the caller's buffer and
 * allocates nothing. Not thread-safe: one thread at a time.
 */
// The API is published ahead of its implementation, which replaces these throwing bodies.
@SuppressWarnings("DoNotCallSuggester")
public final class SrtpContext {

    /** {@link #unprotectRtp}/{@link #unprotectRtcp} result: the authentication tag is wrong. */
    public static final int AUTH_FAILED = -1;

    /** Result: the packet was seen before, or is too old for the replay window. */
    public static final int REPLAYED = -2;

    /** Result: the packet is too short to be SRTP/SRTCP. */
    public static final int MALFORMED = -3;

    /** The longest a packet grows when protected (SRTCP: 4-byte index + 10-byte tag). */
    public static final int MAX_OVERHEAD = 14;

    /** The crypto suites supported (RFC 4568 names). */
    public enum Suite {
        /** AES-128 counter mode, HMAC-SHA1 with an 80-bit tag. */
        AES_CM_128_HMAC_SHA1_80(10),
        /** AES-128 counter mode, HMAC-SHA1 with a 32-bit tag on SRTP (80 bits on SRTCP). */
        AES_CM_128_HMAC_SHA1_32(4);

        private final int tagLength;

        Suite(int tagLength) {
            this.tagLength = tagLength;
        }

        /** Returns the SRTP authentication tag's length in bytes: 10 or 4. SRTCP always uses 10. */
        public int tagLength() {
            return tagLength;
        }

        /** Returns the suite with this RFC 4568 name (case-insensitive), or empty if it is not supported. */
        public static Optional<Suite> of(String name) {
            String upper = name.trim().toUpperCase(Locale.ROOT);
            for (Suite suite : values()) {
                if (suite.name().equals(upper)) {
                    return Optional.of(suite);
                }
            }
            return Optional.empty();
        }
    }

    private SrtpContext() {
    }

    /**
     * Creates a context and derives its session keys.
     *
     * @param suite the crypto suite
     * @param masterKey 16 bytes (copied)
     * @param masterSalt 14 bytes (copied)
     * @throws IllegalArgumentException if a key or salt has the wrong length
     */
    public static SrtpContext create(Suite suite, byte[] masterKey, byte[] masterSalt) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Encrypts and authenticates an RTP packet in place.
     *
     * @return the new length; {@code buf} needs room for the tag after {@code off + len}
     */
    public int protectRtp(byte[] buf, int off, int len) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Verifies, replay-checks and decrypts an SRTP packet in place.
     *
     * @return the RTP packet's length without the tag, or {@link #AUTH_FAILED}, {@link #REPLAYED} or
     *     {@link #MALFORMED}
     */
    public int unprotectRtp(byte[] buf, int off, int len) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Encrypts and authenticates an RTCP compound packet in place, appending the E flag and SRTCP index and the tag.
     *
     * @return the new length; {@code buf} needs room for {@link #MAX_OVERHEAD} bytes after {@code off + len}
     */
    public int protectRtcp(byte[] buf, int off, int len) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Verifies, replay-checks and decrypts an SRTCP packet in place.
     *
     * @return the RTCP packet's length without index and tag, or {@link #AUTH_FAILED}, {@link #REPLAYED} or
     *     {@link #MALFORMED}
     */
    public int unprotectRtcp(byte[] buf, int off, int len) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
