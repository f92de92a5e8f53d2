package org.cti4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cti4j.api.InvalidArguments.assertRejected;

import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DuoCallbackOptionsTest {

    private static final SipUri FROM1 = SipUri.parse("sip:400@192.0.2.1");
    private static final SipUri TO1 = SipUri.parse("sip:13898877785@192.168.5.10:5060");
    private static final SipUri FROM2 = SipUri.parse("sip:13898877785@192.0.2.1");
    private static final SipUri TO2 = SipUri.parse("sip:13900001111@192.168.5.10:5060");

    private static DuoCallbackOptions.Builder complete() {
        return DuoCallbackOptions.builder().from1Uri(FROM1).to1Uri(TO1).from2Uri(FROM2).to2Uri(TO2)
                .maxConnectSeconds(3600);
    }

    /** A call of the canonical constructor with one value changed, from a set of valid ones. */
    private static DuoCallbackOptions construct(int maxConnectSeconds, int maxRingSeconds, String ringPlayFile,
            String recordFile, String userData1, String userData2) {
        return new DuoCallbackOptions(FROM1, TO1, FROM2, TO2, maxConnectSeconds, maxRingSeconds, ringPlayFile,
                RingPlayMode.ON_RINGBACK, recordFile, RecordMode.ON_CONNECT, RecordFormat.PCM_16BIT, userData1,
                userData2);
    }

    @Test
    void aCompleteBuildGivesTheValuesSet() {
        DuoCallbackOptions options = DuoCallbackOptions.builder()
                .from1Uri("sip:400@192.0.2.1")
                .to1Uri("13898877785@192.168.5.10:5060")
                .from2Uri("sip:13898877785@192.0.2.1")
                .to2Uri("sip:13900001111@192.168.5.10:5060")
                .maxConnectSeconds(1800)
                .maxRingSeconds(30)
                .ringPlayFile("/sounds/ring.wav")
                .ringPlayMode(RingPlayMode.UNTIL_ANSWER)
                .recordFile("/rec/call.wav")
                .recordMode(RecordMode.FROM_PARTY2_DIAL)
                .recordFormat(RecordFormat.ALAW)
                .userData1("one")
                .userData2("two")
                .build();

        assertThat(options.from1Uri()).isEqualTo(FROM1);
        assertThat(options.to1Uri()).isEqualTo(TO1);
        assertThat(options.from2Uri()).isEqualTo(FROM2);
        assertThat(options.to2Uri()).isEqualTo(TO2);
        assertThat(options.maxConnectSeconds()).isEqualTo(1800);
        assertThat(options.maxRingSeconds()).isEqualTo(30);
        assertThat(options.ringPlayFile()).isEqualTo("/sounds/ring.wav");
        assertThat(options.hasRingPlayFile()).isTrue();
        assertThat(options.ringPlayMode()).isEqualTo(RingPlayMode.UNTIL_ANSWER);
        assertThat(options.recordFile()).isEqualTo("/rec/call.wav");
        assertThat(options.isRecorded()).isTrue();
        assertThat(options.recordMode()).isEqualTo(RecordMode.FROM_PARTY2_DIAL);
        assertThat(options.recordFormat()).isEqualTo(RecordFormat.ALAW);
        assertThat(options.userData1()).isEqualTo("one");
        assertThat(options.userData2()).isEqualTo("two");
    }

    @Test
    void theCodeSettersSetTheModesAndTheFormat() {
        DuoCallbackOptions options = complete().recordFile("a.wav").ringPlayMode(1).recordMode(2).recordFormat(6)
                .build();

        assertThat(options.ringPlayMode()).isEqualTo(RingPlayMode.UNTIL_RINGBACK);
        assertThat(options.recordMode()).isEqualTo(RecordMode.FROM_PARTY2_DIAL);
        assertThat(options.recordFormat()).isEqualTo(RecordFormat.MP3);
    }

    @Test
    void theDefaultsAreThoseOfTheSpecification() {
        DuoCallbackOptions options = complete().build();

        assertThat(options.maxRingSeconds()).isEqualTo(50);
        assertThat(options.ringPlayFile()).isEmpty();
        assertThat(options.hasRingPlayFile()).isFalse();
        assertThat(options.ringPlayMode()).isEqualTo(RingPlayMode.ON_RINGBACK);
        assertThat(options.recordFile()).isEmpty();
        assertThat(options.isRecorded()).isFalse();
        assertThat(options.recordMode()).isEqualTo(RecordMode.ON_CONNECT);
        assertThat(options.recordFormat()).isEqualTo(RecordFormat.PCM_16BIT);
        assertThat(options.userData1()).isEmpty();
        assertThat(options.userData2()).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/rec/a.mp3, MP3",
        "/rec/A.MP3, MP3",
        "/rec/a.gsm, GSM",
        "/rec/a.wav, PCM_16BIT",
        "/rec/a.ogg, PCM_16BIT",
        "/rec/mp3, PCM_16BIT",
    })
    void theRecordFormatFollowsTheFileExtensionByDefault(String file, RecordFormat format) {
        assertThat(complete().recordFile(file).build().recordFormat()).isEqualTo(format);
    }

    @Test
    void anExplicitRecordFormatWinsOverTheExtension() {
        assertThat(complete().recordFile("a.mp3").recordFormat(RecordFormat.GSM).build().recordFormat())
                .isEqualTo(RecordFormat.GSM);
    }

    @ParameterizedTest(name = "[{0}]")
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    void aNullOrBlankRingPlayFileMeansNone(String file) {
        DuoCallbackOptions options = complete().ringPlayFile("ring.wav").ringPlayFile(file).build();

        assertThat(options.ringPlayFile()).isEmpty();
        assertThat(options.hasRingPlayFile()).isFalse();
    }

    @ParameterizedTest(name = "[{0}]")
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    void aNullOrBlankRecordFileMeansNoRecording(String file) {
        DuoCallbackOptions options = complete().recordFile("rec.mp3").recordFile(file).build();

        assertThat(options.recordFile()).isEmpty();
        assertThat(options.isRecorded()).isFalse();
        assertThat(options.recordFormat()).isEqualTo(RecordFormat.PCM_16BIT);
    }

    @ParameterizedTest(name = "[{0}]")
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void theConstructorTurnsANullOrBlankFileIntoNone(String file) {
        DuoCallbackOptions options = construct(60, 50, file, file, "", "");

        assertThat(options.ringPlayFile()).isEmpty();
        assertThat(options.recordFile()).isEmpty();
        assertThat(options.hasRingPlayFile()).isFalse();
        assertThat(options.isRecorded()).isFalse();
    }

    static Stream<Arguments> missingParameters() {
        return Stream.of(
                Arguments.of("from1_uri", DuoCallbackOptions.builder().to1Uri(TO1).from2Uri(FROM2).to2Uri(TO2)
                        .maxConnectSeconds(60)),
                Arguments.of("to1_uri", DuoCallbackOptions.builder().from1Uri(FROM1).from2Uri(FROM2).to2Uri(TO2)
                        .maxConnectSeconds(60)),
                Arguments.of("from2_uri", DuoCallbackOptions.builder().from1Uri(FROM1).to1Uri(TO1).to2Uri(TO2)
                        .maxConnectSeconds(60)),
                Arguments.of("to2_uri", DuoCallbackOptions.builder().from1Uri(FROM1).to1Uri(TO1).from2Uri(FROM2)
                        .maxConnectSeconds(60)),
                Arguments.of("max_connect_seconds", DuoCallbackOptions.builder().from1Uri(FROM1).to1Uri(TO1)
                        .from2Uri(FROM2).to2Uri(TO2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("missingParameters")
    void rejectsAMissingRequiredParameter(String parameter, DuoCallbackOptions.Builder builder) {
        assertRejected(builder::build, parameter, "missing");
    }

    static Stream<Arguments> uriSetters() {
        return Stream.of(
                Arguments.of("from1_uri", (Consumer<String>) text -> DuoCallbackOptions.builder().from1Uri(text)),
                Arguments.of("to1_uri", (Consumer<String>) text -> DuoCallbackOptions.builder().to1Uri(text)),
                Arguments.of("from2_uri", (Consumer<String>) text -> DuoCallbackOptions.builder().from2Uri(text)),
                Arguments.of("to2_uri", (Consumer<String>) text -> DuoCallbackOptions.builder().to2Uri(text)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("uriSetters")
    void rejectsABadUriNamingTheParameterAndTheValue(String parameter, Consumer<String> setter) {
        assertRejected(() -> setter.accept("tel:+123"), parameter, "tel:+123");
        assertRejected(() -> setter.accept("300.1.1.1"), parameter, "300.1.1.1");
        assertRejected(() -> setter.accept("   "), parameter, "missing");
        assertRejected(() -> setter.accept(null), parameter, "missing");
    }

    @Test
    void rejectsANullSipUri() {
        assertRejected(() -> DuoCallbackOptions.builder().from1Uri((SipUri) null), "from1_uri", "missing");
        assertRejected(() -> DuoCallbackOptions.builder().to1Uri((SipUri) null), "to1_uri", "missing");
        assertRejected(() -> DuoCallbackOptions.builder().from2Uri((SipUri) null), "from2_uri", "missing");
        assertRejected(() -> DuoCallbackOptions.builder().to2Uri((SipUri) null), "to2_uri", "missing");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 604801})
    void rejectsAMaxConnectSecondsOutOfRange(int seconds) {
        assertRejected(() -> complete().maxConnectSeconds(seconds), "max_connect_seconds", seconds);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 604800})
    void acceptsTheBoundsOfMaxConnectSeconds(int seconds) {
        assertThat(complete().maxConnectSeconds(seconds).build().maxConnectSeconds()).isEqualTo(seconds);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 3601})
    void rejectsAMaxRingSecondsOutOfRange(int seconds) {
        assertRejected(() -> complete().maxRingSeconds(seconds), "max_ring_seconds", seconds);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3600})
    void acceptsTheBoundsOfMaxRingSeconds(int seconds) {
        assertThat(complete().maxRingSeconds(seconds).build().maxRingSeconds()).isEqualTo(seconds);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, -1})
    void rejectsAnUnknownRingPlayModeCode(int code) {
        assertRejected(() -> complete().ringPlayMode(code), "ring_play_mode", code);
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 3, -1})
    void rejectsAnUnknownRecordModeCode(int code) {
        assertRejected(() -> complete().recordMode(code), "record_mode", code);
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 7, -1})
    void rejectsAnUnknownRecordFormatCode(int code) {
        assertRejected(() -> complete().recordFormat(code), "record_format", code);
    }

    @Test
    void rejectsANullModeOrFormat() {
        assertRejected(() -> complete().ringPlayMode(null), "ring_play_mode", "missing");
        assertRejected(() -> complete().recordMode(null), "record_mode", "missing");
        assertRejected(() -> complete().recordFormat(null), "record_format", "missing");
    }

    @Test
    void rejectsANullUserData() {
        assertRejected(() -> complete().userData1(null), "user_data1", "null");
        assertRejected(() -> complete().userData2(null), "user_data2", "null");
    }

    @Test
    void rejectsAUserDataLongerThan4096Characters() {
        assertRejected(() -> complete().userData1("x".repeat(4097)), "user_data1", 4097);
        assertRejected(() -> complete().userData2("x".repeat(4097)), "user_data2", 4097);
    }

    @Test
    void acceptsUserDataOfExactly4096Characters() {
        String data = "x".repeat(4096);

        DuoCallbackOptions options = complete().userData1(data).userData2(data).build();

        assertThat(options.userData1()).isEqualTo(data);
        assertThat(options.userData2()).isEqualTo(data);
    }

    @Test
    void rejectsAFileHoldingANulCharacter() {
        assertRejected(() -> complete().recordFile("/rec/a\0b.wav"), "record_file", "/rec/a?b.wav", "NUL");
        assertRejected(() -> complete().ringPlayFile("/snd/a\0b.wav"), "ring_play_file", "/snd/a?b.wav", "NUL");
    }

    @Test
    void theConstructorRejectsAMissingUri() {
        assertRejected(() -> new DuoCallbackOptions(null, TO1, FROM2, TO2, 60, 50, "", RingPlayMode.ON_RINGBACK, "",
                RecordMode.ON_CONNECT, RecordFormat.PCM_16BIT, "", ""), "from1_uri", "missing");
        assertRejected(() -> new DuoCallbackOptions(FROM1, null, FROM2, TO2, 60, 50, "", RingPlayMode.ON_RINGBACK,
                "", RecordMode.ON_CONNECT, RecordFormat.PCM_16BIT, "", ""), "to1_uri", "missing");
        assertRejected(() -> new DuoCallbackOptions(FROM1, TO1, null, TO2, 60, 50, "", RingPlayMode.ON_RINGBACK,
                "", RecordMode.ON_CONNECT, RecordFormat.PCM_16BIT, "", ""), "from2_uri", "missing");
        assertRejected(() -> new DuoCallbackOptions(FROM1, TO1, FROM2, null, 60, 50, "", RingPlayMode.ON_RINGBACK,
                "", RecordMode.ON_CONNECT, RecordFormat.PCM_16BIT, "", ""), "to2_uri", "missing");
    }

    @Test
    void theConstructorRejectsANullModeOrFormat() {
        assertRejected(() -> new DuoCallbackOptions(FROM1, TO1, FROM2, TO2, 60, 50, "", null, "",
                RecordMode.ON_CONNECT, RecordFormat.PCM_16BIT, "", ""), "ring_play_mode", "missing");
        assertRejected(() -> new DuoCallbackOptions(FROM1, TO1, FROM2, TO2, 60, 50, "", RingPlayMode.ON_RINGBACK,
                "", null, RecordFormat.PCM_16BIT, "", ""), "record_mode", "missing");
        assertRejected(() -> new DuoCallbackOptions(FROM1, TO1, FROM2, TO2, 60, 50, "", RingPlayMode.ON_RINGBACK,
                "", RecordMode.ON_CONNECT, null, "", ""), "record_format", "missing");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 604801})
    void theConstructorRejectsAMaxConnectSecondsOutOfRange(int seconds) {
        assertRejected(() -> construct(seconds, 50, "", "", "", ""), "max_connect_seconds", seconds);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 3601})
    void theConstructorRejectsAMaxRingSecondsOutOfRange(int seconds) {
        assertRejected(() -> construct(60, seconds, "", "", "", ""), "max_ring_seconds", seconds);
    }

    @Test
    void theConstructorRejectsABadUserDataOrFile() {
        assertRejected(() -> construct(60, 50, "", "", null, ""), "user_data1", "null");
        assertRejected(() -> construct(60, 50, "", "", "", "x".repeat(4097)), "user_data2", 4097);
        assertRejected(() -> construct(60, 50, "", "a\0.wav", "", ""), "record_file", "NUL");
        assertRejected(() -> construct(60, 50, "a\0.wav", "", "", ""), "ring_play_file", "NUL");
    }

    @Test
    void aTimedPromptIsPlacedAfterTheConnectOrBeforeTheEnd() {
        assertThat(complete().build().hasPrompt()).isFalse();
        DuoCallbackOptions after = complete().promptFile("/snd/minute.wav").promptAfterSeconds(3540).build();
        assertThat(after.hasPrompt()).isTrue();
        assertThat(after.promptFile()).isEqualTo("/snd/minute.wav");
        assertThat(after.promptDelaySeconds()).isEqualTo(3540);
        DuoCallbackOptions beforeEnd = complete().promptFile("/snd/minute.wav").promptBeforeEndSeconds(60).build();
        assertThat(beforeEnd.promptBeforeEndSeconds()).isEqualTo(60);
        assertThat(beforeEnd.promptDelaySeconds()).isEqualTo(3540);
        assertThat(complete().promptFile("/snd/hello.wav").build().promptDelaySeconds()).isZero();
        assertThat(complete().promptFile(null).build().promptFile()).isEmpty();
    }

    @Test
    void aTimedPromptOutOfTheConversationOrWithoutAFileIsRejected() {
        assertRejected(() -> complete().promptAfterSeconds(-1), "prompt_after_seconds", -1);
        assertRejected(() -> complete().promptBeforeEndSeconds(-5), "prompt_before_end_seconds", -5);
        assertRejected(() -> complete().promptFile("p.wav").promptAfterSeconds(3600).build(), "prompt_after_seconds",
                3600, "max_connect_seconds");
        assertRejected(() -> complete().promptFile("p.wav").promptBeforeEndSeconds(3600).build(),
                "prompt_before_end_seconds", 3600, "max_connect_seconds");
        assertRejected(() -> complete().promptFile("p.wav").promptAfterSeconds(10).promptBeforeEndSeconds(60).build(),
                "prompt_before_end_seconds", "both");
        assertRejected(() -> complete().promptBeforeEndSeconds(60).build(), "prompt_before_end_seconds",
                "without a prompt_file");
        assertRejected(() -> complete().promptAfterSeconds(6).build(), "prompt_after_seconds", "without");
        assertRejected(() -> complete().promptFile("/snd/a\0b.wav"), "prompt_file", "NUL");
    }
}
