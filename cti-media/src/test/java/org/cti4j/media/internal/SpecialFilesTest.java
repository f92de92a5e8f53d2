package org.cti4j.media.internal;

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
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.media.RtpSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file name that is not a regular file (a FIFO, a directory, a link to a FIFO) given to a playback or a recording
 * fails that one operation with an error naming the file, at once, while every other call's playbacks and
 * recordings go on: opening a FIFO blocks until its other end opens, and must never hold the shared I/O thread.
 */
class SpecialFilesTest {

    /** Far shorter than a stuck open (forever), far longer than a refusal takes on a loaded machine. */
    private static final Duration QUICKLY = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private RtpMediaProvider provider;
    private RtpSession a1;
    private RtpSession a2;
    private RtpSession b1;
    private RtpSession b2;
    private Path fifo;

    @BeforeEach
    void start() throws Exception {
        fifo = Fifos.make(dir.resolve("fifo.wav"));
        provider = Fixture.provider(21400, 21499);
        a1 = provider.createSession(new MediaListener() { });
        a2 = provider.createSession(new MediaListener() { });
        b1 = provider.createSession(new MediaListener() { });
        b2 = provider.createSession(new MediaListener() { });
        Fixture.pair(a1, a2);
        Fixture.pair(b1, b2);
    }

    @AfterEach
    void stop() throws IOException {
        try {
            Fifos.unblockAndDelete(fifo);
        } finally {
            if (provider != null) {
                provider.close();
            }
        }
    }

    private Path tone(double frequency, double seconds) throws IOException {
        return Audio.writePcmWav(dir.resolve(frequency + "-" + seconds + ".wav"),
                Audio.tone(frequency, 8000, seconds, 12000), 8000, 1, 16);
    }

    /** Call B plays a tone to itself and records it, and both work, whatever call A is doing. */
    private void callBPlaysAndRecords() throws IOException {
        Path recorded = dir.resolve("b-" + System.nanoTime() + ".wav");
        Fixture.Completion recording = new Fixture.Completion();
        Fixture.Completion playback = new Fixture.Completion();
        MediaOperation record = b2.record(recorded.toString(), RecordFormat.PCM_16BIT, recording);
        b1.play(new PlaySource.File(tone(1000, 0.6).toString(), false), playback);
        playback.await("call B's playback");
        record.stop();
        recording.await("call B's recording");
        assertThat(playback.error()).isNull();
        assertThat(recording.error()).isNull();
        short[] heard = Audio.readPcm16(recorded);
        assertThat(heard.length).isGreaterThan(4000);
        assertThat(Audio.toneFraction(Arrays.copyOfRange(heard, 800, 4000), 1000, 0.8)).isGreaterThan(0.8);
    }

    @Test
    void playingAFifoFailsThatPlaybackAtOnceWhileOtherCallsPlayAndRecord() throws IOException {
        Fixture.Completion onFifo = new Fixture.Completion();
        a1.play(new PlaySource.File(fifo.toString(), false), onFifo);
        callBPlaysAndRecords();
        Await.until("the FIFO's playback to complete", QUICKLY, onFifo::done);
        assertThat(onFifo.error()).isEqualTo("cannot play " + fifo + ": not a regular file");
        assertThat(onFifo.calls()).isEqualTo(1);

        Fixture.Completion afterwards = new Fixture.Completion();
        MediaOperation next = a1.play(new PlaySource.File(tone(440, 5).toString(), false), afterwards);
        Fixture.awaitPackets(a2, 10);
        next.stop();
        assertThat(afterwards.calls()).as("play_stop works on the same call").isEqualTo(1);
        a1.close();
    }

    @Test
    void aLoopedRingFileThatIsAFifoFailsToo() throws IOException {
        Fixture.Completion onFifo = new Fixture.Completion();
        a1.play(new PlaySource.File(fifo.toString(), true), onFifo);
        Await.until("the FIFO's ring playback to complete", QUICKLY, onFifo::done);
        assertThat(onFifo.error()).isEqualTo("cannot play " + fifo + ": not a regular file");
        callBPlaysAndRecords();
    }

    @Test
    void recordingIntoAFifoFailsThatRecordingAtOnceWhileOtherCallsPlayAndRecord() throws IOException {
        Fixture.Completion onFifo = new Fixture.Completion();
        a2.record(fifo.toString(), RecordFormat.PCM_16BIT, onFifo);
        callBPlaysAndRecords();
        Await.until("the FIFO's recording to complete", QUICKLY, onFifo::done);
        assertThat(onFifo.error()).isEqualTo("cannot record " + fifo + ": not a regular file");
        assertThat(onFifo.calls()).isEqualTo(1);
        a2.close();
        assertThat(onFifo.calls()).isEqualTo(1);
    }

    @Test
    void aDirectoryOrALinkToAFifoIsRefusedLikeAFifo() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link.wav"), fifo);
        Fixture.Completion directory = new Fixture.Completion();
        Fixture.Completion linked = new Fixture.Completion();
        Fixture.Completion recordLinked = new Fixture.Completion();
        a1.play(new PlaySource.File(dir.toString(), false), directory);
        Await.until("the directory's playback to complete", QUICKLY, directory::done);
        b1.play(new PlaySource.File(link.toString(), false), linked);
        a2.record(link.toString(), RecordFormat.ULAW, recordLinked);
        Await.until("the link's playback to complete", QUICKLY, linked::done);
        Await.until("the link's recording to complete", QUICKLY, recordLinked::done);
        assertThat(directory.error()).isEqualTo("cannot play " + dir + ": not a regular file");
        assertThat(linked.error()).isEqualTo("cannot play " + link + ": not a regular file");
        assertThat(recordLinked.error()).isEqualTo("cannot record " + link + ": not a regular file");
        callBPlaysAndRecords();
    }
}
