package org.cti4j.media.internal;

/** Packs the fields of a GSM frame most significant bit first. */
public final class GsmBitWriter {
    private byte[] out;
    private int position;
    private int accumulator;
    private int count;

    public void start(byte[] target) {
        out = target;
        position = 0;
        accumulator = 0;
        count = 0;
    }

    public void put(int value, int width) {
        accumulator = (accumulator << width) | (value & ((1 << width) - 1));
        count += width;
        while (count >= 8) {
            count -= 8;
            out[position++] = (byte) (accumulator >> count);
        }
    }
}
