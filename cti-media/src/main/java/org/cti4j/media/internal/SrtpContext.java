package org.cti4j.media.internal;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One direction's SRTP and SRTCP crypto context (RFC 3711) for one session: the session keys derived from one master
 * key and salt, the rollover counter, the SRTCP index and the replay windows. A session holds two, one to protect
 * what it sends and one to unprotect what it receives. Every method works in place on the caller's buffer and
 * allocates nothing. Not thread-safe: one thread at a time.
 */
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

    private static final int SRTCP_TAG = 10;
    private static final int SRTCP_INDEX = 4;
    private static final int SRTCP_HEADER = 8;
    private static final int E_FLAG = 0x8000_0000;
    private static final int MAX_SRTCP_INDEX = 0x7FFF_FFFF;

    private final int tagLength;
    private final AesCounterMode rtpCipher;
    private final HmacSha1 rtpMac;
    private final byte[] rtpSalt;
    private final AesCounterMode rtcpCipher;
    private final HmacSha1 rtcpMac;
    private final byte[] rtcpSalt;
    private final byte[] iv = new byte[16];
    private final byte[] tag = new byte[HmacSha1.LENGTH];
    private final ReplayWindow rtpWindow = new ReplayWindow();
    private final ReplayWindow rtcpWindow = new ReplayWindow();

    /** The rollover counter and highest sequence number (s_l) of RFC 3711 §3.3.1; unset before the first packet. */
    private boolean started;
    private int rollover;
    private int highestSeq;
    /** The index of the next SRTCP packet sent. */
    private int rtcpIndex;

    private SrtpContext(Suite suite, byte[] masterKey, byte[] masterSalt) {
        this.tagLength = suite.tagLength();
        AesCounterMode master = new AesCounterMode(masterKey);
        rtpCipher = new AesCounterMode(derive(master, masterSalt, 0, 16));
        rtpMac = new HmacSha1(derive(master, masterSalt, 1, 20));
        rtpSalt = derive(master, masterSalt, 2, 14);
        rtcpCipher = new AesCounterMode(derive(master, masterSalt, 3, 16));
        rtcpMac = new HmacSha1(derive(master, masterSalt, 4, 20));
        rtcpSalt = derive(master, masterSalt, 5, 14);
    }

    /**
     * Creates a context and derives its session keys (key derivation rate 0).
     *
     * @param suite the crypto suite
     * @param masterKey 16 bytes (copied)
     * @param masterSalt 14 bytes (copied)
     * @throws IllegalArgumentException if a key or salt has the wrong length
     */
    public static SrtpContext create(Suite suite, byte[] masterKey, byte[] masterSalt) {
        Objects.requireNonNull(suite, "suite");
        if (masterKey.length != SdesKeys.KEY_LENGTH || masterSalt.length != SdesKeys.SALT_LENGTH) {
            throw new IllegalArgumentException("SRTP master key and salt must be 16 and 14 bytes long, not "
                    + masterKey.length + " and " + masterSalt.length);
        }
        return new SrtpContext(suite, masterKey.clone(), masterSalt.clone());
    }

    /** The session key for {@code label} (RFC 3711 §4.3.1, key derivation rate 0): AES-CM over zeros. */
    static byte[] derive(AesCounterMode master, byte[] masterSalt, int label, int length) {
        byte[] x = new byte[16];
        System.arraycopy(masterSalt, 0, x, 0, 14);
        x[7] ^= (byte) label;
        byte[] key = new byte[length];
        master.xor(x, key, 0, length);
        return key;
    }

    /**
     * Encrypts and authenticates an RTP packet in place.
     *
     * @return the new length; {@code buf} needs room for the tag after {@code off + len}
     * @throws IllegalArgumentException if the packet is not well-formed RTP or the tag does not fit
     */
    public int protectRtp(byte[] buf, int off, int len) {
        int payload = payloadOffset(buf, off, len);
        if (payload < 0) {
            throw new IllegalArgumentException("not an RTP packet: " + len + " bytes");
        }
        if (off + len + tagLength > buf.length) {
            throw new IllegalArgumentException("no room for the SRTP tag");
        }
        int seq = seq(buf, off);
        int roc = estimateRollover(seq);
        long index = ((long) roc << 16) | seq;
        rtpIv(buf, off, index);
        rtpCipher.xor(iv, buf, off + payload, len - payload);
        rtpTag(buf, off, len, roc);
        System.arraycopy(tag, 0, buf, off + len, tagLength);
        advance(roc, seq);
        return len + tagLength;
    }

    /**
     * Verifies, replay-checks and decrypts an SRTP packet in place. A packet refused leaves the buffer as it was.
     *
     * @return the RTP packet's length without the tag, or {@link #AUTH_FAILED}, {@link #REPLAYED} or
     *     {@link #MALFORMED}
     */
    public int unprotectRtp(byte[] buf, int off, int len) {
        int rtpLength = len - tagLength;
        int payload = payloadOffset(buf, off, rtpLength);
        if (payload < 0) {
            return MALFORMED;
        }
        int seq = seq(buf, off);
        int roc = estimateRollover(seq);
        long index = ((long) roc << 16) | seq;
        if (!rtpWindow.accepts(index)) {
            return REPLAYED;
        }
        rtpTag(buf, off, rtpLength, roc);
        if (!tagMatches(buf, off + rtpLength, tagLength)) {
            return AUTH_FAILED;
        }
        rtpWindow.accept(index);
        advance(roc, seq);
        rtpIv(buf, off, index);
        rtpCipher.xor(iv, buf, off + payload, rtpLength - payload);
        return rtpLength;
    }

    /**
     * Encrypts and authenticates an RTCP compound packet in place, appending the E flag and SRTCP index and the tag.
     *
     * @return the new length; {@code buf} needs room for {@link #MAX_OVERHEAD} bytes after {@code off + len}
     * @throws IllegalArgumentException if the packet is shorter than an RTCP header or the trailer does not fit
     */
    public int protectRtcp(byte[] buf, int off, int len) {
        if (len < SRTCP_HEADER) {
            throw new IllegalArgumentException("not an RTCP packet: " + len + " bytes");
        }
        if (off + len + MAX_OVERHEAD > buf.length) {
            throw new IllegalArgumentException("no room for the SRTCP index and tag");
        }
        int index = rtcpIndex;
        rtcpIndex = (index + 1) & MAX_SRTCP_INDEX;
        rtcpIv(buf, off, index);
        rtcpCipher.xor(iv, buf, off + SRTCP_HEADER, len - SRTCP_HEADER);
        writeInt(buf, off + len, E_FLAG | index);
        int authenticated = len + SRTCP_INDEX;
        rtcpMac.update(buf, off, authenticated);
        rtcpMac.finish(tag);
        System.arraycopy(tag, 0, buf, off + authenticated, SRTCP_TAG);
        return authenticated + SRTCP_TAG;
    }

    /**
     * Verifies, replay-checks and decrypts an SRTCP packet in place. A packet refused leaves the buffer as it was.
     *
     * @return the RTCP packet's length without index and tag, or {@link #AUTH_FAILED}, {@link #REPLAYED} or
     *     {@link #MALFORMED}
     */
    public int unprotectRtcp(byte[] buf, int off, int len) {
        int rtcpLength = len - MAX_OVERHEAD;
        if (rtcpLength < SRTCP_HEADER || ((buf[off] & 0xFF) >> 6) != 2) {
            return MALFORMED;
        }
        int word = readInt(buf, off + rtcpLength);
        int index = word & MAX_SRTCP_INDEX;
        if (!rtcpWindow.accepts(index)) {
            return REPLAYED;
        }
        rtcpMac.update(buf, off, rtcpLength + SRTCP_INDEX);
        rtcpMac.finish(tag);
        if (!tagMatches(buf, off + rtcpLength + SRTCP_INDEX, SRTCP_TAG)) {
            return AUTH_FAILED;
        }
        rtcpWindow.accept(index);
        if ((word & E_FLAG) != 0) {
            rtcpIv(buf, off, index);
            rtcpCipher.xor(iv, buf, off + SRTCP_HEADER, rtcpLength - SRTCP_HEADER);
        }
        return rtcpLength;
    }

    /** The rollover counter guessed for {@code seq} from the highest sequence number so far (RFC 3711 Appendix A). */
    private int estimateRollover(int seq) {
        if (!started) {
            return 0;
        }
        if (highestSeq < 0x8000) {
            return seq - highestSeq > 0x8000 ? rollover - 1 : rollover;
        }
        return highestSeq - 0x8000 > seq ? rollover + 1 : rollover;
    }

    /** Moves s_l and the rollover counter forward past a packet sent, or received and authenticated. */
    private void advance(int roc, int seq) {
        if (!started) {
            started = true;
            rollover = roc;
            highestSeq = seq;
        } else if (roc == rollover + 1 || (roc == rollover && seq > highestSeq)) {
            rollover = roc;
            highestSeq = seq;
        }
    }

    private void rtpTag(byte[] buf, int off, int len, int roc) {
        rtpMac.update(buf, off, len);
        rtpMac.updateInt(roc);
        rtpMac.finish(tag);
    }

    /** IV = (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16), per RFC 3711 §4.1.1. */
    private void rtpIv(byte[] buf, int off, long index) {
        System.arraycopy(rtpSalt, 0, iv, 0, 14);
        for (int i = 0; i < 4; i++) {
            iv[4 + i] ^= buf[off + 8 + i];
        }
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
    }

    /** The SRTCP IV: the sender's SSRC follows the first RTCP header word; the index is the 31-bit SRTCP index. */
    private void rtcpIv(byte[] buf, int off, int index) {
        System.arraycopy(rtcpSalt, 0, iv, 0, 14);
        for (int i = 0; i < 4; i++) {
            iv[4 + i] ^= buf[off + 4 + i];
            iv[10 + i] ^= (byte) (index >>> (24 - 8 * i));
        }
    }

    /** Compares the computed tag with the packet's in time independent of where they differ. */
    private boolean tagMatches(byte[] buf, int at, int length) {
        int diff = 0;
        for (int i = 0; i < length; i++) {
            diff |= tag[i] ^ buf[at + i];
        }
        return diff == 0;
    }

    /** The offset of an RTP packet's payload from {@code off}, or -1 if it is not RTP version 2 or too short. */
    private static int payloadOffset(byte[] buf, int off, int len) {
        if (len < RtpPacket.HEADER) {
            return -1;
        }
        int first = buf[off] & 0xFF;
        if ((first >> 6) != 2) {
            return -1;
        }
        int payload = RtpPacket.HEADER + 4 * (first & 0x0F);
        if ((first & 0x10) != 0) {
            if (payload + 4 > len) {
                return -1;
            }
            payload += 4 + 4 * (((buf[off + payload + 2] & 0xFF) << 8) | (buf[off + payload + 3] & 0xFF));
        }
        return payload <= len ? payload : -1;
    }

    private static int seq(byte[] buf, int off) {
        return ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF);
    }

    private static int readInt(byte[] buf, int at) {
        return (buf[at] & 0xFF) << 24 | (buf[at + 1] & 0xFF) << 16 | (buf[at + 2] & 0xFF) << 8 | (buf[at + 3] & 0xFF);
    }

    private static void writeInt(byte[] buf, int at, int value) {
        buf[at] = (byte) (value >>> 24);
        buf[at + 1] = (byte) (value >>> 16);
        buf[at + 2] = (byte) (value >>> 8);
        buf[at + 3] = (byte) value;
    }
}
