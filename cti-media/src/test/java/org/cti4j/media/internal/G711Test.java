package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class G711Test {

    @Test
    void silenceEncodesToTheStandardIdleCodes() {
        assertThat(G711.linearToUlaw((short) 0)).isEqualTo((byte) 0xFF);
        assertThat(G711.linearToAlaw((short) 0)).isEqualTo((byte) 0xD5);
    }

    @Test
    void ulawDecodesToTheValuesOfTheRecommendation() {
        assertThat(G711.ulawToLinear((byte) 0x00)).isEqualTo((short) -32124);
        assertThat(G711.ulawToLinear((byte) 0x80)).isEqualTo((short) 32124);
        assertThat(G711.ulawToLinear((byte) 0xFF)).isEqualTo((short) 0);
        assertThat(G711.ulawToLinear((byte) 0x7F)).isEqualTo((short) 0);
        assertThat(G711.ulawToLinear((byte) 0xFE)).isEqualTo((short) 8);
        assertThat(G711.ulawToLinear((byte) 0xEF)).isEqualTo((short) 132);
    }

    @Test
    void alawDecodesToTheValuesOfTheRecommendation() {
        assertThat(G711.alawToLinear((byte) 0xD5)).isEqualTo((short) 8);
        assertThat(G711.alawToLinear((byte) 0x55)).isEqualTo((short) -8);
        assertThat(G711.alawToLinear((byte) 0xAA)).isEqualTo((short) 32256);
        assertThat(G711.alawToLinear((byte) 0x2A)).isEqualTo((short) -32256);
    }

    @Test
    void fullScaleClipsToTheLargestCodes() {
        assertThat(G711.linearToUlaw(Short.MAX_VALUE)).isEqualTo((byte) 0x80);
        assertThat(G711.linearToUlaw(Short.MIN_VALUE)).isEqualTo((byte) 0x00);
        assertThat(G711.linearToAlaw(Short.MAX_VALUE)).isEqualTo((byte) 0xAA);
        assertThat(G711.linearToAlaw(Short.MIN_VALUE)).isEqualTo((byte) 0x2A);
    }

    @Test
    void everyUlawCodeSurvivesADecodeEncodeRoundTripExceptNegativeZero() {
        for (int code = 0; code < 256; code++) {
            byte again = G711.linearToUlaw(G711.ulawToLinear((byte) code));
            assertThat(again & 0xFF).as("code %02x", code).isEqualTo(code == 0x7F ? 0xFF : code);
        }
    }

    @Test
    void everyAlawCodeSurvivesADecodeEncodeRoundTrip() {
        for (int code = 0; code < 256; code++) {
            assertThat(G711.linearToAlaw(G711.alawToLinear((byte) code)) & 0xFF).as("code %02x", code)
                    .isEqualTo(code);
        }
    }

    @Test
    void encodingIsMonotonicAndTheErrorStaysWithinHalfAStep() {
        int previousU = Integer.MIN_VALUE;
        for (int pcm = -32768; pcm <= 32767; pcm += 7) {
            short value = (short) pcm;
            short u = G711.ulawToLinear(G711.linearToUlaw(value));
            short a = G711.alawToLinear(G711.linearToAlaw(value));
            int magnitude = Math.abs(pcm);
            assertThat(Math.abs(u - Math.max(-32124, Math.min(32124, pcm))))
                    .isLessThanOrEqualTo(Math.max(8, magnitude / 16));
            assertThat(Math.abs(a - Math.max(-32256, Math.min(32256, pcm))))
                    .isLessThanOrEqualTo(Math.max(16, magnitude / 16));
            assertThat((int) u).isGreaterThanOrEqualTo(previousU);
            previousU = u;
        }
    }

    @Test
    void bulkCodingMatchesSampleBySampleCoding() {
        short[] tone = Audio.tone(1000, 8000, 0.02, 20000);
        byte[] encoded = new byte[tone.length];
        short[] decoded = new short[tone.length];
        for (Codec codec : Codec.values()) {
            G711.encode(codec, tone, 0, encoded, 0, tone.length);
            G711.decode(codec, encoded, 0, decoded, 0, tone.length);
            for (int i = 0; i < tone.length; i++) {
                byte single = codec == Codec.PCMA ? G711.linearToAlaw(tone[i]) : G711.linearToUlaw(tone[i]);
                assertThat(encoded[i]).isEqualTo(single);
                assertThat(Math.abs(decoded[i] - tone[i])).isLessThan(700);
            }
        }
    }
}
