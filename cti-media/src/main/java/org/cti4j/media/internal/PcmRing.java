package org.cti4j.media.internal;

import java.util.Arrays;

/**
 * A bounded ring of 16-bit samples for one producer thread and one consumer thread (the same thread may be both).
 * Writing to a full ring drops what does not fit; nothing blocks and nothing allocates.
 *
 * <p>Hands audio between media workers (a connection, a mixer member), and between a worker and the I/O thread
 * (playback, recording).
 */
public final class PcmRing {

    private final short[] samples;
    private final int mask;
    /** Written by the producer only. */
    private volatile long writeIndex;
    /** Written by the consumer only. */
    private volatile long readIndex;
    /** Consumer only: whether a cushion was built up since the last underrun. */
    private boolean primed;

    /** Creates a ring holding at least {@code capacity} samples (rounded up to a power of two). */
    public PcmRing(int capacity) {
        int size = 1 << (32 - Integer.numberOfLeadingZeros(Math.max(2, capacity) - 1));
        samples = new short[size];
        mask = size - 1;
    }

    /** Returns the number of samples it can hold. */
    public int capacity() {
        return samples.length;
    }

    /** Producer: returns how many samples can be written now. */
    public int free() {
        return samples.length - (int) (writeIndex - readIndex);
    }

    /** Consumer: returns how many samples can be read now. */
    public int available() {
        return (int) (writeIndex - readIndex);
    }

    /** Producer: appends up to {@code length} samples; returns how many fit (the rest are dropped). */
    public int write(short[] src, int offset, int length) {
        long w = writeIndex;
        int n = Math.min(length, samples.length - (int) (w - readIndex));
        int start = (int) (w & mask);
        int first = Math.min(n, samples.length - start);
        System.arraycopy(src, offset, samples, start, first);
        System.arraycopy(src, offset + first, samples, 0, n - first);
        writeIndex = w + n;
        return n;
    }

    /** Consumer: takes up to {@code length} samples; returns how many were taken. */
    public int read(short[] dst, int offset, int length) {
        long r = readIndex;
        int n = Math.min(length, (int) (writeIndex - r));
        int start = (int) (r & mask);
        int first = Math.min(n, samples.length - start);
        System.arraycopy(samples, start, dst, offset, first);
        System.arraycopy(samples, 0, dst, offset + first, n - first);
        readIndex = r + n;
        return n;
    }

    /**
     * Consumer: takes exactly {@code length} samples, filling with silence what is missing, after dropping the oldest
     * samples beyond {@code maxBacklog} so that latency stays bounded. Returns how many real samples were taken.
     */
    // one writer: only this side ever writes this index
    @SuppressWarnings("NonAtomicVolatileUpdate")
    public int readFrame(short[] dst, int offset, int length, int maxBacklog) {
        int backlog = available() - length;
        if (backlog > maxBacklog) {
            readIndex = readIndex + (backlog - maxBacklog);
        }
        int n = read(dst, offset, length);
        for (int i = n; i < length; i++) {
            dst[offset + i] = 0;
        }
        return n;
    }

    /**
     * Consumer, for audio that arrives in bursts from another thread's clock: takes one frame of {@code length}
     * samples, keeping a cushion against jitter. After an underrun (and at the start) nothing is taken until {@code
     * 2 * length} samples wait, so that a late burst does not chop the audio; a backlog above {@code maxFrames *
     * length} is cut back to {@code 3 * length} by dropping the oldest samples, so that the delay stays bounded.
     * Fills {@code dst} with silence when it takes nothing; returns whether it took real samples.
     */
    // one writer: only this side ever writes this index
    @SuppressWarnings("NonAtomicVolatileUpdate")
    public boolean readJitterFrame(short[] dst, int offset, int length, int maxFrames) {
        int available = available();
        if (!primed && available >= 2 * length) {
            primed = true;
        }
        if (!primed || available < length) {
            primed = false;
            Arrays.fill(dst, offset, offset + length, (short) 0);
            return false;
        }
        if (available > maxFrames * length) {
            readIndex = readIndex + (available - 3 * length);
        }
        read(dst, offset, length);
        return true;
    }

    /** Consumer: drops everything written so far. */
    public void clear() {
        readIndex = writeIndex;
    }
}
