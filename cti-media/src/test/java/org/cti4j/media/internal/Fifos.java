package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/** Named pipes for the tests of files that are not regular files: made with {@code mkfifo}, removed afterwards. */
final class Fifos {

    private Fifos() {
    }

    /** Makes a FIFO at {@code path} with {@code mkfifo}. */
    static Path make(Path path) throws IOException, InterruptedException {
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
        try {
            assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS)).as("mkfifo finished").isTrue();
            assertThat(mkfifo.exitValue()).as("mkfifo's exit status").isZero();
        } finally {
            mkfifo.destroyForcibly();
        }
        return path;
    }

    /**
     * Lets any open of the FIFO that still waits for its other end finish, then deletes it. Opening a FIFO for
     * reading and writing at once never blocks (Linux), so no thread of a test is left stuck, with or without the
     * engine's protection against FIFOs.
     */
    static void unblockAndDelete(Path fifo) throws IOException {
        if (fifo == null || !Files.exists(fifo)) {
            return;
        }
        try (FileChannel unblock = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertThat(unblock.isOpen()).isTrue();
        } finally {
            Files.deleteIfExists(fifo);
        }
    }
}
