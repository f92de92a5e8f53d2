package org.cti4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cti4j.api.InvalidArguments.assertRejected;

import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class CodesTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"ON_RINGBACK, 0", "UNTIL_RINGBACK, 1", "UNTIL_ANSWER, 2"})
    void ringPlayModesHaveTheNumbersOfTheSpecification(RingPlayMode mode, int code) {
        assertThat(mode.code()).isEqualTo(code);
        assertThat(RingPlayMode.ofCode(code)).isSameAs(mode);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(RingPlayMode.class)
    void everyRingPlayModeRoundTripsThroughItsCode(RingPlayMode mode) {
        assertThat(RingPlayMode.ofCode(mode.code())).isSameAs(mode);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, -1, Integer.MAX_VALUE})
    void anUnknownRingPlayModeCodeIsRejected(int code) {
        assertRejected(() -> RingPlayMode.ofCode(code), "ring_play_mode", code);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"ON_CONNECT, 0", "FROM_PARTY1_DIAL, 1", "FROM_PARTY2_DIAL, 2"})
    void recordModesHaveTheNumbersOfTheSpecification(RecordMode mode, int code) {
        assertThat(mode.code()).isEqualTo(code);
        assertThat(RecordMode.ofCode(code)).isSameAs(mode);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(RecordMode.class)
    void everyRecordModeRoundTripsThroughItsCode(RecordMode mode) {
        assertThat(RecordMode.ofCode(mode.code())).isSameAs(mode);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 7, -1})
    void anUnknownRecordModeCodeIsRejected(int code) {
        assertRejected(() -> RecordMode.ofCode(code), "record_mode", code);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"PCM_16BIT, 0", "PCM_8BIT, 1", "ALAW, 2", "ULAW, 3", "IMA_ADPCM, 4", "GSM, 5", "MP3, 6"})
    void recordFormatsHaveTheNumbersOfTheSpecification(RecordFormat format, int code) {
        assertThat(format.code()).isEqualTo(code);
        assertThat(RecordFormat.ofCode(code)).isSameAs(format);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(RecordFormat.class)
    void everyRecordFormatRoundTripsThroughItsCode(RecordFormat format) {
        assertThat(RecordFormat.ofCode(format.code())).isSameAs(format);
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 9, -1})
    void anUnknownRecordFormatCodeIsRejected(int code) {
        assertRejected(() -> RecordFormat.ofCode(code), "record_format", code);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "a.mp3, MP3", "A.MP3, MP3", "a.gsm, GSM", "dir.mp3/a.Gsm, GSM", "a.wav, PCM_16BIT", "a.WAV, PCM_16BIT",
        "a.au, PCM_16BIT", "mp3, PCM_16BIT", "a.mp3.wav, PCM_16BIT",
    })
    void aFileNameImpliesItsFormatByItsExtension(String fileName, RecordFormat format) {
        assertThat(RecordFormat.forFileName(fileName)).isEqualTo(format);
    }

    @Test
    void callDirectionsHaveTheirWireNames() {
        assertThat(CallDirection.INBOUND.wireName()).isEqualTo("inbound");
        assertThat(CallDirection.OUTBOUND.wireName()).isEqualTo("outbound");
    }

    @Test
    void droppedByHasTheWireNamesSysAndUsr() {
        assertThat(DroppedBy.SYS.wireName()).isEqualTo("sys");
        assertThat(DroppedBy.USR.wireName()).isEqualTo("usr");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"INVALID_ARGUMENT, -32602", "NOT_FOUND, 404", "INVALID_STATE, 409", "ENGINE_FAILURE, 500",
        "UNAVAILABLE, 503"})
    void errorCodesHaveTheirNumbers(ErrorCode errorCode, int code) {
        assertThat(errorCode.code()).isEqualTo(code);
    }

    @Test
    void anInvalidArgumentIsAnIllegalArgumentException() {
        InvalidArgumentException e = new InvalidArgumentException("to_uri", "to_uri 'x@' is not a SIP URI");

        assertThat(e).isInstanceOf(IllegalArgumentException.class).isInstanceOf(CtiError.class);
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(e.parameter()).isEqualTo("to_uri");
        assertThat(e.getMessage()).isEqualTo("to_uri 'x@' is not a SIP URI");
    }

    @Test
    void anInvalidStateIsAnIllegalStateExceptionNamingTheResourceTheStateAndTheOperation() {
        InvalidStateException e = new InvalidStateException("0.0.0-sys.call-17", "Ring", "play_start",
                "the call is not answered");

        assertThat(e).isInstanceOf(IllegalStateException.class).isInstanceOf(CtiError.class);
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_STATE);
        assertThat(e.resId()).isEqualTo("0.0.0-sys.call-17");
        assertThat(e.state()).isEqualTo("Ring");
        assertThat(e.operation()).isEqualTo("play_start");
        assertThat(e.getMessage()).contains("0.0.0-sys.call-17", "Ring", "play_start", "the call is not answered");
    }

    @Test
    void anInvalidStateWithoutAReasonStillNamesTheResourceTheStateAndTheOperation() {
        InvalidStateException e = new InvalidStateException("0.0.0-ext.duo_callback-3", "Connected", "cancel", null);

        assertThat(e.getMessage()).contains("0.0.0-ext.duo_callback-3", "Connected", "cancel")
                .doesNotContain("null");
    }

    @Test
    void aMissingResourceIsANoSuchElementException() {
        ResourceNotFoundException e = new ResourceNotFoundException("0.0.0-sys.call-9", "no call 0.0.0-sys.call-9");

        assertThat(e).isInstanceOf(NoSuchElementException.class).isInstanceOf(CtiError.class);
        assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(e.resId()).isEqualTo("0.0.0-sys.call-9");
        assertThat(e.getMessage()).isEqualTo("no call 0.0.0-sys.call-9");
    }

    @Test
    void anEngineFailureReportsItsCodeAndKeepsItsCause() {
        IllegalStateException cause = new IllegalStateException("port in use");
        EngineFailureException e = new EngineFailureException("SIP provider failed to start", cause);

        assertThat(e).isInstanceOf(RuntimeException.class).isInstanceOf(CtiError.class);
        assertThat(e.errorCode()).isEqualTo(ErrorCode.ENGINE_FAILURE);
        assertThat(e.getMessage()).isEqualTo("SIP provider failed to start");
        assertThat(e.getCause()).isSameAs(cause);
        assertThat(new EngineFailureException("shut down").errorCode()).isEqualTo(ErrorCode.ENGINE_FAILURE);
    }

    @Test
    void aDialErrorReadsAsTheStatusAndTheReason() {
        DialError error = new DialError(486, "Busy Here");

        assertThat(error).hasToString("486 Busy Here");
        assertThat(error.status()).isEqualTo(486);
        assertThat(error.reason()).isEqualTo("Busy Here");
        assertThat(new DialError(408, "no answer within 50 s")).hasToString("408 no answer within 50 s");
    }
}
