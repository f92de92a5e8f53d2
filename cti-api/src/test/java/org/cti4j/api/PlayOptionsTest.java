package org.cti4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cti4j.api.InvalidArguments.assertRejected;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlayOptionsTest {

    @Test
    void aBuildGivesTheFilesInOrderTheRepeatAndTheFinishKeysUpperCase() {
        PlayOptions options = PlayOptions.builder().playFile("you-have.wav").playFiles(List.of("3.wav", "msgs.wav"))
                .playRepeat(2).finishKey("#a").build();

        assertThat(options.playFiles()).containsExactly("you-have.wav", "3.wav", "msgs.wav");
        assertThat(options.firstFile()).isEqualTo("you-have.wav");
        assertThat(options.playRepeat()).isEqualTo(2);
        assertThat(options.finishKey()).isEqualTo("#A");
        assertThat(options.isFinishKey('a')).isTrue();
        assertThat(options.isFinishKey('1')).isFalse();
    }

    @Test
    void ofPlaysTheFilesOnceWithNoFinishKey() {
        PlayOptions options = PlayOptions.of("a.wav", "b.wav");
        assertThat(options.playFiles()).containsExactly("a.wav", "b.wav");
        assertThat(options.playRepeat()).isZero();
        assertThat(options.finishKey()).isEmpty();
    }

    @Test
    void theFilesAreACopyThatCannotChange() {
        List<String> files = new ArrayList<>(List.of("a.wav"));
        PlayOptions options = new PlayOptions(files, 0, "");
        files.add("b.wav");
        assertThat(options.playFiles()).containsExactly("a.wav");
        assertThatThrownBy(() -> options.playFiles().add("c.wav")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void badValuesAreRefusedNamingTheParameterAndTheValue() {
        assertRejected(() -> PlayOptions.builder().build(), "play_file");
        assertRejected(() -> PlayOptions.of(), "play_file");
        assertRejected(() -> PlayOptions.of((String[]) null), "play_file");
        assertRejected(() -> PlayOptions.of("a.wav", " "), "play_file");
        assertRejected(() -> PlayOptions.of("a.wav", null), "play_file");
        assertRejected(() -> PlayOptions.of("a\0.wav"), "play_file", "NUL");
        assertRejected(() -> new PlayOptions(Collections.nCopies(33, "a.wav"), 0, ""), "play_file", 33, 32);
        assertRejected(() -> PlayOptions.builder().playFiles(Collections.nCopies(33, "a.wav")), "play_file", 32);
        assertRejected(() -> PlayOptions.builder().playRepeat(-1), "play_repeat", -1);
        assertRejected(() -> PlayOptions.builder().playRepeat(100), "play_repeat", 100, "0-99");
        assertRejected(() -> new PlayOptions(List.of("a.wav"), 100, ""), "play_repeat", 100);
        assertRejected(() -> PlayOptions.builder().finishKey("#x"), "finish_key", "x");
        assertRejected(() -> new PlayOptions(List.of("a.wav"), 0, null), "finish_key");
    }

    @Test
    void theLongestListAndTheMostRepeatsAreAllowed() {
        PlayOptions options = new PlayOptions(Collections.nCopies(PlayOptions.MAX_FILES, "a.wav"),
                PlayOptions.MAX_PLAY_REPEAT, "0123456789*#ABCD");
        assertThat(options.playFiles()).hasSize(32);
        assertThat(options.playRepeat()).isEqualTo(99);
    }
}
