package org.cti4j.core.spi;

import java.util.Objects;

/** What a {@link MediaSession} plays. */
public sealed interface PlaySource permits PlaySource.File, PlaySource.Ringback {

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

    /** A generated ringback tone (default 450 Hz, 1 s on, 4 s off), until stopped. */
    record Ringback() implements PlaySource {
    }
}
