package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.cti4j.api.RecordFormat;
import org.cti4j.core.spi.MediaListener;
import org.cti4j.core.spi.PlaySource;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.media.RtpSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records a played tone in every format at once (one session pair per format), then checks each file with an
 * independent decoder: sox for WAV and GSM, ffprobe and ffmpeg for MP3.
 */
class RecordingFormatsTest {

    @TempDir
    static Path dir;

    private static final Map<RecordFormat, Path> files = new EnumMap<>(RecordFormat.class);
    private static final Map<RecordFormat, Long> samples = new EnumMap<>(RecordFormat.class);
    private static final Map<RecordFormat, Double> wallSeconds = new EnumMap<>(RecordFormat.class);
    private static RtpMediaProvider provider;

    @BeforeAll
    static void recordEveryFormat() throws IOException {
        provider = Fixture.provider(24000, 24999);
        Path tone = Audio.writePcmWav(dir.resolve("tone.wav"), Audio.tone(440, 8000, 2.0, 12000), 8000, 1, 16);
        Map<RecordFormat, Recording> recordings = new EnumMap<>(RecordFormat.class);
        Map<RecordFormat, Fixture.Completion> done = new EnumMap<>(RecordFormat.class);
        Map<RecordFormat, Fixture.Completion> played = new EnumMap<>(RecordFormat.class);
        Map<RecordFormat, Long> started = new EnumMap<>(RecordFormat.class);
        for (RecordFormat format : RecordFormat.values()) {
            RtpSession player = provider.createSession(new MediaListener() { });
            RtpSession recorder = provider.createSession(new MediaListener() { });
            Fixture.pair(player, recorder);
            String name = "rec-" + format.name().toLowerCase(Locale.ROOT) + switch (format) {
                case GSM -> ".gsm";
                case MP3 -> ".mp3";
                default -> ".wav";
            };
            files.put(format, dir.resolve(name));
            done.put(format, new Fixture.Completion());
            played.put(format, new Fixture.Completion());
            started.put(format, System.nanoTime());
            recordings.put(format, (Recording) recorder.record(files.get(format).toString(), format,
                    done.get(format)));
            player.play(new PlaySource.File(tone.toString(), false), played.get(format));
        }
        for (RecordFormat format : RecordFormat.values()) {
            played.get(format).await("the playback for " + format);
            recordings.get(format).stop();
            wallSeconds.put(format, (System.nanoTime() - started.get(format)) / 1e9);
        }
        for (RecordFormat format : RecordFormat.values()) {
            done.get(format).await("the recording in " + format);
            assertThat(done.get(format).error()).as(format.name()).isNull();
            assertThat(done.get(format).calls()).isEqualTo(1);
            samples.put(format, recordings.get(format).samplesWritten());
        }
    }

    @AfterAll
    static void stop() {
        provider.close();
    }

    private static void checkWithSox(RecordFormat format, String encoding, int bits) throws Exception {
        Tools.require("sox");
        Path file = files.get(format);
        String info = Tools.run("sox", "--i", file.toString());
        assertThat(info).contains("Sample Rate    : 8000").contains("Channels       : 1").contains(encoding);
        if (bits > 0) {
            assertThat(info).contains("Precision      : " + bits + "-bit");
        }
        double recorded = samples.get(format) / 8000.0;
        assertThat(recorded).isGreaterThan(1.9);
        if (format != RecordFormat.GSM) {
            assertThat(Tools.soxDuration(file)).as("sox --i -D").isCloseTo(recorded, within(0.1));
        }
        String stat = Tools.run("sox", file.toString(), "-n", "stat");
        double decodedSeconds = Double.parseDouble(stat.lines().filter(l -> l.startsWith("Length (seconds):"))
                .findFirst().orElseThrow().substring("Length (seconds):".length()).trim());
        assertThat(decodedSeconds).as("sox stat length").isCloseTo(recorded, within(0.1));
        assertThat(recorded).as("recorded vs wall clock").isCloseTo(wallSeconds.get(format), within(0.5));
        assertTone(Tools.soxDecode(file, dir));
    }

    private static void assertTone(short[] decoded) {
        short[] middle = Arrays.copyOfRange(decoded, 1600, Math.min(decoded.length, 14400));
        assertThat(Audio.toneFraction(middle, 440, 0.8)).isGreaterThan(0.8);
    }

    @Test
    void pcm16BitWavIsReadBySox() throws Exception {
        checkWithSox(RecordFormat.PCM_16BIT, "Signed Integer PCM", 16);
    }

    @Test
    void pcm8BitWavIsReadBySox() throws Exception {
        checkWithSox(RecordFormat.PCM_8BIT, "Unsigned Integer PCM", 8);
    }

    @Test
    void alawWavIsReadBySox() throws Exception {
        checkWithSox(RecordFormat.ALAW, "A-law", 13);
    }

    @Test
    void ulawWavIsReadBySox() throws Exception {
        checkWithSox(RecordFormat.ULAW, "u-law", 14);
    }

    @Test
    void imaAdpcmWavIsReadBySox() throws Exception {
        checkWithSox(RecordFormat.IMA_ADPCM, "IMA ADPCM", 0);
        byte[] header = Files.readAllBytes(files.get(RecordFormat.IMA_ADPCM));
        assertThat(header[20] & 0xFF).as("format tag 0x11").isEqualTo(0x11);
        assertThat(new String(header, 40, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("fact");
    }

    @Test
    void gsmIsReadBySox() throws Exception {
        checkWithSox(RecordFormat.GSM, "GSM", 0);
        assertThat(Files.size(files.get(RecordFormat.GSM)) % 33).isZero();
    }

    @Test
    void mp3IsReadByFfprobeAndFfmpeg() throws Exception {
        Tools.require("ffprobe");
        Tools.require("ffmpeg");
        Path file = files.get(RecordFormat.MP3);
        String probe = Tools.run("ffprobe", "-v", "error", "-show_entries",
                "stream=codec_name,sample_rate,channels,start_time",
                "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1", file.toString());
        assertThat(probe).contains("codec_name=mp3").contains("sample_rate=8000").contains("channels=1");
        double duration = number(probe, "duration=");
        double start = number(probe, "start_time=");
        double recorded = samples.get(RecordFormat.MP3) / 8000.0;
        assertThat(recorded).isGreaterThan(1.9);
        assertThat(duration - start).as("ffprobe duration less the encoder delay").isCloseTo(recorded, within(0.1));
        Path decoded = dir.resolve("mp3-decoded.wav");
        Tools.run("ffmpeg", "-v", "error", "-y", "-i", file.toString(), "-ar", "8000", "-ac", "1", "-c:a",
                "pcm_s16le", decoded.toString());
        short[] pcm = Audio.readPcm16(decoded);
        assertThat(pcm.length / 8000.0).as("decoded length").isCloseTo(recorded, within(0.1));
        assertTone(pcm);
    }

    private static double number(String text, String key) {
        return Double.parseDouble(text.lines().filter(l -> l.startsWith(key)).findFirst().orElseThrow()
                .substring(key.length()));
    }
}
