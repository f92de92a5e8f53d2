package org.cti4j.bench.load;

/** G.711 A-law encoding (ITU-T G.711), for the tone SIPp A streams: the harness does not depend on cti-media's. */
final class Alaw {

    private static final int[] SEGMENT_END = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};

    private Alaw() {
    }

    /** Encodes one 16-bit linear sample. Silence (0) is 0xD5. */
    static byte encode(short sample) {
        int pcm = sample >> 3;
        int mask;
        if (pcm >= 0) {
            mask = 0xD5;
        } else {
            mask = 0x55;
            pcm = -pcm - 1;
        }
        int segment = 0;
        while (segment < 8 && pcm > SEGMENT_END[segment]) {
            segment++;
        }
        if (segment >= 8) {
            return (byte) (0x7F ^ mask);
        }
        int value = segment << 4;
        value |= segment < 2 ? (pcm >> 1) & 0x0F : (pcm >> segment) & 0x0F;
        return (byte) (value ^ mask);
    }

    /** Returns {@code seconds} of a sine tone at 8 kHz, half of full scale, A-law encoded (raw, no header). */
    static byte[] tone(double hertz, double seconds) {
        byte[] out = new byte[(int) Math.round(8000 * seconds)];
        for (int i = 0; i < out.length; i++) {
            out[i] = encode((short) Math.round(16_000 * Math.sin(2 * Math.PI * hertz * i / 8000.0)));
        }
        return out;
    }
}
