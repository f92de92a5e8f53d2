package org.cti4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cti4j.api.InvalidArguments.assertRejected;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code record_stereo} in the three places a recording is asked for: record_start, duo callback, connect_start. */
class StereoRecordingOptionsTest {

    private static DuoCallbackOptions.Builder duo() {
        return DuoCallbackOptions.builder().from1Uri("sip:1@h").to1Uri("sip:2@h").from2Uri("sip:3@h")
                .to2Uri("sip:4@h").maxConnectSeconds(60);
    }

    @Test
    void everyRecordingIsMonoByDefault() {
        assertThat(RecordOptions.builder().recordFile("a.wav").build().recordStereo()).isFalse();
        assertThat(duo().recordFile("a.wav").build().recordStereo()).isFalse();
        assertThat(ConnectOptions.builder().call("c2").recordFile("a.wav").build().recordStereo()).isFalse();
        assertThat(new RecordOptions("a.wav", "", RecordFormat.ALAW, null).recordStereo()).isFalse();
    }

    @Test
    void stereoIsKeptWhereAskedFor() {
        assertThat(RecordOptions.builder().recordFile("a.wav").stereo(true).build().recordStereo()).isTrue();
        assertThat(duo().recordFile("a.wav").recordFormat(RecordFormat.ULAW).stereo(true).build().recordStereo())
                .isTrue();
        assertThat(ConnectOptions.builder().call("c2").recordFile("a.wav").stereo(true).build().recordStereo())
                .isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = RecordFormat.class, names = {"PCM_16BIT", "PCM_8BIT", "ALAW", "ULAW"})
    void theWavFormatsOfWholeSamplesAllowStereo(RecordFormat format) {
        assertThat(format.allowsStereo()).isTrue();
        assertThat(RecordOptions.builder().recordFile("a.wav").recordFormat(format).stereo(true).build()
                .recordFormat()).isEqualTo(format);
    }

    @ParameterizedTest
    @EnumSource(value = RecordFormat.class, names = {"IMA_ADPCM", "GSM", "MP3"})
    void aMonoOnlyFormatIsRefusedNamingIt(RecordFormat format) {
        assertThat(format.allowsStereo()).isFalse();
        assertRejected(() -> RecordOptions.builder().recordFile("a.wav").recordFormat(format).stereo(true).build(),
                "record_stereo", format.toString(), format.code());
        assertRejected(() -> duo().recordFile("a.wav").recordFormat(format).stereo(true).build(), "record_stereo",
                format.toString());
        assertRejected(() -> ConnectOptions.builder().call("c2").recordFile("a.wav").recordFormat(format)
                .stereo(true).build(), "record_stereo", format.toString());
    }

    @Test
    void aFileNamedMp3IsMonoOnly() {
        assertRejected(() -> RecordOptions.builder().recordFile("a.mp3").stereo(true).build(), "record_stereo",
                "MP3");
    }

    @Test
    void stereoWithoutARecordFileIsRefused() {
        assertRejected(() -> duo().stereo(true).build(), "record_stereo", "without a record_file");
        assertRejected(() -> ConnectOptions.builder().call("c2").stereo(true).build(), "record_stereo",
                "without a record_file");
    }
}
