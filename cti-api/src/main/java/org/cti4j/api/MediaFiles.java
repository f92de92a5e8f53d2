package org.cti4j.api;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * Where the files of playbacks and recordings may be: the policy that turns a {@code play_file},
 * {@code ring_play_file} or {@code record_file} into the path the engine opens.
 *
 * <ul>
 *   <li>{@link #unrestricted()} (the engine's default): a name is a path on the engine's machine, as given; an
 *       existing file is replaced by a recording. For applications that trust where their file names come from.</li>
 *   <li>{@link #confined(Path, Path)} (the {@code RpcServer}'s, always): a name is a relative path inside the sounds
 *       directory (for playing) or the recordings directory (for recording); a file to play from the recordings
 *       directory is named {@value #RECORDINGS_PREFIX}{@code name}. A recording never replaces an existing file
 *       unless asked to ({@code record_overwrite}).</li>
 * </ul>
 *
 * <p>A confined name is one or more segments separated by {@code /} (sub-directories are allowed, but must exist);
 * it is refused, with an {@link InvalidArgumentException} naming the parameter, when it is empty, absolute, longer
 * than {@value #MAX_NAME} characters, holds an empty, {@code .} or {@code ..} segment, a backslash or a control
 * character, or when it leads outside its directory through a symbolic link. A file to play must exist (its real
 * path, links followed, inside the directory); a file to record must have its directory, links followed, inside the
 * recordings directory, and is never itself a symbolic link. Every refusal for a name that leads outside, or to
 * nothing, says the same, so that no answer tells whether some file outside exists. The recordings directory is made,
 * owner-only ({@code rwx------} on POSIX file systems), when the first recording needs it.
 *
 * <p>Resolving reads the file system (it follows links), so it may block briefly; it never runs on an engine thread.
 * Immutable and thread-safe.
 */
public final class MediaFiles {

    /** The prefix of a name to play that names a file of the recordings directory instead of the sounds one. */
    public static final String RECORDINGS_PREFIX = "recordings/";
    /** The longest name, in characters. */
    public static final int MAX_NAME = 1024;

    private static final MediaFiles UNRESTRICTED = new MediaFiles(null, null);

    private final Path sounds;
    private final Path recordings;

    private MediaFiles(Path sounds, Path recordings) {
        this.sounds = sounds;
        this.recordings = recordings;
    }

    /** Returns the policy that takes every name as a path, as given, and lets a recording replace a file. */
    public static MediaFiles unrestricted() {
        return UNRESTRICTED;
    }

    /**
     * Returns the policy that confines names to two directories. A relative directory is taken from the working
     * directory now. Neither needs to exist yet.
     *
     * @param sounds the directory of the files to play
     * @param recordings the directory recordings are written to (and may be played from)
     */
    public static MediaFiles confined(Path sounds, Path recordings) {
        return new MediaFiles(Objects.requireNonNull(sounds, "sounds").toAbsolutePath().normalize(),
                Objects.requireNonNull(recordings, "recordings").toAbsolutePath().normalize());
    }

    /** Returns whether names are confined to the two directories. */
    public boolean isConfined() {
        return sounds != null;
    }

    /**
     * Returns the sounds directory (absolute).
     *
     * @throws IllegalStateException if the policy is unrestricted
     */
    public Path soundsDirectory() {
        requireConfined();
        return sounds;
    }

    /**
     * Returns the recordings directory (absolute).
     *
     * @throws IllegalStateException if the policy is unrestricted
     */
    public Path recordingsDirectory() {
        requireConfined();
        return recordings;
    }

    /**
     * Returns whether a recording replaces an existing file when its request does not say: {@code true} for the
     * unrestricted policy (the engine's behaviour when it has none), {@code false} for a confined one.
     */
    public boolean replacesByDefault() {
        return !isConfined();
    }

    /**
     * Returns whether a recording replaces an existing file: as {@code requested} says, or by this policy's
     * {@linkplain #replacesByDefault() default} when it is {@code null}.
     */
    public boolean replaces(Boolean requested) {
        return requested != null ? requested : replacesByDefault();
    }

    /**
     * Resolves the name of a file to play.
     *
     * @param parameter the parameter that named it, such as {@code play_file}, for the error
     * @param name the name
     * @return the path to open: under a confined policy, the file's real path
     * @throws InvalidArgumentException if the name is not allowed or names no file inside its directory
     */
    public Path forPlaying(String parameter, String name) {
        if (!isConfined()) {
            return Path.of(name);
        }
        checkName(parameter, name);
        boolean recorded = name.startsWith(RECORDINGS_PREFIX);
        Path directory = recorded ? recordings : sounds;
        String inside = recorded ? name.substring(RECORDINGS_PREFIX.length()) : name;
        checkName(parameter, inside);
        String where = recorded ? "the recordings directory" : "the sounds directory";
        try {
            Path root = directory.toRealPath();
            Path real = root.resolve(inside).toRealPath();
            if (real.startsWith(root) && Files.isRegularFile(real)) {
                return real;
            }
        } catch (IOException | SecurityException e) {
            // Told apart from a file outside by nothing: the same answer follows.
        }
        throw new InvalidArgumentException(parameter, parameter + " '" + name + "' names no file in " + where);
    }

    /**
     * Resolves the name of a file to record to.
     *
     * @param parameter the parameter that named it, such as {@code record_file}, for the error
     * @param name the name
     * @param replace whether an existing file may be replaced (this policy's {@link #replacesByDefault()} when the
     *     request did not say)
     * @return the path to write: under a confined policy, inside the real path of the recordings directory
     * @throws InvalidArgumentException if the name is not allowed, its directory is not inside the recordings
     *     directory, it is a symbolic link, or the file exists and {@code replace} is {@code false}
     */
    public Path forRecording(String parameter, String name, boolean replace) {
        if (!isConfined()) {
            return Path.of(name);
        }
        checkName(parameter, name);
        Path file = null;
        try {
            Path root = recordingsRoot();
            Path lexical = root.resolve(name);
            Path parent = lexical.getParent().toRealPath();
            if (parent.startsWith(root)) {
                file = parent.resolve(lexical.getFileName().toString());
            }
        } catch (IOException | SecurityException e) {
            // The same answer as for a directory outside follows.
        }
        if (file == null || Files.isSymbolicLink(file) || Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidArgumentException(parameter, parameter + " '" + name
                    + "' is not a file name in an existing directory of the recordings directory");
        }
        if (!replace && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidArgumentException(parameter, parameter + " '" + name
                    + "' exists already; set record_overwrite to replace it");
        }
        return file;
    }

    private Path recordingsRoot() throws IOException {
        if (!Files.isDirectory(recordings)) {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectories(recordings,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(recordings);
            }
        }
        return recordings.toRealPath();
    }

    /**
     * Checks the form of a confined name, without reading the file system.
     *
     * @throws InvalidArgumentException naming {@code parameter} if the name is not a relative path of plain segments
     */
    static void checkName(String parameter, String name) {
        String why = formProblem(name);
        if (why != null) {
            String shown = name == null ? "null" : name.length() > 60 ? name.substring(0, 57) + "..." : name;
            throw new InvalidArgumentException(parameter, parameter + " '" + printable(shown) + "' " + why);
        }
    }

    private static String formProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "is empty: a file name is required";
        }
        if (name.length() > MAX_NAME) {
            return "is longer than " + MAX_NAME + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "holds a control character";
            }
            if (c == '\\') {
                return "holds a backslash: names are separated by '/'";
            }
        }
        if (name.startsWith("/") || Path.of(name).getRoot() != null) {
            return "is an absolute path: a name relative to the server's directory is required";
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return "holds an empty, '.' or '..' segment: only plain names separated by '/' are allowed";
            }
        }
        return null;
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }

    private void requireConfined() {
        if (!isConfined()) {
            throw new IllegalStateException("the unrestricted policy has no directories");
        }
    }

    @Override
    public String toString() {
        return isConfined() ? "MediaFiles[sounds=" + sounds + ", recordings=" + recordings + "]"
                : "MediaFiles[unrestricted]";
    }
}
