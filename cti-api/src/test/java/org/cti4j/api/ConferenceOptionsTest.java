package org.cti4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cti4j.api.InvalidArguments.assertRejected;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ConferenceOptionsTest {

    @Test
    void aCompleteBuildGivesTheValuesSet() {
        ConferenceOptions options = ConferenceOptions.builder()
                .maxSeconds(7200)
                .recordFile("/rec/conf.mp3")
                .userData("room 7")
                .build();

        assertThat(options.maxSeconds()).isEqualTo(7200);
        assertThat(options.recordFile()).isEqualTo("/rec/conf.mp3");
        assertThat(options.isRecorded()).isTrue();
        assertThat(options.userData()).isEqualTo("room 7");
    }

    @Test
    void theDefaultsAreNoRecordingAndNoUserData() {
        ConferenceOptions options = ConferenceOptions.builder().maxSeconds(60).build();

        assertThat(options.recordFile()).isEmpty();
        assertThat(options.isRecorded()).isFalse();
        assertThat(options.userData()).isEmpty();
    }

    @ParameterizedTest(name = "[{0}]")
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void aNullOrBlankRecordFileMeansNoRecording(String file) {
        ConferenceOptions options = ConferenceOptions.builder().maxSeconds(60).recordFile("a.wav").recordFile(file)
                .build();

        assertThat(options.recordFile()).isEmpty();
        assertThat(options.isRecorded()).isFalse();
    }

    @ParameterizedTest(name = "[{0}]")
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void theConstructorTurnsANullOrBlankRecordFileIntoNone(String file) {
        ConferenceOptions options = new ConferenceOptions(60, file, "");

        assertThat(options.recordFile()).isEmpty();
        assertThat(options.isRecorded()).isFalse();
    }

    @Test
    void rejectsAMissingMaxSeconds() {
        assertRejected(() -> ConferenceOptions.builder().recordFile("a.wav").build(), "max_seconds", "missing");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 604801})
    void rejectsAMaxSecondsOutOfRange(int seconds) {
        assertRejected(() -> ConferenceOptions.builder().maxSeconds(seconds), "max_seconds", seconds);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 604800})
    void acceptsTheBoundsOfMaxSeconds(int seconds) {
        assertThat(ConferenceOptions.builder().maxSeconds(seconds).build().maxSeconds()).isEqualTo(seconds);
    }

    @Test
    void rejectsANullUserData() {
        assertRejected(() -> ConferenceOptions.builder().userData(null), "user_data", "null");
    }

    @Test
    void rejectsAUserDataLongerThan4096Characters() {
        assertRejected(() -> ConferenceOptions.builder().userData("x".repeat(4097)), "user_data", 4097);
    }

    @Test
    void acceptsAUserDataOfExactly4096Characters() {
        String data = "x".repeat(4096);

        assertThat(ConferenceOptions.builder().maxSeconds(60).userData(data).build().userData()).isEqualTo(data);
    }

    @Test
    void rejectsARecordFileHoldingANulCharacter() {
        assertRejected(() -> ConferenceOptions.builder().recordFile("/rec/c\0.wav"), "record_file", "/rec/c?.wav",
                "NUL");
    }

    @Test
    void theConstructorValidatesEveryParameter() {
        assertRejected(() -> new ConferenceOptions(0, "", ""), "max_seconds", 0);
        assertRejected(() -> new ConferenceOptions(604801, "", ""), "max_seconds", 604801);
        assertRejected(() -> new ConferenceOptions(60, "a\0.wav", ""), "record_file", "NUL");
        assertRejected(() -> new ConferenceOptions(60, "", null), "user_data", "null");
        assertRejected(() -> new ConferenceOptions(60, "", "x".repeat(4097)), "user_data", 4097);
    }
}
