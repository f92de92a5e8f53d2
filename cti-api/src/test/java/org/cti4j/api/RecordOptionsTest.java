package org.cti4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cti4j.api.InvalidArguments.assertRejected;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RecordOptionsTest {

    @Test
    void aCompleteBuildGivesTheValuesSet() {
        RecordOptions options = RecordOptions.builder()
                .recordFile("/rec/call.wav")
                .finishKey("#*")
                .recordFormat(RecordFormat.ULAW)
                .build();

        assertThat(options.recordFile()).isEqualTo("/rec/call.wav");
        assertThat(options.finishKey()).isEqualTo("#*");
        assertThat(options.recordFormat()).isEqualTo(RecordFormat.ULAW);
    }

    @Test
    void theDefaultsAreNoFinishKeyAndTheFormatOfTheExtension() {
        RecordOptions options = RecordOptions.builder().recordFile("/rec/call.gsm").build();

        assertThat(options.finishKey()).isEmpty();
        assertThat(options.isFinishKey('#')).isFalse();
        assertThat(options.recordFormat()).isEqualTo(RecordFormat.GSM);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/rec/a.mp3, MP3",
        "/rec/a.Mp3, MP3",
        "/rec/a.gsm, GSM",
        "/rec/a.GSM, GSM",
        "/rec/a.wav, PCM_16BIT",
        "/rec/a.raw, PCM_16BIT",
        "/rec/a, PCM_16BIT",
    })
    void theRecordFormatFollowsTheFileExtensionByDefault(String file, RecordFormat format) {
        assertThat(RecordOptions.builder().recordFile(file).build().recordFormat()).isEqualTo(format);
    }

    @Test
    void theRecordFormatCanBeSetByItsCode() {
        assertThat(RecordOptions.builder().recordFile("a.mp3").recordFormat(4).build().recordFormat())
                .isEqualTo(RecordFormat.IMA_ADPCM);
    }

    @Test
    void anExplicitRecordFormatWinsOverTheExtension() {
        assertThat(RecordOptions.builder().recordFile("a.mp3").recordFormat(RecordFormat.PCM_8BIT).build()
                .recordFormat()).isEqualTo(RecordFormat.PCM_8BIT);
    }

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource({
        "'', ''",
        "#, #",
        "0123456789*#ABCD, 0123456789*#ABCD",
        "abcd, ABCD",
        "a#b, A#B",
    })
    void upperCasesTheLettersOfTheFinishKeys(String keys, String expected) {
        RecordOptions options = RecordOptions.builder().recordFile("a.wav").finishKey(keys).build();

        assertThat(options.finishKey()).isEqualTo(expected);
    }

    @Test
    void theConstructorUpperCasesTheFinishKeysToo() {
        assertThat(new RecordOptions("a.wav", "1d", RecordFormat.PCM_16BIT).finishKey()).isEqualTo("1D");
    }

    @Test
    void tellsWhichKeysAreFinishKeysWhateverTheirCase() {
        RecordOptions options = RecordOptions.builder().recordFile("a.wav").finishKey("#b5").build();

        assertThat(options.isFinishKey('#')).isTrue();
        assertThat(options.isFinishKey('B')).isTrue();
        assertThat(options.isFinishKey('b')).isTrue();
        assertThat(options.isFinishKey('5')).isTrue();
        assertThat(options.isFinishKey('*')).isFalse();
        assertThat(options.isFinishKey('A')).isFalse();
        assertThat(options.isFinishKey('4')).isFalse();
    }

    @ParameterizedTest(name = "[{0}] holds [{1}]")
    @CsvSource({
        "x1, x",
        "1 2, ' '",
        "#e, e",
        "12+, +",
    })
    void rejectsAFinishKeyThatIsNotADtmfKey(String keys, String bad) {
        assertRejected(() -> RecordOptions.builder().finishKey(keys), "finish_key", "'" + keys + "'",
                "'" + bad + "'");
    }

    @Test
    void rejectsANullFinishKey() {
        assertRejected(() -> RecordOptions.builder().finishKey(null), "finish_key", "null");
    }

    @ParameterizedTest(name = "[{0}]")
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void rejectsAMissingRecordFile(String file) {
        assertRejected(() -> RecordOptions.builder().recordFile(file), "record_file", "missing");
    }

    @Test
    void rejectsABuildWithoutARecordFile() {
        assertRejected(() -> RecordOptions.builder().finishKey("#").build(), "record_file", "missing");
    }

    @Test
    void rejectsARecordFileHoldingANulCharacter() {
        assertRejected(() -> RecordOptions.builder().recordFile("/rec/a\0b.wav"), "record_file", "/rec/a?b.wav",
                "NUL");
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 7, -1})
    void rejectsAnUnknownRecordFormatCode(int code) {
        assertRejected(() -> RecordOptions.builder().recordFormat(code), "record_format", code);
    }

    @Test
    void rejectsANullRecordFormat() {
        assertRejected(() -> RecordOptions.builder().recordFormat(null), "record_format", "missing");
    }

    @Test
    void theConstructorValidatesEveryParameter() {
        assertRejected(() -> new RecordOptions(null, "", RecordFormat.MP3), "record_file", "missing");
        assertRejected(() -> new RecordOptions("", "", RecordFormat.MP3), "record_file", "missing");
        assertRejected(() -> new RecordOptions("a\0.wav", "", RecordFormat.MP3), "record_file", "NUL");
        assertRejected(() -> new RecordOptions("a.wav", "x1", RecordFormat.MP3), "finish_key", "x1");
        assertRejected(() -> new RecordOptions("a.wav", null, RecordFormat.MP3), "finish_key", "null");
        assertRejected(() -> new RecordOptions("a.wav", "", null), "record_format", "missing");
    }

    @Test
    void recordOverwriteIsLeftToTheEnginesMediaFilesUnlessSet() {
        assertThat(RecordOptions.builder().recordFile("a.wav").build().recordOverwrite()).isNull();
        assertThat(RecordOptions.builder().recordFile("a.wav").recordOverwrite(true).build().recordOverwrite())
                .isTrue();
        assertThat(RecordOptions.builder().recordFile("a.wav").recordOverwrite(false).build().recordOverwrite())
                .isFalse();
        assertThat(DuoCallbackOptions.builder().from1Uri("sip:1@h").to1Uri("sip:2@h").from2Uri("sip:1@h")
                .to2Uri("sip:3@h").maxConnectSeconds(60).recordFile("a.wav").recordOverwrite(true).build()
                .recordOverwrite()).isTrue();
        assertThat(ConferenceOptions.builder().maxSeconds(60).build().recordOverwrite()).isNull();
    }
}
