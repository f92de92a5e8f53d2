package org.cti4j.media.internal;

/**
 * ITU-T G.711 µ-law and A-law, table based: 256-entry decode tables and 65,536-entry encode tables for 16-bit linear
 * PCM, built once from the segment definitions of the recommendation (µ-law on the 14 most significant bits, A-law on
 * the 13 most significant bits, as G.711 specifies).
 *
 * <p>Stateless and thread-safe; every method is allocation-free.
 */
public final class G711 {

    private static final short[] ULAW_TO_LINEAR = new short[256];
    private static final short[] ALAW_TO_LINEAR = new short[256];
    private static final byte[] LINEAR_TO_ULAW = new byte[65536];
    private static final byte[] LINEAR_TO_ALAW = new byte[65536];

    /** The µ-law bias added before the segment search (33 in 14-bit units, shifted to 16-bit). */
    private static final int ULAW_BIAS = 0x84;
    /** The largest 16-bit magnitude µ-law codes without clipping. */
    private static final int ULAW_CLIP = 32635;

    static {
        for (int code = 0; code < 256; code++) {
            ULAW_TO_LINEAR[code] = (short) decodeUlaw(code);
            ALAW_TO_LINEAR[code] = (short) decodeAlaw(code);
        }
        for (int pcm = -32768; pcm <= 32767; pcm++) {
            LINEAR_TO_ULAW[pcm & 0xFFFF] = (byte) encodeUlaw(pcm);
            LINEAR_TO_ALAW[pcm & 0xFFFF] = (byte) encodeAlaw(pcm);
        }
    }

    private G711() {
    }

    /** Returns the 16-bit linear value of a µ-law code. */
    public static short ulawToLinear(byte code) {
        return ULAW_TO_LINEAR[code & 0xFF];
    }

    /** Returns the 16-bit linear value of an A-law code. */
    public static short alawToLinear(byte code) {
        return ALAW_TO_LINEAR[code & 0xFF];
    }

    /** Returns the µ-law code of a 16-bit linear sample. */
    public static byte linearToUlaw(short sample) {
        return LINEAR_TO_ULAW[sample & 0xFFFF];
    }

    /** Returns the A-law code of a 16-bit linear sample. */
    public static byte linearToAlaw(short sample) {
        return LINEAR_TO_ALAW[sample & 0xFFFF];
    }

    /** Decodes {@code length} codes of {@code codec} into 16-bit samples. */
    public static void decode(Codec codec, byte[] src, int srcOff, short[] dst, int dstOff, int length) {
        short[] table = codec == Codec.PCMA ? ALAW_TO_LINEAR : ULAW_TO_LINEAR;
        for (int i = 0; i < length; i++) {
            dst[dstOff + i] = table[src[srcOff + i] & 0xFF];
        }
    }

    /** Encodes {@code length} 16-bit samples as {@code codec} codes. */
    public static void encode(Codec codec, short[] src, int srcOff, byte[] dst, int dstOff, int length) {
        byte[] table = codec == Codec.PCMA ? LINEAR_TO_ALAW : LINEAR_TO_ULAW;
        for (int i = 0; i < length; i++) {
            dst[dstOff + i] = table[src[srcOff + i] & 0xFFFF];
        }
    }

    private static int decodeUlaw(int code) {
        int u = ~code & 0xFF;
        int magnitude = (((u & 0x0F) << 3) + ULAW_BIAS) << ((u & 0x70) >> 4);
        return (u & 0x80) != 0 ? ULAW_BIAS - magnitude : magnitude - ULAW_BIAS;
    }

    private static int decodeAlaw(int code) {
        int a = code ^ 0x55;
        int mantissa = (a & 0x0F) << 4;
        int segment = (a & 0x70) >> 4;
        int magnitude = switch (segment) {
            case 0 -> mantissa + 8;
            case 1 -> mantissa + 0x108;
            default -> (mantissa + 0x108) << (segment - 1);
        };
        return (a & 0x80) != 0 ? magnitude : -magnitude;
    }

    private static int encodeUlaw(int pcm) {
        int mask;
        int value;
        if (pcm < 0) {
            value = Math.min(-pcm, ULAW_CLIP) + ULAW_BIAS;
            mask = 0x7F;
        } else {
            value = Math.min(pcm, ULAW_CLIP) + ULAW_BIAS;
            mask = 0xFF;
        }
        int segment = segmentOf(value >> 8);
        int code = (segment << 4) | ((value >> (segment + 3)) & 0x0F);
        return code ^ mask;
    }

    private static int encodeAlaw(int pcm) {
        int value = pcm >> 3;
        int mask;
        if (value >= 0) {
            mask = 0xD5;
        } else {
            mask = 0x55;
            value = -value - 1;
        }
        int segment = segmentOf(value >> 5);
        if (segment >= 8) {
            return 0x7F ^ mask;
        }
        int code = segment << 4;
        code |= segment < 2 ? (value >> 1) & 0x0F : (value >> segment) & 0x0F;
        return code ^ mask;
    }

    /** Returns the segment number: the position of the highest set bit of {@code scaled}, plus one (0 for 0). */
    private static int segmentOf(int scaled) {
        return 32 - Integer.numberOfLeadingZeros(scaled);
    }
}
