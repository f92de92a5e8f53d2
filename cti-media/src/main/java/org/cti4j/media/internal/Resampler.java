package org.cti4j.media.internal;

/**
 * Converts a stream of 16-bit samples from one rate to another with a windowed-sinc low-pass (Blackman window, 20
 * zero crossings each side, cut-off at 42.5% of the lower rate), so that what is above the new Nyquist frequency is
 * filtered out rather than folded back. Any pair of rates works; positions are exact rationals, so nothing drifts.
 *
 * <p>Streaming: {@link #push} input as it is read, {@link #pull} what can be computed. Not thread-safe (one I/O
 * thread uses it).
 */
public final class Resampler {

    private static final int ZERO_CROSSINGS = 20;
    private static final int TABLE_STEPS = 128;
    private static final double CUTOFF = 0.425;

    private final long inRate;
    private final long outRate;
    private final int halfWidth;
    private final float[] kernel;
    private float[] buffer = new float[8192];
    /** Absolute index of {@code buffer[0]} in the input stream. */
    private long base;
    private int count;
    private long totalIn;
    private long outIndex;

    /** Creates a resampler from {@code inRate} to {@code outRate} Hz. */
    public Resampler(int inRate, int outRate) {
        if (inRate <= 0 || outRate <= 0) {
            throw new IllegalArgumentException("rates must be positive: " + inRate + " -> " + outRate);
        }
        this.inRate = inRate;
        this.outRate = outRate;
        double cutoff = CUTOFF * Math.min(inRate, outRate) / inRate;
        halfWidth = (int) Math.ceil(ZERO_CROSSINGS / (2 * cutoff));
        kernel = new float[halfWidth * TABLE_STEPS + 2];
        for (int j = 0; j < kernel.length; j++) {
            double t = (double) j / TABLE_STEPS;
            if (t >= halfWidth) {
                continue;
            }
            double x = 2 * cutoff * t;
            double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
            double u = t / halfWidth;
            double window = 0.42 + 0.5 * Math.cos(Math.PI * u) + 0.08 * Math.cos(2 * Math.PI * u);
            kernel[j] = (float) (2 * cutoff * sinc * window);
        }
    }

    /** Appends input samples. */
    public void push(short[] in, int offset, int length) {
        compact();
        if (count + length > buffer.length) {
            float[] larger = new float[Math.max(buffer.length * 2, count + length)];
            System.arraycopy(buffer, 0, larger, 0, count);
            buffer = larger;
        }
        for (int i = 0; i < length; i++) {
            buffer[count + i] = in[offset + i];
        }
        count += length;
        totalIn += length;
    }

    /**
     * Computes up to {@code max} output samples.
     *
     * @param ended whether the input has ended: then the samples after its end count as silence and the output stops
     *     at the input's duration
     * @return how many samples were written to {@code out}
     */
    public int pull(short[] out, int offset, int max, boolean ended) {
        int n = 0;
        while (n < max) {
            long position = outIndex * inRate;
            long whole = position / outRate;
            if (ended ? position >= totalIn * outRate : whole + halfWidth >= base + count) {
                break;
            }
            double fraction = (double) (position % outRate) / outRate;
            double sum = 0;
            long first = Math.max(whole - halfWidth + 1, base);
            long last = Math.min(whole + halfWidth, base + count - 1);
            for (long k = first; k <= last; k++) {
                double t = Math.abs((whole - k) + fraction) * TABLE_STEPS;
                int j = (int) t;
                double w = kernel[j] + (t - j) * (kernel[j + 1] - kernel[j]);
                sum += buffer[(int) (k - base)] * w;
            }
            out[offset + n++] = WorkerBuffers.saturate((int) Math.round(sum));
            outIndex++;
        }
        return n;
    }

    /** Drops the input samples no future output needs. */
    private void compact() {
        long needed = outIndex * inRate / outRate - halfWidth;
        int drop = (int) Math.min(count, Math.max(0, needed - base));
        if (drop > buffer.length / 2) {
            System.arraycopy(buffer, drop, buffer, 0, count - drop);
            count -= drop;
            base += drop;
        }
    }
}
