package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.CallState;
import org.cti4j.api.DialOptions;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackListener;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.DuoCallbackState;
import org.cti4j.api.PlayEndReason;
import org.cti4j.api.RecordEndReason;
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
    private static final int BYTES_PER_SECOND = 16_000;

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

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Test
    void aDuoCallbackBridgesTwoPhonesEachHearsTheOtherAndTheRecordingHoldsBoth() throws Exception {
        phoneB = new Baresip("b", Baresip.AnswerMode.AUTO, Tones.sine(temp.resolve("b.wav"), TONE_B, 60));
        Path recording = temp.resolve("duo.wav");
        BlockingQueue<DuoCallbackEvent.Released> released = new LinkedBlockingQueue<>();
        DuoCallback duo = engine.startDuoCallback(DuoCallbackOptions.builder()
                .from1Uri("sip:400@127.0.0.1").to1Uri(phoneA.uri("a"))
                .from2Uri("sip:400@127.0.0.1").to2Uri(phoneB.uri("b"))
                .maxConnectSeconds(60).recordFile(recording.toString()).build(), new DuoCallbackListener() {
                    @Override
                    public void onReleased(DuoCallback d, DuoCallbackEvent.Released event) {
                        released.add(event);
                    }
                });
        Await.until("both parties connected", WAIT, () -> duo.state() == DuoCallbackState.CONNECTED);
        Await.until("four seconds of conversation recorded", WAIT,
                () -> size(recording) > 44 + 4 * BYTES_PER_SECOND);

        phoneA.command("hangup", "");

        DuoCallbackEvent.Released end = released.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(end).as("on_released").isNotNull();
        assertThat(end.error()).isNull();
        ToneCheck heardByA = ToneCheck.of(phoneA.heard(WAIT));
        ToneCheck heardByB = ToneCheck.of(phoneB.heard(WAIT));
        assertThat(heardByA.share(TONE_B)).as("share of what phone A heard that is B's tone").isGreaterThan(0.5);
        assertThat(heardByA.share(TONE_A)).as("phone A hearing its own tone").isLessThan(0.1);
        assertThat(heardByB.share(TONE_A)).as("share of what phone B heard that is A's tone").isGreaterThan(0.5);
        assertThat(heardByB.share(TONE_B)).as("phone B hearing its own tone").isLessThan(0.1);
        ToneCheck recorded = ToneCheck.of(recording);
        assertThat(recorded.seconds()).isGreaterThan(4);
        // Both directions are mixed: each tone is present throughout; a frequency nobody said is not.
        assertThat(recorded.presence((TONE_A + TONE_B) / 2)).as("a frequency nobody said").isLessThan(0.1);
        assertThat(recorded.presence(TONE_A)).as("phone A's tone in the recording").isGreaterThan(0.8);
        assertThat(recorded.presence(TONE_B)).as("phone B's tone in the recording").isGreaterThan(0.8);
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
        Await.until("three seconds recorded", WAIT, () -> size(recording) > 44 + 3 * BYTES_PER_SECOND);
        call.recordStop();

        CallEvent.RecordCompleted completed = done.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(completed.reason()).isEqualTo(RecordEndReason.STOPPED);
        ToneCheck recorded = ToneCheck.of(recording);
        assertThat(recorded.seconds()).isGreaterThan(3);
        assertThat(recorded.share(TONE_A)).as("share of the recording that is the phone's tone").isGreaterThan(0.7);
        call.drop();
    }

    /** Records a call's events. */
    static final class Events implements CallListener {
    }
}
