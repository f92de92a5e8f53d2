package org.cti4j.media.internal;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in counter mode (RFC 3711 §4.1.1) with one key, allocating nothing per call: the counter blocks are written
 * into a preallocated buffer and encrypted with AES/ECB in one call per chunk. Not thread-safe.
 */
final class AesCounterMode {

    /** Bytes of keystream made per cipher call. */
    private static final int CHUNK = 1024;
    /** The counter occupies an IV's low 16 bits, so one IV covers 2^16 blocks. */
    private static final int MAX_LENGTH = 16 << 16;

    private final Cipher aes;
    private final byte[] counters = new byte[CHUNK];
    private final byte[] stream = new byte[CHUNK];

    AesCounterMode(byte[] key) {
        try {
            aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is not available", e);
        }
    }

    /**
     * XORs {@code len} bytes of {@code buf} from {@code off} with the keystream that starts at {@code iv} (16 bytes,
     * whose last two are the block counter and must be zero).
     */
    void xor(byte[] iv, byte[] buf, int off, int len) {
        if (len > MAX_LENGTH) {
            throw new IllegalArgumentException("AES-CM input of " + len + " bytes exceeds one IV's keystream");
        }
        int block = 0;
        for (int done = 0; done < len; done += CHUNK) {
            int chunk = Math.min(CHUNK, len - done);
            int blocks = (chunk + 15) >>> 4;
            for (int b = 0; b < blocks; b++, block++) {
                int at = b << 4;
                System.arraycopy(iv, 0, counters, at, 14);
                counters[at + 14] = (byte) (block >>> 8);
                counters[at + 15] = (byte) block;
            }
            try {
                aes.update(counters, 0, blocks << 4, stream, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-CM keystream failed", e);
            }
            int start = off + done;
            for (int i = 0; i < chunk; i++) {
                buf[start + i] ^= stream[i];
            }
        }
    }
}
