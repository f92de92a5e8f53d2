package org.cti4j.media.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.cti4j.api.RecordFormat;
import org.cti4j.core.spi.MediaListener;
import org.cti4j.core.spi.MediaOperation;
import org.cti4j.core.spi.PlaySource;
import org.cti4j.core.testing.Await;
import org.cti4j.media.RtpMediaConfig;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.media.RtpSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybackTest {

    @TempDir
    Path dir;

    private RtpMediaProvider provider;
    private RtpSession a;
    private RtpSession b;

    @BeforeEach
    void start() {
        provider = new RtpMediaProvider(RtpMediaConfig.builder().rtpPorts(25000, 25999).workers(2)
                .ringback(450, Duration.ofMillis(300), Duration.ofMillis(300)).build());
        a = provider.createSession(new MediaListener() { });
        b = provider.createSession(new MediaListener() { });
        Fixture.pair(a, b);
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    private Path tone(double frequency, int rate, double seconds) throws IOException {
        return Audio.writePcmWav(dir.resolve(frequency + "-" + rate + "-" + seconds + ".wav"),
                Audio.tone(frequency, rate, seconds, 12000), rate, 1, 16);
    }

    private short[] recordB(Runnable during) throws IOException {
        Path file = dir.resolve("b-" + System.nanoTime() + ".wav");
        Fixture.Completion done = new Fixture.Completion();
        MediaOperation recording = b.record(file.toString(), RecordFormat.PCM_16BIT, done);
        during.run();
        recording.stop();
        done.await("the recording");
        return Audio.readPcm16(file);
    }

    @Test
    void aMissingFileCompletesWithAnErrorAndTheSessionGoesOn() throws IOException {
        Fixture.Completion missing = new Fixture.Completion();
        String path = dir.resolve("nothing-here.wav").toString();
        a.play(new PlaySource.File(path, false), missing);
        missing.await("the failed playback");
        assertThat(missing.error()).isEqualTo("cannot play " + path + ": no such file");
        assertThat(missing.calls()).isEqualTo(1);
        Fixture.Completion good = new Fixture.Completion();
        Path file = tone(440, 8000, 0.6);
        short[] heard = recordB(() -> {
            a.play(new PlaySource.File(file.toString(), false), good);
            good.await("the good playback");
        });
        assertThat(good.error()).isNull();
        assertThat(Audio.toneFraction(Arrays.copyOfRange(heard, 800, 4400), 440, 0.8)).isGreaterThan(0.8);
    }

    @Test
    void aCorruptOrUnsupportedFileCompletesWithAnErrorNamingWhy() throws IOException {
        Path corrupt = Files.write(dir.resolve("corrupt.wav"), "RIFF....WAVEjunkjunkjunk".getBytes(UTF_8));
        Path text = Files.writeString(dir.resolve("text.wav"), "hello, this is not a sound file");
        Fixture.Completion first = new Fixture.Completion();
        Fixture.Completion second = new Fixture.Completion();
        a.play(new PlaySource.File(corrupt.toString(), false), first);
        first.await("the corrupt playback");
        a.play(new PlaySource.File(text.toString(), true), second);
        second.await("the text playback");
        assertThat(first.error()).startsWith("cannot play " + corrupt + ": ");
        assertThat(second.error()).isEqualTo("cannot play " + text + ": not a WAV file");
        Fixture.awaitPackets(b, 10);
    }

    @Test
    void filesAtOtherRatesAndInStereoArePlayedAtTheirPitch() throws IOException {
        short[] left = Audio.tone(1000, 44100, 1.0, 12000);
        short[] stereo = new short[left.length * 2];
        for (int i = 0; i < left.length; i++) {
            stereo[2 * i] = left[i];
            stereo[2 * i + 1] = left[i];
        }
        Path file = Audio.writePcmWav(dir.resolve("stereo.wav"), stereo, 44100, 2, 16);
        Fixture.Completion played = new Fixture.Completion();
        short[] heard = recordB(() -> {
            a.play(new PlaySource.File(file.toString(), false), played);
            played.await("the playback");
        });
        assertThat(played.error()).isNull();
        assertThat(Audio.toneFraction(Arrays.copyOfRange(heard, 800, 7200), 1000, 0.8)).isGreaterThan(0.8);
    }

    /** Returns where the first and after the last sample louder than 2000 are, or {0, 0} if there is none. */
    private static int[] loudSpan(short[] samples) {
        int first = -1;
        int last = -1;
        for (int i = 0; i < samples.length; i++) {
            if (Math.abs(samples[i]) > 2000) {
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        return first < 0 ? new int[] {0, 0} : new int[] {first, last + 1};
    }

    @Test
    void aPlaylistPlaysItsFilesInOrderWithoutAGapAsManyTimesAsAsked() throws IOException {
        // 0.4 s of 440 Hz at 8 kHz, then 0.4 s of 1000 Hz at 16 kHz (resampled), the list twice: 1.6 s of tone
        Path low = tone(440, 8000, 0.4);
        Path high = tone(1000, 16000, 0.4);
        Fixture.Completion played = new Fixture.Completion();
        short[] heard = recordB(() -> {
            a.play(new PlaySource.Playlist(java.util.List.of(low.toString(), high.toString()), 1), played);
            played.await("the playlist");
        });
        assertThat(played.error()).isNull();
        assertThat(played.calls()).isEqualTo(1);
        int[] span = loudSpan(heard);
        // four files of 3200 samples each, one after another: a gap between two would lengthen the span
        assertThat(span[1] - span[0]).as("samples from the first loud one to the last").isBetween(12_800 - 400,
                12_800 + 160);
        int[] expected = {440, 1000, 440, 1000};
        for (int part = 0; part < 4; part++) {
            // each file's 0.4 s, without 50 ms at either end
            int from = span[0] + part * 3200 + 400;
            short[] middle = Arrays.copyOfRange(heard, from, from + 2400);
            assertThat(Audio.toneFraction(middle, expected[part], 0.8)).as("part %d: %d Hz", part, expected[part])
                    .isGreaterThan(0.8);
        }
    }

    @Test
    void aPlaylistWhoseSecondFileIsMissingPlaysTheFirstThenFailsNamingTheSecond() throws IOException {
        Path good = tone(440, 8000, 0.6);
        String missing = dir.resolve("missing.wav").toString();
        Fixture.Completion played = new Fixture.Completion();
        short[] heard = recordB(() -> {
            a.play(new PlaySource.Playlist(java.util.List.of(good.toString(), missing), 0), played);
            played.await("the playlist");
        });
        assertThat(played.error()).isEqualTo("cannot play " + missing + ": no such file");
        assertThat(played.calls()).isEqualTo(1);
        int[] span = loudSpan(heard);
        assertThat(span[1] - span[0]).as("the first file was heard whole before the failure")
                .isGreaterThan(4800 - 400);
    }

    @Test
    void aRepeatedListOfEmptyFilesEndsAtOnceAndALoopedEmptyFileToo() throws IOException {
        Path empty = Audio.writePcmWav(dir.resolve("empty.wav"), new short[0], 8000, 1, 16);
        Fixture.Completion list = new Fixture.Completion();
        a.play(new PlaySource.Playlist(java.util.List.of(empty.toString(), empty.toString()), 99), list);
        list.await("the list of empty files");
        assertThat(list.error()).isNull();
        Fixture.Completion loop = new Fixture.Completion();
        a.play(new PlaySource.File(empty.toString(), true), loop);
        loop.await("the looped empty file");
        assertThat(loop.error()).isNull();
    }

    @Test
    void stopCompletesOnceWithoutErrorAndAnotherPlayReplacesTheFirst() throws IOException {
        Fixture.Completion looped = new Fixture.Completion();
        MediaOperation loop = a.play(new PlaySource.File(tone(440, 16000, 0.2).toString(), true), looped);
        Fixture.awaitPackets(b, 25);
        assertThat(looped.done()).as("a looped file goes on").isFalse();
        loop.stop();
        loop.stop();
        assertThat(looped.calls()).isEqualTo(1);
        assertThat(looped.error()).isNull();

        Fixture.Completion first = new Fixture.Completion();
        Fixture.Completion second = new Fixture.Completion();
        a.play(new PlaySource.File(tone(440, 8000, 5).toString(), false), first);
        Path replacement = tone(1000, 8000, 0.8);
        short[] heard = recordB(() -> {
            a.play(new PlaySource.File(replacement.toString(), false), second);
            second.await("the second playback");
        });
        assertThat(first.calls()).isEqualTo(1);
        assertThat(first.error()).isNull();
        assertThat(Audio.toneFraction(Arrays.copyOfRange(heard, 800, 5600), 1000, 0.8)).isGreaterThan(0.8);
        assertThat(Audio.toneFraction(heard, 440, 0.5)).isLessThan(0.1);
    }

    @Test
    void ringbackFollowsItsCadenceUntilStopped() throws IOException {
        Fixture.Completion ringing = new Fixture.Completion();
        MediaOperation[] ringback = new MediaOperation[1];
        short[] heard = recordB(() -> {
            ringback[0] = a.play(new PlaySource.Ringback(), ringing);
            Fixture.awaitPackets(b, 120);
        });
        ringback[0].stop();
        assertThat(ringing.calls()).isEqualTo(1);
        double on = Audio.toneFraction(heard, 450, 0.8);
        assertThat(on).isBetween(0.3, 0.65);
        assertThat(Audio.toneFraction(heard, 1000, 0.5)).isZero();
    }

    @Test
    void closingTheSessionEndsItsPlaybackAndLeavesItsRecordingComplete() throws Exception {
        Fixture.Completion played = new Fixture.Completion();
        Fixture.Completion recorded = new Fixture.Completion();
        a.play(new PlaySource.File(tone(440, 8000, 10).toString(), false), played);
        Path file = dir.resolve("closing.wav");
        b.record(file.toString(), RecordFormat.ULAW, recorded);
        Fixture.awaitPackets(b, 40);
        b.close();
        assertThat(recorded.calls()).as("completed when close returns").isEqualTo(1);
        assertThat(recorded.error()).isNull();
        try (WavReader reader = WavReader.open(file)) {
            assertThat(reader.frames()).isGreaterThan(4000);
        }
        a.close();
        a.close();
        assertThat(played.calls()).isEqualTo(1);
        assertThat(played.error()).isNull();
        Fixture.Completion late = new Fixture.Completion();
        a.play(new PlaySource.Ringback(), late);
        assertThat(late.error()).isEqualTo("the media session is closed");
        Await.until("both ports back", Fixture.DEADLINE, () -> provider.freePorts() == provider.portCapacity());
    }

    @Test
    void closingTheProviderCompletesEveryRecording() throws Exception {
        Path file = dir.resolve("provider.wav");
        Fixture.Completion recorded = new Fixture.Completion();
        a.play(new PlaySource.File(tone(440, 8000, 10).toString(), false), new Fixture.Completion());
        b.record(file.toString(), RecordFormat.PCM_16BIT, recorded);
        Fixture.awaitPackets(b, 40);
        provider.close();
        provider.close();
        assertThat(recorded.calls()).isEqualTo(1);
        short[] heard = Audio.readPcm16(file);
        assertThat(heard.length).isGreaterThan(4000);
        assertThat(Audio.toneFraction(Arrays.copyOfRange(heard, 1600, heard.length - 400), 440, 0.8))
                .isGreaterThan(0.8);
    }

    @Test
    void aRecordingThatCannotBeOpenedCompletesWithAnError() {
        Fixture.Completion failed = new Fixture.Completion();
        String path = dir.resolve("no/such/dir/x.wav").toString();
        b.record(path, RecordFormat.PCM_16BIT, failed);
        failed.await("the failed recording");
        assertThat(failed.error()).isEqualTo("cannot record " + path + ": no such directory");
        Fixture.awaitPackets(b, 10);
    }
}
