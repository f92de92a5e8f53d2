package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.cti4j.core.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the regular-file check cannot exclude (a path swapped for a FIFO after the check, a hung network file system)
 * is bounded by the opener's timeout: the stuck open is abandoned and counted, and other opens go on meanwhile.
 */
class FileOpenerTest {

    @TempDir
    Path dir;

    private FileOpener opener;
    private Path fifo;

    @BeforeEach
    void start() throws Exception {
        opener = new FileOpener("test-open", 1, 300);
        fifo = Fifos.make(dir.resolve("fifo"));
    }

    @AfterEach
    void stop() throws IOException {
        try {
            Fifos.unblockAndDelete(fifo);
        } finally {
            opener.close();
        }
    }

    private static FileChannel awaitOpen(FileOpener.Pending pending) throws IOException {
        long deadline = System.nanoTime() + Fixture.DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            FileChannel channel = pending.poll();
            if (channel != null) {
                return channel;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the open did not finish");
    }

    @Test
    // Opening the FIFO's other end is what unblocks the stuck open; the channel is only held.
    @SuppressWarnings("try")
    void aStuckOpenTimesOutIsCountedAndDoesNotHoldUpTheNextOpen() throws Exception {
        FileOpener.Pending stuck = opener.openUnchecked(fifo, false);
        Await.until("the stuck open to time out", Fixture.DEADLINE, () -> {
            try {
                return stuck.poll() != null;
            } catch (IOException e) {
                assertThat(e).hasMessage("opening it did not finish in time");
                return true;
            }
        });
        assertThat(opener.stuckOpens()).isEqualTo(1);

        // The only regular thread is stuck in the FIFO's open: a new one takes its place.
        Path file = Files.writeString(dir.resolve("plain.wav"), "data");
        try (FileChannel channel = awaitOpen(opener.openForReading(file))) {
            assertThat(channel.size()).isEqualTo(4);
        }

        try (FileChannel unblock = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Await.until("the abandoned open to finish and be closed", Fixture.DEADLINE,
                    () -> opener.stuckOpens() == 0);
        }
    }

    @Test
    void theCheckRefusesAFifoBeforeAnyOpen() {
        FileOpener.Pending reading = opener.openForReading(fifo);
        FileOpener.Pending writing = opener.openForWriting(fifo, true);
        assertThatThrownBy(() -> awaitOpen(reading)).isInstanceOf(FileOpener.NotRegularFileException.class)
                .hasMessage("not a regular file");
        assertThatThrownBy(() -> awaitOpen(writing)).isInstanceOf(FileOpener.NotRegularFileException.class);
        assertThat(opener.stuckOpens()).isZero();
    }
}
