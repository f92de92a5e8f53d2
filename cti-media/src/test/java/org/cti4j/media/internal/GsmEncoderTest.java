package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GsmEncoderTest {

    @TempDir
    Path dir;

    private static short[] speechLike() {
        short[] tone = Audio.tone(440, 8000, 2.0, 6000);
        short[] high = Audio.tone(1870, 8000, 2.0, 3000);
        short[] noise = Audio.noise(tone.length, 2000, 7);
        short[] mix = new short[tone.length];
        for (int i = 0; i < mix.length; i++) {
            double envelope = 0.5 + 0.5 * Math.sin(2 * Math.PI * 3 * i / 8000.0);
            mix[i] = (short) (envelope * (tone[i] + high[i]) + noise[i]);
        }
        for (int i = 4000; i < 5600; i++) {
            mix[i] = 0;
        }
        mix[9000] = Short.MAX_VALUE;
        mix[9001] = Short.MIN_VALUE;
        return mix;
    }

    private static byte[] encode(short[] samples) {
        GsmEncoder encoder = new GsmEncoder();
        int frames = samples.length / GsmEncoder.FRAME_SAMPLES;
        byte[] out = new byte[frames * GsmEncoder.FRAME_BYTES];
        short[] frame = new short[GsmEncoder.FRAME_SAMPLES];
        byte[] encoded = new byte[GsmEncoder.FRAME_BYTES];
        for (int f = 0; f < frames; f++) {
            System.arraycopy(samples, f * GsmEncoder.FRAME_SAMPLES, frame, 0, frame.length);
            encoder.encode(frame, encoded);
            System.arraycopy(encoded, 0, out, f * GsmEncoder.FRAME_BYTES, encoded.length);
        }
        return out;
    }

    @Test
    void everyFrameStartsWithTheGsmSignature() {
        byte[] encoded = encode(speechLike());
        assertThat(encoded.length).isEqualTo(100 * 33);
        for (int f = 0; f < 100; f++) {
            assertThat(encoded[f * 33] & 0xF0).isEqualTo(0xD0);
        }
    }

    @Test
    void theEncoderIsBitExactWithTheReferenceImplementationThatSoxUses() throws Exception {
        Tools.require("sox");
        short[] input = speechLike();
        ByteBuffer raw = ByteBuffer.allocate(input.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short sample : input) {
            raw.putShort(sample);
        }
        Path rawFile = Files.write(dir.resolve("in.raw"), raw.array());
        Path reference = dir.resolve("reference.gsm");
        Tools.run("sox", "-D", "-t", "raw", "-r", "8000", "-e", "signed-integer", "-b", "16", "-c", "1",
                "-L", rawFile.toString(), reference.toString());
        byte[] expected = Files.readAllBytes(reference);
        byte[] actual = encode(input);
        assertThat(actual.length).isEqualTo(expected.length);
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] != expected[i]) {
                throw new AssertionError("first difference in frame " + i / 33 + " byte " + i % 33 + ": "
                        + Integer.toHexString(actual[i] & 0xFF) + " instead of "
                        + Integer.toHexString(expected[i] & 0xFF));
            }
        }
    }

    @Test
    void soxDecodesTheEncodedToneBackToTheSameTone() throws Exception {
        Tools.require("sox");
        Path file = Files.write(dir.resolve("tone.gsm"), encode(Audio.tone(1000, 8000, 1.0, 12000)));
        short[] decoded = Tools.soxDecode(file, dir);
        assertThat(decoded.length).isEqualTo(8000);
        assertThat(Audio.toneFraction(decoded, 1000, 0.8)).isGreaterThan(0.95);
        assertThat(Audio.rms(decoded, 800, 6400)).isBetween(12000 / Math.sqrt(2) * 0.7, 12000 / Math.sqrt(2) * 1.3);
    }
}
