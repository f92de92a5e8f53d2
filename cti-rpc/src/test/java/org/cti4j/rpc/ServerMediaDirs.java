package org.cti4j.rpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A server's sounds and recordings directories, in a temporary directory of their own that {@link #close()} deletes
 * with everything in it. Test servers are always given these, so that no test leaves files in the working directory.
 */
final class ServerMediaDirs implements AutoCloseable {

    final Path root;
    final Path sounds;
    final Path recordings;

    ServerMediaDirs() {
        try {
            root = Files.createTempDirectory("cti4j-media-");
            sounds = Files.createDirectory(root.resolve("sounds"));
            recordings = root.resolve("recordings");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gives {@code builder} these directories. */
    RpcServer.Builder apply(RpcServer.Builder builder) {
        return builder.soundsDirectory(sounds).recordingsDirectory(recordings);
    }

    /** Makes an (empty) file in the sounds directory and returns its name, for servers whose media is scripted. */
    String sound(String name) {
        try {
            Path file = sounds.resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[0]);
            return name;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
