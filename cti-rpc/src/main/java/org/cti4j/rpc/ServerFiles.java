package org.cti4j.rpc;

import org.cti4j.api.EngineFailureException;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.MediaFiles;

/**
 * The server's side of {@link MediaFiles}: resolves the file names of remote requests inside the server's sounds and
 * recordings directories, and keeps the paths it gives the engine out of what a client hears. The engine reports the
 * path it was given (in {@code play_file}, {@code record_file} and error texts); the resource's {@link Route} turns it
 * back into the name the client gave, so that no client learns where the server keeps its files.
 */
final class ServerFiles {

    /**
     * A file name of a request and the path the engine opens for it.
     *
     * @param name what the client gave
     * @param path the path inside the server's directories; empty for {@link #NONE}, an optional file not given
     */
    record Resolved(String name, String path) {

        /** No file: an optional one that the request did not give. */
        static final Resolved NONE = new Resolved("", "");

        /** Replaces the path with the name in a text the engine wrote; {@code null} stays {@code null}. */
        String hide(String text) {
            return text == null || path.isEmpty() ? text : text.replace(path, name);
        }

        /**
         * Hides the path in the message of an exception the engine threw for a request with this file; returns the
         * exception itself when its message does not hold the path.
         */
        RuntimeException hide(RuntimeException e) {
            String message = e.getMessage();
            if (message == null || path.isEmpty() || !message.contains(path)) {
                return e;
            }
            if (e instanceof InvalidArgumentException invalid) {
                return new InvalidArgumentException(invalid.parameter(), hide(message));
            }
            if (e instanceof EngineFailureException) {
                return new EngineFailureException(hide(message));
            }
            return e;
        }
    }

    private final MediaFiles files;

    /** @param files a confined policy: the server never hands a client the server's whole file system */
    ServerFiles(MediaFiles files) {
        if (!files.isConfined()) {
            throw new IllegalArgumentException("the server confines remote file names: " + files);
        }
        this.files = files;
    }

    /**
     * Resolves a file to play.
     *
     * @throws InvalidArgumentException naming {@code parameter} if the name is refused
     */
    Resolved play(String parameter, String name) {
        return new Resolved(name, files.forPlaying(parameter, name).toString());
    }

    /**
     * Resolves a file to record to.
     *
     * @param overwrite the request's {@code record_overwrite}
     * @throws InvalidArgumentException naming {@code parameter} if the name is refused, or names an existing file and
     *     {@code overwrite} is {@code false}
     */
    Resolved record(String parameter, String name, boolean overwrite) {
        return new Resolved(name, files.forRecording(parameter, name, overwrite).toString());
    }
}
