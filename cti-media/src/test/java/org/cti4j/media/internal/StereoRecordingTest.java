package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.cti4j.api.RecordFormat;
import org.cti4j.core.spi.MediaException;
import org.cti4j.core.spi.MediaListener;
import org.cti4j.core.spi.PlaySource;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.media.RtpSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records a session in two channels while each side plays its own tone, in every format that allows stereo, and
 * checks each file with sox: two channels, the far end's tone alone on the left, the session's own on the right.
 */
class StereoRecordingTest {

    private static final int FAR_TONE = 440;
    private static final int OWN_TONE = 1200;

    @TempDir
    static Path dir;

    private static final Map<RecordFormat, Path> files = new EnumMap<>(RecordFormat.class);
    private static final Map<RecordFormat, Long> samples = new EnumMap<>(RecordFormat.class);
    private static RtpMediaProvider provider;

    @BeforeAll
    static void recordInStereo() throws IOException {
        provider = Fixture.provider(31000, 31099);
        Path far = Audio.writePcmWav(dir.resolve("far.wav"), Audio.tone(FAR_TONE, 8000, 2.0, 12000), 8000, 1, 16);
        Path own = Audio.writePcmWav(dir.resolve("own.wav"), Audio.tone(OWN_TONE, 8000, 2.0, 12000), 8000, 1, 16);
        Map<RecordFormat, Recording> recordings = new EnumMap<>(RecordFormat.class);
        Map<RecordFormat, Fixture.Completion> done = new EnumMap<>(RecordFormat.class);
        Map<RecordFormat, Fixture.Completion[]> played = new EnumMap<>(RecordFormat.class);
        for (RecordFormat format : RecordFormat.values()) {
            if (!format.allowsStereo()) {
                continue;
            }
            RtpSession farEnd = provider.createSession(new MediaListener() { });
            RtpSession recorder = provider.createSession(new MediaListener() { });
            Fixture.pair(farEnd, recorder);
            files.put(format, dir.resolve("stereo-" + format.name().toLowerCase(Locale.ROOT) + ".wav"));
            done.put(format, new Fixture.Completion());
            played.put(format, new Fixture.Completion[] {new Fixture.Completion(), new Fixture.Completion()});
            recordings.put(format, (Recording) recorder.record(files.get(format).toString(), format, true, true,
                    done.get(format)));
            farEnd.play(new PlaySource.File(far.toString(), false), played.get(format)[0]);
            recorder.play(new PlaySource.File(own.toString(), false), played.get(format)[1]);
        }
        for (RecordFormat format : recordings.keySet()) {
            played.get(format)[0].await("the far end's playback for " + format);
            played.get(format)[1].await("the recorded session's playback for " + format);
            recordings.get(format).stop();
        }
        for (RecordFormat format : recordings.keySet()) {
            done.get(format).await("the stereo recording in " + format);
            assertThat(done.get(format).error()).as(format.name()).isNull();
            assertThat(done.get(format).calls()).isEqualTo(1);
            samples.put(format, recordings.get(format).samplesWritten());
        }
    }

    @AfterAll
    static void stop() {
        provider.close();
    }

    private static void checkChannels(RecordFormat format, String encoding) throws Exception {
        Tools.require("sox");
        Path file = files.get(format);
        String info = Tools.run("sox", "--i", file.toString());
        assertThat(info).contains("Sample Rate    : 8000").contains("Channels       : 2").contains(encoding);
        double recorded = samples.get(format) / 8000.0;
        assertThat(recorded).isGreaterThan(1.9);
        assertThat(Tools.soxDuration(file)).as("sox --i -D").isCloseTo(recorded, within(0.1));
        short[] left = channel(file, 1);
        short[] right = channel(file, 2);
        assertThat(left.length / 8000.0).as("the left channel's length").isCloseTo(recorded, within(0.1));
        assertThat(Audio.toneFraction(middle(left), FAR_TONE, 0.8)).as("the far end's tone, left").isGreaterThan(0.7);
        assertThat(Audio.toneFraction(middle(left), OWN_TONE, 0.1)).as("the own tone, left").isZero();
        assertThat(Audio.toneFraction(middle(right), OWN_TONE, 0.8)).as("the own tone, right").isGreaterThan(0.7);
        assertThat(Audio.toneFraction(middle(right), FAR_TONE, 0.1)).as("the far end's tone, right").isZero();
    }

    /** Returns channel {@code n} (1 or 2) of {@code file}, decoded by sox. */
    private static short[] channel(Path file, int n) throws Exception {
        Path raw = dir.resolve(file.getFileName() + ".channel" + n + ".wav");
        Tools.run("sox", file.toString(), "-b", "16", "-e", "signed-integer", raw.toString(), "remix",
                Integer.toString(n));
        try {
            return Audio.readPcm16(raw);
        } finally {
            Files.delete(raw);
        }
    }

    private static short[] middle(short[] decoded) {
        return Arrays.copyOfRange(decoded, 2400, Math.min(decoded.length, 13600));
    }

    @Test
    void pcm16BitStereoHasEachSideOnItsOwnChannel() throws Exception {
        checkChannels(RecordFormat.PCM_16BIT, "Signed Integer PCM");
    }

    @Test
    void pcm8BitStereoHasEachSideOnItsOwnChannel() throws Exception {
        checkChannels(RecordFormat.PCM_8BIT, "Unsigned Integer PCM");
    }

    @Test
    void alawStereoHasEachSideOnItsOwnChannel() throws Exception {
        checkChannels(RecordFormat.ALAW, "A-law");
    }

    @Test
    void ulawStereoHasEachSideOnItsOwnChannel() throws Exception {
        checkChannels(RecordFormat.ULAW, "u-law");
    }

    @Test
    void formatsWithoutStereoAreRefusedBeforeAnyFileIsMade() {
        RtpSession session = provider.createSession(new MediaListener() { });
        try {
            for (RecordFormat format : new RecordFormat[] {RecordFormat.IMA_ADPCM, RecordFormat.GSM,
                    RecordFormat.MP3}) {
                Path file = dir.resolve("refused-" + format.name().toLowerCase(Locale.ROOT));
                Fixture.Completion completion = new Fixture.Completion();
                assertThatThrownBy(() -> session.record(file.toString(), format, true, true, completion))
                        .isInstanceOf(MediaException.class).hasMessageContaining("cannot be recorded in stereo");
                assertThat(file).doesNotExist();
                assertThat(completion.calls()).isZero();
            }
        } finally {
            session.close();
        }
    }
}
