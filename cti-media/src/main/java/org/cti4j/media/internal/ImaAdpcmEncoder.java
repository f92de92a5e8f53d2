package org.cti4j.media.internal;

/**
 * IMA (DVI) ADPCM as Microsoft WAV stores it (format 0x11), mono: blocks of 256 bytes, each a 4-byte header (the
 * first sample verbatim and the step index) then 504 samples as 4-bit codes, low nibble first — 505 samples a block.
 * The step index carries over from block to block.
 */
public final class ImaAdpcmEncoder {

    /** Samples in one block. */
    public static final int SAMPLES_PER_BLOCK = 505;
    /** Bytes in one block. */
    public static final int BLOCK_BYTES = 256;

    private static final int[] STEPS = {
        7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 31, 34, 37, 41, 45, 50, 55, 60, 66, 73, 80, 88, 97,
        107, 118, 130, 143, 157, 173, 190, 209, 230, 253, 279, 307, 337, 371, 408, 449, 494, 544, 598, 658, 724, 796,
        876, 963, 1060, 1166, 1282, 1411, 1552, 1707, 1878, 2066, 2272, 2499, 2749, 3024, 3327, 3660, 4026, 4428,
        4871, 5358, 5894, 6484, 7132, 7845, 8630, 9493, 10442, 11487, 12635, 13899, 15289, 16818, 18500, 20350,
        22385, 24623, 27086, 29794, 32767,
    };
    private static final int[] INDEX_CHANGE = {-1, -1, -1, -1, 2, 4, 6, 8};

    private int index;
    private int predictor;

    /** Encodes 505 samples into one 256-byte block. */
    public void encodeBlock(short[] samples, byte[] block) {
        predictor = samples[0];
        block[0] = (byte) predictor;
        block[1] = (byte) (predictor >> 8);
        block[2] = (byte) index;
        block[3] = 0;
        for (int i = 1; i < SAMPLES_PER_BLOCK; i += 2) {
            int low = encode(samples[i]);
            int high = encode(samples[i + 1]);
            block[4 + (i - 1) / 2] = (byte) (low | (high << 4));
        }
    }

    /** Returns the 4-bit code of one sample and moves the predictor and step index as the decoder will. */
    private int encode(int sample) {
        int step = STEPS[index];
        int diff = sample - predictor;
        int code = 0;
        if (diff < 0) {
            code = 8;
            diff = -diff;
        }
        int delta = step >> 3;
        if (diff >= step) {
            code |= 4;
            diff -= step;
            delta += step;
        }
        step >>= 1;
        if (diff >= step) {
            code |= 2;
            diff -= step;
            delta += step;
        }
        step >>= 1;
        if (diff >= step) {
            code |= 1;
            delta += step;
        }
        predictor += (code & 8) != 0 ? -delta : delta;
        predictor = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, predictor));
        index = Math.max(0, Math.min(STEPS.length - 1, index + INDEX_CHANGE[code & 7]));
        return code;
    }
}
