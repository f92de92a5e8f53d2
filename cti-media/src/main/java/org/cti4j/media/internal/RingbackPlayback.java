package org.cti4j.media.internal;

/**
 * A generated ringback tone: a sine of the configured frequency, on and off in the configured cadence, until
 * stopped. Computed on the worker from a sine table with a phase accumulator (no trigonometry per sample).
 */
public final class RingbackPlayback extends Playback {

    private static final int TABLE_BITS = 10;
    private static final short[] SINE = new short[1 << TABLE_BITS];
    /** About -10 dBm0. */
    private static final double AMPLITUDE = 0.3 * 32767;

    static {
        for (int i = 0; i < SINE.length; i++) {
            SINE[i] = (short) Math.round(AMPLITUDE * Math.sin(2 * Math.PI * i / SINE.length));
        }
    }

    private final int phaseStep;
    private final int onSamples;
    private final int periodSamples;
    private int phase;
    private int position;

    /** Creates the tone. */
    public RingbackPlayback(int frequencyHz, int onMillis, int offMillis, Listener listener) {
        super(listener);
        phaseStep = (int) Math.round(frequencyHz * 4294967296.0 / 8000);
        onSamples = onMillis * 8;
        periodSamples = Math.max(1, (onMillis + offMillis) * 8);
    }

    @Override
    public int nextFrame(short[] frame) {
        for (int i = 0; i < WorkerBuffers.FRAME; i++) {
            if (position < onSamples) {
                frame[i] = SINE[phase >>> (32 - TABLE_BITS)];
                phase += phaseStep;
            } else {
                frame[i] = 0;
                phase = 0;
            }
            position = position + 1 == periodSamples ? 0 : position + 1;
        }
        return FRAME;
    }
}
