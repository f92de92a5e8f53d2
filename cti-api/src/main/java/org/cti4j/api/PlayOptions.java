package org.cti4j.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The parameters of {@code play_start} with a playlist: files played one after another without a gap, the whole list
 * repeated, and keys that stop it. Build with {@link #builder()}, or {@link #of} for files played once.
 *
 * <p>Each file is opened when its turn comes: one that cannot be played ends the playback there with
 * {@link PlayEndReason#FAILED}, its {@code error} naming the file, after the files before it played.
 *
 * @param playFiles {@code play_file}: the files, played in this order, 1 to {@value #MAX_FILES}; each a name in the
 *     sounds directory when the engine's {@link MediaFiles} are confined (always for a remote engine). Required
 * @param playRepeat {@code play_repeat}: how many more times the whole list is played after the first time, 0 to
 *     {@value #MAX_PLAY_REPEAT} (as {@code play_repeat} of {@code receive_dtmf_start} counts). Default 0
 * @param finishKey {@code finish_key}: the DTMF keys ({@code 0-9 * # A-D}) any of which the far end presses to stop
 *     the playback ({@link PlayEndReason#FINISH_KEY}); empty for none. Letters are kept upper case. Default empty
 */
public record PlayOptions(List<String> playFiles, int playRepeat, String finishKey) {

    /** The most files one playback plays. */
    public static final int MAX_FILES = 32;
    /** The most times the list is played again. */
    public static final int MAX_PLAY_REPEAT = 99;

    /**
     * Checks every parameter; keeps an unmodifiable copy of the files.
     *
     * @throws InvalidArgumentException naming the first bad parameter and its value
     */
    public PlayOptions {
        playFiles = files(playFiles);
        repeat(playRepeat);
        finishKey = Checks.dtmfKeys("finish_key", finishKey);
    }

    /**
     * Returns options that play {@code files} once, in order, with no finish key.
     *
     * @throws InvalidArgumentException if there are no files, more than {@value #MAX_FILES}, or one is empty
     */
    public static PlayOptions of(String... files) {
        return new PlayOptions(files == null ? null : Arrays.asList(files), 0, "");
    }

    private static List<String> files(List<String> files) {
        if (files == null || files.isEmpty()) {
            throw new InvalidArgumentException("play_file", "play_file is missing: 1 to " + MAX_FILES
                    + " file paths are required");
        }
        if (files.size() > MAX_FILES) {
            throw new InvalidArgumentException("play_file", "play_file lists " + files.size() + " files, more than the "
                    + MAX_FILES + " allowed");
        }
        List<String> copy = new ArrayList<>(files.size());
        for (String file : files) {
            copy.add(Checks.file("play_file", file));
        }
        return List.copyOf(copy);
    }

    private static int repeat(int times) {
        if (times < 0 || times > MAX_PLAY_REPEAT) {
            throw new InvalidArgumentException("play_repeat", "play_repeat " + times + " is out of range 0-"
                    + MAX_PLAY_REPEAT);
        }
        return times;
    }

    /** Returns the first file: the one {@link CallEvent.PlayCompleted#playFile()} names. */
    public String firstFile() {
        return playFiles.get(0);
    }

    /** Returns whether {@code key} (in any case) is one of the finish keys. */
    public boolean isFinishKey(char key) {
        return finishKey.indexOf(Character.toUpperCase(key)) >= 0;
    }

    /** Returns a new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link PlayOptions}. Not thread-safe; each setter checks its value at once. */
    public static final class Builder {
        private final List<String> files = new ArrayList<>();
        private int playRepeat;
        private String finishKey = "";

        private Builder() {
        }

        /** Adds a file to the end of the list. */
        public Builder playFile(String file) {
            if (files.size() == MAX_FILES) {
                throw new InvalidArgumentException("play_file", "play_file lists more than the " + MAX_FILES
                        + " files allowed");
            }
            files.add(Checks.file("play_file", file));
            return this;
        }

        /** Adds files to the end of the list, in order. */
        public Builder playFiles(List<String> more) {
            Checks.required("play_file", more).forEach(this::playFile);
            return this;
        }

        /** Sets {@code play_repeat}: how many more times the list is played, 0 to 99 (default 0). */
        public Builder playRepeat(int times) {
            this.playRepeat = repeat(times);
            return this;
        }

        /** Sets {@code finish_key} (default empty: no key stops the playback). */
        public Builder finishKey(String keys) {
            this.finishKey = Checks.dtmfKeys("finish_key", keys);
            return this;
        }

        /**
         * Returns the options.
         *
         * @throws InvalidArgumentException if no file was added
         */
        public PlayOptions build() {
            return new PlayOptions(files, playRepeat, finishKey);
        }
    }
}
