package org.cti4j.media.internal;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104) over two SHA-1 digests, allocating nothing per call: {@code javax.crypto.Mac.doFinal(byte[],
 * int)} copies from a fresh array, {@link MessageDigest#digest(byte[], int, int)} writes in place. Not thread-safe.
 */
final class HmacSha1 {

    /** The length of a full HMAC-SHA1 output. */
    static final int LENGTH = 20;

    private static final int BLOCK = 64;

    private final MessageDigest inner = sha1();
    private final MessageDigest outer = sha1();
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] innerHash = new byte[LENGTH];

    /** @param key at most 64 bytes (SRTP's are 20) */
    HmacSha1(byte[] key) {
        if (key.length > BLOCK) {
            throw new IllegalArgumentException("HMAC key longer than " + BLOCK + " bytes");
        }
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte) (k ^ 0x36);
            outerPad[i] = (byte) (k ^ 0x5C);
        }
        start();
    }

    /** Starts a new MAC, forgetting anything given since the last {@link #finish}. */
    void start() {
        inner.reset();
        inner.update(innerPad);
    }

    void update(byte[] data, int off, int len) {
        inner.update(data, off, len);
    }

    /** Adds a 32-bit big-endian integer. */
    void updateInt(int value) {
        inner.update((byte) (value >>> 24));
        inner.update((byte) (value >>> 16));
        inner.update((byte) (value >>> 8));
        inner.update((byte) value);
    }

    /** Writes the 20-byte MAC into {@code out} from offset 0, and starts the next one. */
    void finish(byte[] out) {
        try {
            inner.digest(innerHash, 0, LENGTH);
            outer.update(outerPad);
            outer.update(innerHash);
            outer.digest(out, 0, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-1 digest failed", e);
        }
        start();
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }
}
