package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavReaderTest {

    @TempDir
    Path dir;

    private static short[] readAll(Path file) throws IOException {
        try (WavReader reader = WavReader.open(file)) {
            short[] samples = new short[(int) reader.frames()];
            int n = 0;
            int read;
            while (n < samples.length && (read = reader.read(samples, n, Math.min(333, samples.length - n))) > 0) {
                n += read;
            }
            assertThat(reader.read(new short[10], 0, 10)).isEqualTo(-1);
            return samples;
        }
    }

    @Test
    void readsSixteenBitPcm() throws IOException {
        short[] tone = Audio.tone(440, 8000, 0.5, 12000);
        short[] read = readAll(Audio.writePcmWav(dir.resolve("a.wav"), tone, 8000, 1, 16));
        assertThat(read).containsExactly(tone);
    }

    @Test
    void readsUnsignedEightBitPcm() throws IOException {
        short[] tone = Audio.tone(440, 8000, 0.5, 12000);
        short[] read = readAll(Audio.writePcmWav(dir.resolve("a.wav"), tone, 8000, 1, 8));
        assertThat(read).hasSameSizeAs(tone);
        for (int i = 0; i < tone.length; i++) {
            assertThat(Math.abs(read[i] - tone[i])).isLessThanOrEqualTo(256);
        }
    }

    @Test
    void readsAlawAndUlaw() throws IOException {
        short[] tone = Audio.tone(1000, 8000, 0.3, 12000);
        byte[] alaw = new byte[tone.length];
        byte[] ulaw = new byte[tone.length];
        G711.encode(Codec.PCMA, tone, 0, alaw, 0, tone.length);
        G711.encode(Codec.PCMU, tone, 0, ulaw, 0, tone.length);
        short[] fromAlaw = readAll(Audio.writeG711Wav(dir.resolve("a.wav"), alaw, 8000, 6));
        short[] fromUlaw = readAll(Audio.writeG711Wav(dir.resolve("u.wav"), ulaw, 8000, 7));
        for (int i = 0; i < tone.length; i++) {
            assertThat(fromAlaw[i]).isEqualTo(G711.alawToLinear(alaw[i]));
            assertThat(fromUlaw[i]).isEqualTo(G711.ulawToLinear(ulaw[i]));
        }
    }

    @Test
    void foldsStereoToMonoByAveraging() throws IOException {
        short[] interleaved = {1000, 3000, -2000, -4000, 10, 20};
        WavReader reader = WavReader.open(Audio.writePcmWav(dir.resolve("s.wav"), interleaved, 44100, 2, 16));
        try (reader) {
            assertThat(reader.channels()).isEqualTo(2);
            assertThat(reader.sampleRate()).isEqualTo(44100);
            short[] mono = new short[3];
            assertThat(reader.read(mono, 0, 3)).isEqualTo(3);
            assertThat(mono).containsExactly((short) 2000, (short) -3000, (short) 15);
        }
    }

    @Test
    void skipsUnknownChunksAndStartsOverOnRewind() throws IOException {
        short[] tone = Audio.tone(440, 8000, 0.1, 12000);
        Path plain = Audio.writePcmWav(dir.resolve("p.wav"), tone, 8000, 1, 16);
        byte[] bytes = Files.readAllBytes(plain);
        byte[] withList = new byte[bytes.length + 13 + 1];
        System.arraycopy(bytes, 0, withList, 0, 36);
        byte[] list = {'L', 'I', 'S', 'T', 5, 0, 0, 0, 'h', 'e', 'l', 'l', 'o', 0};
        System.arraycopy(list, 0, withList, 36, list.length);
        System.arraycopy(bytes, 36, withList, 36 + list.length, bytes.length - 36);
        Path file = Files.write(dir.resolve("l.wav"), withList);
        try (WavReader reader = WavReader.open(file)) {
            short[] first = new short[tone.length];
            assertThat(reader.read(first, 0, first.length)).isEqualTo(tone.length);
            reader.rewind();
            short[] again = new short[tone.length];
            assertThat(reader.read(again, 0, again.length)).isEqualTo(tone.length);
            assertThat(again).containsExactly(tone);
        }
    }

    @Test
    void refusesWhatIsNotAWavFileOrNotSupported() throws IOException {
        Path text = Files.writeString(dir.resolve("t.wav"), "this is not audio at all, just some text");
        assertThatThrownBy(() -> WavReader.open(text)).isInstanceOf(WavReader.FormatException.class)
                .hasMessage("not a WAV file");
        byte[] adpcm = Files.readAllBytes(Audio.writePcmWav(dir.resolve("x.wav"), new short[10], 8000, 1, 16));
        adpcm[20] = 0x11;
        Path unsupported = Files.write(dir.resolve("ima.wav"), adpcm);
        assertThatThrownBy(() -> WavReader.open(unsupported)).isInstanceOf(WavReader.FormatException.class)
                .hasMessageContaining("unsupported WAV encoding (format 17");
        Path truncated = Files.write(dir.resolve("tr.wav"), java.util.Arrays.copyOf(adpcm, 30));
        assertThatThrownBy(() -> WavReader.open(truncated)).isInstanceOf(WavReader.FormatException.class);
        assertThatThrownBy(() -> WavReader.open(dir.resolve("missing.wav"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void readsWhatSoxWritesInEveryPlayableEncoding() throws Exception {
        Tools.require("sox");
        String[][] encodings = {
            {"-e", "signed-integer", "-b", "16"}, {"-e", "unsigned-integer", "-b", "8"},
            {"-e", "a-law", "-b", "8"}, {"-e", "u-law", "-b", "8"}, {"-e", "floating-point", "-b", "32"},
            {"-e", "signed-integer", "-b", "24"},
        };
        for (String[] encoding : encodings) {
            Path file = dir.resolve("sox-" + encoding[1] + encoding[3] + ".wav");
            Tools.run("sox", "-n", "-r", "16000", "-c", "2", encoding[0], encoding[1], encoding[2], encoding[3],
                    file.toString(), "synth", "0.5", "sine", "1000", "vol", "0.5");
            try (WavReader reader = WavReader.open(file)) {
                assertThat(reader.sampleRate()).isEqualTo(16000);
                assertThat(reader.channels()).isEqualTo(2);
            }
            short[] samples = readAll(file);
            assertThat(samples.length).as(file.toString()).isEqualTo(8000);
            assertThat(Audio.relativePower(samples, 1000, 6000, 16000, 1000)).as(file.toString()).isGreaterThan(0.9);
            assertThat(Audio.rms(samples, 1000, 6000)).as(file.toString()).isBetween(10000.0, 13500.0);
        }
    }
}
