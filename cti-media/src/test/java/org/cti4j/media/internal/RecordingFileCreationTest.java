package org.cti4j.media.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording's file is created as a new file, owner-only, unless it may replace one: an existing file or link is
 * then left alone, with no window between a check and the creation.
 */
class RecordingFileCreationTest {

    private static final long WAIT_MILLIS = Fixture.DEADLINE.toMillis();

    @TempDir
    Path dir;

    private final FileOpener opener = new FileOpener("test-create", 1, WAIT_MILLIS);

    @AfterEach
    void stop() {
        opener.close();
    }

    private void write(Path file, boolean replace, String text) throws IOException {
        try (FileChannel channel = opener.openForWriting(file, replace).await(WAIT_MILLIS)) {
            channel.write(ByteBuffer.wrap(text.getBytes(UTF_8)));
        }
    }

    @Test
    void aNewFileIsReadableAndWritableByItsOwnerOnly() throws IOException {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        Path file = dir.resolve("new.wav");

        write(file, false, "audio");
        Path replaced = dir.resolve("replaced.wav");
        write(replaced, true, "audio");

        assertThat(Files.readString(file)).isEqualTo("audio");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(replaced))).isEqualTo("rw-------");
    }

    @Test
    void anExistingFileIsNotReplacedUnlessAsked() throws IOException {
        Path file = dir.resolve("old.wav");
        Files.writeString(file, "earlier recording");

        assertThatThrownBy(() -> write(file, false, "new")).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo("earlier recording");

        write(file, true, "new");
        assertThat(Files.readString(file)).isEqualTo("new");
    }

    @Test
    void aLinkIsNotFollowedWhenNoFileMayBeReplaced() throws IOException {
        Path target = dir.resolve("elsewhere.txt");
        Files.writeString(target, "precious");
        Path link = Files.createSymbolicLink(dir.resolve("link.wav"), target);

        assertThatThrownBy(() -> write(link, false, "new")).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(target)).isEqualTo("precious");
    }
}
