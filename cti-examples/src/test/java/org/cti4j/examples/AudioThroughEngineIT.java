package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.CallState;
import org.cti4j.api.DialOptions;
import org.cti4j.api.PlayEndReason;
import org.cti4j.api.RecordEndReason;
import org.cti4j.api.RecordFormat;
import org.cti4j.api.RecordOptions;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.sip.Baresip;
import org.cti4j.sip.SipConfig;
import org.cti4j.sip.SipSignalingProvider;
import org.cti4j.sip.Tones;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real calls with real audio: the engine (cti-sip and cti-media) and baresip phones over loopback, each phone saying
 * its own tone; what a phone heard (its dump) and what the engine recorded are checked by frequency.
 */
class AudioThroughEngineIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final double TONE_A = 600;
    private static final double TONE_B = 1400;
    private static final double TONE_FILE = 1000;
    /** 16-bit mono 8 kHz: bytes per second of a recording. */

    @TempDir
    Path temp;
    private CoreEngine engine;
    private SipSignalingProvider sip;
    private Baresip phoneA;
    private Baresip phoneB;

    @BeforeEach
    void start() throws Exception {
        Baresip.requireInstalled();
        sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        engine = CoreEngine.builder().nodeId("0.0.8").signaling(sip).media(new RtpMediaProvider()).build();
        phoneA = new Baresip("a", Baresip.AnswerMode.AUTO, Tones.sine(temp.resolve("a.wav"), TONE_A, 60));
    }

    @AfterEach
    void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (phoneA != null) {
            phoneA.close();
        }
        if (phoneB != null) {
            phoneB.close();
        }
    }

    @Test
    void aDuoCallbackBridgesTwoPhonesEachHearsTheOtherAndTheRecordingHoldsBoth() throws Exception {
        phoneB = new Baresip("b", Baresip.AnswerMode.AUTO, Tones.sine(temp.resolve("b.wav"), TONE_B, 60));
        RecordedDuoCallback.runAndCheck(engine, phoneA, TONE_A, phoneB, TONE_B, temp.resolve("duo.wav"), WAIT);
    }

    @Test
    void aStereoDuoCallbackRecordingHasEachPartyOnItsOwnChannel() throws Exception {
        phoneB = new Baresip("b", Baresip.AnswerMode.AUTO, Tones.sine(temp.resolve("b.wav"), TONE_B, 60));
        RecordedDuoCallback.runAndCheck(engine, phoneA, TONE_A, phoneB, TONE_B, temp.resolve("duo.wav"), true, WAIT);
    }

    @Test
    void aFilePlayedToAPhoneIsWhatThePhoneHears() throws Exception {
        Path file = Tones.sine(temp.resolve("prompt.wav"), TONE_FILE, 3);
        Events events = new Events();
        Call call = engine.dial(DialOptions.builder().fromUri("sip:400@127.0.0.1").toUri(phoneA.uri("a"))
                .maxAnswerSeconds(60).build(), events);
        Await.until("answered", WAIT, () -> call.state() == CallState.IDLE);

        CallEvent.PlayCompleted played = call.playStart(file.toString()).toCompletableFuture()
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(played.reason()).isEqualTo(PlayEndReason.FINISHED);
        call.drop();

        ToneCheck heard = ToneCheck.of(phoneA.heard(WAIT));
        assertThat(heard.share(TONE_FILE)).as("share of what the phone heard that is the file's tone")
                .isGreaterThan(2.5 / heard.seconds() * 0.8);
    }

    @Test
    void aRecordingOfAPhoneHoldsWhatThePhoneSaid() throws Exception {
        Path recording = temp.resolve("call.wav");
        Events events = new Events();
        Call call = engine.dial(DialOptions.builder().fromUri("sip:400@127.0.0.1").toUri(phoneA.uri("a"))
                .maxAnswerSeconds(60).build(), events);
        Await.until("answered", WAIT, () -> call.state() == CallState.IDLE);
        var done = call.recordStart(recording.toString(), "");
        Await.until("three seconds recorded", WAIT, () -> RecordedDuoCallback.size(recording) > 44 + 3 * RecordedDuoCallback.BYTES_PER_SECOND);
        call.recordStop();

        CallEvent.RecordCompleted completed = done.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(completed.reason()).isEqualTo(RecordEndReason.STOPPED);
        ToneCheck recorded = ToneCheck.of(recording);
        assertThat(recorded.seconds()).isGreaterThan(3);
        assertThat(recorded.share(TONE_A)).as("share of the recording that is the phone's tone").isGreaterThan(0.7);
        call.drop();
    }

    @Test
    void aStereoRecordingOfAPhoneHasThePhoneLeftAndWhatItIsPlayedRight() throws Exception {
        Path recording = temp.resolve("stereo.wav");
        Path file = Tones.sine(temp.resolve("prompt.wav"), TONE_FILE, 2);
        Call call = engine.dial(DialOptions.builder().fromUri("sip:400@127.0.0.1").toUri(phoneA.uri("a"))
                .maxAnswerSeconds(60).build(), new Events());
        Await.until("answered", WAIT, () -> call.state() == CallState.IDLE);
        var done = call.recordStart(RecordOptions.builder().recordFile(recording.toString())
                .recordFormat(RecordFormat.ULAW).stereo(true).build());
        Await.until("a second recorded", WAIT, () -> RecordedDuoCallback.size(recording) > 58 + 2 * 8000);
        CallEvent.PlayCompleted played = call.playStart(file.toString()).toCompletableFuture()
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(played.reason()).isEqualTo(PlayEndReason.FINISHED);
        call.recordStop();

        CallEvent.RecordCompleted completed = done.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(completed.reason()).isEqualTo(RecordEndReason.STOPPED);
        call.drop();
        ToneCheck left = ToneCheck.of(recording, 0);
        ToneCheck right = ToneCheck.of(recording, 1);
        assertThat(left.seconds()).isGreaterThan(3);
        assertThat(left.share(TONE_A)).as("the phone's tone on the left").isGreaterThan(0.8);
        assertThat(left.presence(TONE_FILE)).as("the played file on the left").isLessThan(0.05);
        assertThat(right.presence(TONE_A)).as("the phone's tone on the right").isLessThan(0.05);
        // The file (2 s) played after the first second, and nothing else was sent.
        assertThat(right.presence(TONE_FILE) * right.seconds()).as("seconds of the played file on the right")
                .isBetween(1.6, 2.2);
        assertThat(right.between(0, 0.8).presence(TONE_FILE)).as("the right channel before the playback")
                .isZero();
    }

    /** Records a call's events. */
    static final class Events implements CallListener {
    }
}
