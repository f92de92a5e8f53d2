package org.cti4j.core.spi;

import java.util.List;
import java.util.Objects;

/** What a {@link MediaSession} plays. */
public sealed interface PlaySource permits PlaySource.File, PlaySource.Playlist, PlaySource.Ringback {

    /**
     * A sound file.
     *
     * @param path the file's path
     * @param loop whether to start over at its end (until stopped)
     */
    record File(String path, boolean loop) implements PlaySource {
        /** Checks the parts. */
        public File {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * Sound files played one after another without a gap, the whole list {@code 1 + repeat} times. A provider opens
     * each when its turn comes; one that cannot be played ends the playback with an error naming it.
     *
     * @param paths the files' paths, in order, at least one
     * @param repeat how many more times the list is played, 0 or more
     */
    record Playlist(List<String> paths, int repeat) implements PlaySource {
        /** Checks the parts; keeps an unmodifiable copy of the paths. */
        public Playlist {
            paths = List.copyOf(paths);
            if (paths.isEmpty()) {
                throw new IllegalArgumentException("a playlist needs a file");
            }
            if (repeat < 0) {
                throw new IllegalArgumentException("repeat " + repeat + " is negative");
            }
        }
    }

    /** A generated ringback tone (default 450 Hz, 1 s on, 4 s off), until stopped. */
    record Ringback() implements PlaySource {
    }
}
