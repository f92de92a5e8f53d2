package org.cti4j.media;

import java.util.SplittableRandom;

/**
 * Deterministic test audio for the benchmarks: a few partials with a slow envelope plus some noise, roughly the level
 * and spread of speech, so that table look-ups and sums see varied values rather than silence or one repeated sample.
 */
final class BenchSignals {

    private BenchSignals() {
    }

    /** Returns {@code length} samples at {@code rate} Hz; {@code seed} makes different, repeatable signals. */
    static short[] speechLike(int rate, int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double f1 = 180 + random.nextInt(80);
        double f2 = 700 + random.nextInt(300);
        double f3 = 2200 + random.nextInt(600);
        short[] samples = new short[length];
        for (int i = 0; i < length; i++) {
            double t = (double) i / rate;
            double envelope = 0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t);
            double value = 6000 * Math.sin(2 * Math.PI * f1 * t) + 3000 * Math.sin(2 * Math.PI * f2 * t)
                    + 1000 * Math.sin(2 * Math.PI * f3 * t) + 800 * (random.nextDouble() * 2 - 1);
            samples[i] = (short) Math.round(envelope * value);
        }
        return samples;
    }
}
