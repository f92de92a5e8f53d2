package org.cti4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaFilesTest {

    @TempDir
    Path root;

    private Path sounds;
    private Path recordings;
    private Path outside;
    private MediaFiles files;

    @BeforeEach
    void directories() throws IOException {
        sounds = Files.createDirectory(root.resolve("sounds"));
        recordings = root.resolve("recordings");
        outside = Files.writeString(root.resolve("secret.txt"), "secret");
        files = MediaFiles.confined(sounds, recordings);
    }

    @Test
    void aNameInsideTheSoundsDirectoryIsItsRealPath() throws IOException {
        Path hello = Files.writeString(Files.createDirectory(sounds.resolve("en")).resolve("hello.wav"), "x");

        assertThat(files.forPlaying("play_file", "en/hello.wav")).isEqualTo(hello.toRealPath());
    }

    @Test
    void theRecordingsPrefixPlaysFromTheRecordingsDirectory() throws IOException {
        Files.createDirectory(recordings);
        Path call = Files.writeString(recordings.resolve("call.wav"), "x");

        assertThat(files.forPlaying("play_file", "recordings/call.wav")).isEqualTo(call.toRealPath());
        assertThatThrownBy(() -> files.forPlaying("play_file", "call.wav"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("names no file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/etc/passwd", "../secret.txt", "a/../../secret.txt", "./hello.wav", "a//b.wav",
        "a/", "..", "recordings/../secret.txt", "recordings/", "hello\0.wav", "line\nbreak.wav", "del\u007f.wav",
        "..\\secret.txt", "en\\hello.wav"})
    void aNameThatIsNotAPlainRelativePathIsRefusedWithoutLookingAtTheFileSystem(String name) {
        assertThatThrownBy(() -> files.forPlaying("ring_play_file", name))
                .isInstanceOfSatisfying(InvalidArgumentException.class,
                        e -> assertThat(e.parameter()).isEqualTo("ring_play_file"))
                .hasMessageStartingWith("ring_play_file '");
        assertThatThrownBy(() -> files.forRecording("record_file", name, true))
                .isInstanceOfSatisfying(InvalidArgumentException.class,
                        e -> assertThat(e.parameter()).isEqualTo("record_file"));
    }

    @Test
    void aVeryLongNameIsRefused() {
        assertThatThrownBy(() -> files.forPlaying("play_file", "a".repeat(MediaFiles.MAX_NAME + 1)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("longer than");
    }

    @Test
    void aLinkLeadingOutsideIsRefusedAsAMissingFileIs() throws IOException {
        Files.createSymbolicLink(sounds.resolve("passwd.wav"), outside);
        Files.createSymbolicLink(sounds.resolve("gone.wav"), root.resolve("no-such-file"));
        Files.createSymbolicLink(sounds.resolve("up"), root);

        String linked = message(() -> files.forPlaying("play_file", "passwd.wav"));
        assertThat(linked).isEqualTo("play_file 'passwd.wav' names no file in the sounds directory");
        // A link to something outside that exists and one to nothing are answered alike: nothing can be probed.
        assertThat(message(() -> files.forPlaying("play_file", "gone.wav")))
                .isEqualTo("play_file 'gone.wav' names no file in the sounds directory");
        assertThat(message(() -> files.forPlaying("play_file", "up/secret.txt")))
                .isEqualTo("play_file 'up/secret.txt' names no file in the sounds directory");
        assertThat(message(() -> files.forPlaying("play_file", "up/nothing.txt")))
                .isEqualTo("play_file 'up/nothing.txt' names no file in the sounds directory");
    }

    @Test
    void aDirectoryIsNotAFileToPlay() throws IOException {
        Files.createDirectory(sounds.resolve("en"));

        assertThatThrownBy(() -> files.forPlaying("play_file", "en")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void aRecordingGoesInsideTheRecordingsDirectoryWhichIsMadeOwnerOnly() throws IOException {
        Path file = files.forRecording("record_file", "call.wav", false);

        assertThat(file).isEqualTo(recordings.toRealPath().resolve("call.wav"));
        assertThat(Files.exists(file)).isFalse();
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(recordings)))
                    .isEqualTo("rwx------");
        }
    }

    @Test
    void aRecordingMayGoInAnExistingSubDirectoryOnly() throws IOException {
        Files.createDirectories(recordings.resolve("2026"));

        assertThat(files.forRecording("record_file", "2026/call.wav", false))
                .isEqualTo(recordings.toRealPath().resolve("2026/call.wav"));
        assertThatThrownBy(() -> files.forRecording("record_file", "2027/call.wav", false))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("record_file '2027/call.wav' is not a file name in an existing directory of the"
                        + " recordings directory");
        assertThat(Files.exists(recordings.resolve("2027"))).isFalse();
    }

    @Test
    void aRecordingIsNeverWrittenThroughALinkOrIntoALinkedDirectoryOutside() throws IOException {
        Files.createDirectory(recordings);
        Files.createSymbolicLink(recordings.resolve("keys"), outside);
        Files.createSymbolicLink(recordings.resolve("up"), root);

        String refused = "is not a file name in an existing directory of the recordings directory";
        assertThatThrownBy(() -> files.forRecording("record_file", "keys", true)).hasMessageContaining(refused);
        assertThatThrownBy(() -> files.forRecording("record_file", "up/new.wav", true))
                .hasMessageContaining(refused);
        assertThatThrownBy(() -> files.forRecording("record_file", "up/secret.txt", true))
                .hasMessageContaining(refused);
    }

    @Test
    void anExistingRecordingIsReplacedOnlyWhenAsked() throws IOException {
        Files.createDirectory(recordings);
        Files.writeString(recordings.resolve("call.wav"), "x");

        assertThatThrownBy(() -> files.forRecording("record_file", "call.wav", false))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("record_file 'call.wav' exists already; set record_overwrite to replace it");
        assertThat(files.forRecording("record_file", "call.wav", true))
                .isEqualTo(recordings.toRealPath().resolve("call.wav"));
    }

    @Test
    void theUnrestrictedPolicyTakesEveryNameAsAPathAndReplacesByDefault() {
        MediaFiles unrestricted = MediaFiles.unrestricted();

        assertThat(unrestricted.isConfined()).isFalse();
        assertThat(unrestricted.forPlaying("play_file", "/etc/passwd")).isEqualTo(Path.of("/etc/passwd"));
        assertThat(unrestricted.forRecording("record_file", "../x.wav", false)).isEqualTo(Path.of("../x.wav"));
        assertThat(unrestricted.replaces(null)).isTrue();
        assertThat(unrestricted.replaces(false)).isFalse();
        assertThatThrownBy(unrestricted::soundsDirectory).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aConfinedPolicyReplacesOnlyWhenTheRequestSays() {
        assertThat(files.isConfined()).isTrue();
        assertThat(files.replaces(null)).isFalse();
        assertThat(files.replaces(true)).isTrue();
        assertThat(files.soundsDirectory()).isEqualTo(sounds.toAbsolutePath());
        assertThat(files.recordingsDirectory()).isEqualTo(recordings.toAbsolutePath());
    }

    @Test
    void relativeDirectoriesAreTakenFromTheWorkingDirectory() {
        MediaFiles relative = MediaFiles.confined(Path.of("sounds"), Path.of("recordings"));

        assertThat(relative.soundsDirectory()).isEqualTo(Path.of("").toAbsolutePath().resolve("sounds"));
        assertThat(relative.recordingsDirectory()).isEqualTo(Path.of("").toAbsolutePath().resolve("recordings"));
    }

    private static String message(Runnable action) {
        try {
            action.run();
        } catch (InvalidArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("not refused");
    }
}
