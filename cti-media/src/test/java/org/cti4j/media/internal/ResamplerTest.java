package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResamplerTest {

    private static short[] resample(short[] input, int rate, int chunk) {
        Resampler resampler = new Resampler(rate, 8000);
        short[] out = new short[(int) ((long) input.length * 8000 / rate) + 16];
        int produced = 0;
        for (int offset = 0; offset < input.length; offset += chunk) {
            int n = Math.min(chunk, input.length - offset);
            resampler.push(input, offset, n);
            produced += resampler.pull(out, produced, out.length - produced, false);
        }
        produced += resampler.pull(out, produced, out.length - produced, true);
        short[] result = new short[produced];
        System.arraycopy(out, 0, result, 0, produced);
        return result;
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {44100, 16000, 48000, 11025, 22050})
    void aThousandHertzToneKeepsItsFrequencyLevelAndDuration(int rate) {
        short[] input = Audio.tone(1000, rate, 1.0, 16000);
        short[] output = resample(input, rate, 997);
        assertThat(output.length).isBetween(7999, 8001);
        assertThat(Audio.relativePower(output, 800, 6400, 8000, 1000)).isGreaterThan(0.95);
        assertThat(Audio.rms(output, 800, 6400)).isBetween(16000 / Math.sqrt(2) * 0.95, 16000 / Math.sqrt(2) * 1.05);
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {44100, 16000, 48000})
    void contentAboveFourKilohertzIsFilteredOutInsteadOfFoldedBack(int rate) {
        for (double frequency : new double[] {5000, 6000, 7000}) {
            short[] input = Audio.tone(frequency, rate, 1.0, 16000);
            short[] output = resample(input, rate, 4096);
            double alias = 8000 - frequency;
            double level = Audio.rms(output, 800, 6400);
            assertThat(level).as("%s Hz folded to %s Hz", frequency, alias).isLessThan(16000 * 0.003);
        }
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {6000, 8000})
    void upsamplingAndEqualRatesKeepTheTone(int rate) {
        short[] input = Audio.tone(440, rate, 1.0, 10000);
        short[] output = resample(input, rate, 300);
        assertThat(output.length).isBetween(7999, 8001);
        assertThat(Audio.relativePower(output, 800, 6400, 8000, 440)).isGreaterThan(0.95);
    }
}
