package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.CallState;
import org.cti4j.api.ConnectEndReason;
import org.cti4j.api.ConnectMode;
import org.cti4j.api.ConnectOptions;
import org.cti4j.api.DialOptions;
import org.cti4j.api.PlayEndReason;
import org.cti4j.api.RecordFormat;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.sip.Baresip;
import org.cti4j.sip.Baresip.AnswerMode;
import org.cti4j.sip.SipConfig;
import org.cti4j.sip.SipSignalingProvider;
import org.cti4j.sip.Tones;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code connect_start} end to end against two real baresip phones over loopback: the engine dials both, connects
 * them, and each phone's dump of what it heard (and the recording of the pair) shows the other phone's tone in
 * exactly the directions the {@code connect_mode} allows. The first phone says 600 Hz, the second 1400 Hz.
 */
class ConnectBaresipIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final double TONE_1 = 600;
    private static final double TONE_2 = 1400;
    private static final double TONE_PLAYED = 1000;
    /** How long the calls stay connected. */
    private static final Duration CONNECTED = Duration.ofSeconds(4);

    @TempDir
    Path temp;
    private CoreEngine engine;
    private Baresip phone1;
    private Baresip phone2;
    private final Map<String, CompletableFuture<Call>> answered = new ConcurrentHashMap<>();
    private final CallListener listener = new CallListener() {
        @Override
        public void onAnswered(Call call, CallEvent.Answered event) {
            answered.computeIfAbsent(call.resId(), id -> new CompletableFuture<>()).complete(call);
        }
    };

    @BeforeEach
    void start() throws IOException {
        Baresip.requireInstalled();
        SipSignalingProvider sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        engine = CoreEngine.builder().nodeId("0.0.13").signaling(sip).media(new RtpMediaProvider()).build();
        phone1 = DuoCallbackMediaIT.phone("alice", AnswerMode.AUTO, Tones.sine(temp.resolve("one.wav"), TONE_1, 60));
        phone2 = DuoCallbackMediaIT.phone("bob", AnswerMode.AUTO, Tones.sine(temp.resolve("two.wav"), TONE_2, 60));
    }

    @AfterEach
    void stop() throws Exception {
        // Each closed even if one before it fails; the first failure is thrown, the others added to it.
        Exception failure = null;
        for (AutoCloseable resource : Arrays.asList(engine, phone1, phone2)) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @ParameterizedTest(name = "connect_mode {0}")
    @EnumSource(ConnectMode.class)
    void eachPhoneHearsTheOtherOnlyInTheDirectionsTheModeAllows(ConnectMode mode) throws Exception {
        Call first = dial(phone1, "alice");
        Call second = dial(phone2, "bob");
        Path recording = temp.resolve("pair-" + mode.code() + ".wav");
        CompletableFuture<CallEvent.ConnectCompleted> done = first.connectStart(ConnectOptions.builder()
                .call(second).mode(mode).recordFile(recording.toString()).build()).toCompletableFuture();
        assertThat(first.state()).isEqualTo(CallState.CONNECT);
        Await.until("the second call connected", WAIT, () -> second.state() == CallState.CONNECT);
        elapse(CONNECTED);
        second.connectStop();
        CallEvent.ConnectCompleted event = done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(event.reason()).isEqualTo(ConnectEndReason.STOPPED);
        assertThat(event.error()).as("the recording's outcome").isNull();
        Await.until("both calls parted", WAIT,
                () -> first.state() == CallState.IDLE && second.state() == CallState.IDLE);
        first.drop();
        second.drop();
        phone1.awaitEvent("CALL_CLOSED", WAIT);
        phone2.awaitEvent("CALL_CLOSED", WAIT);

        ToneCheck heard1 = ToneCheck.of(phone1.heard(WAIT));
        ToneCheck heard2 = ToneCheck.of(phone2.heard(WAIT));
        if (mode.firstHearsSecond()) {
            assertThat(heard1.presence(TONE_2)).as("the first phone hears the second").isGreaterThan(0.6);
        } else {
            assertThat(heard1.presence(TONE_2)).as("the first phone does not hear the second").isLessThan(0.05);
        }
        if (mode.secondHearsFirst()) {
            assertThat(heard2.presence(TONE_1)).as("the second phone hears the first").isGreaterThan(0.6);
        } else {
            assertThat(heard2.presence(TONE_1)).as("the second phone does not hear the first").isLessThan(0.05);
        }
        assertThat(heard1.presence(TONE_1)).as("the first phone's own voice sent back").isLessThan(0.05);
        assertThat(heard2.presence(TONE_2)).as("the second phone's own voice sent back").isLessThan(0.05);

        // The recording is the first call's session, both directions mixed: the first phone always, and the second
        // as far as the first call hears it.
        ToneCheck recorded = ToneCheck.of(recording);
        assertThat(recorded.seconds()).as("the recording's length").isGreaterThan(CONNECTED.toSeconds() - 0.5);
        assertThat(recorded.presence(TONE_1)).as("the first phone in the recording").isGreaterThan(0.8);
        if (mode.firstHearsSecond()) {
            assertThat(recorded.presence(TONE_2)).as("the second phone in the recording").isGreaterThan(0.8);
        } else {
            assertThat(recorded.presence(TONE_2)).as("the second phone in the recording").isLessThan(0.05);
        }
    }

    @Test
    void aStereoRecordingOfThePairHasEachPhoneOnItsOwnChannel() throws Exception {
        Call first = dial(phone1, "alice");
        Call second = dial(phone2, "bob");
        Path recording = temp.resolve("pair-stereo.wav");
        CompletableFuture<CallEvent.ConnectCompleted> done = first.connectStart(ConnectOptions.builder()
                .call(second).recordFile(recording.toString()).recordFormat(RecordFormat.ALAW).stereo(true).build())
                .toCompletableFuture();
        Await.until("the second call connected", WAIT, () -> second.state() == CallState.CONNECT);
        elapse(CONNECTED);
        first.connectStop();
        CallEvent.ConnectCompleted event = done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(event.error()).as("the recording's outcome").isNull();
        first.drop();
        second.drop();

        ToneCheck left = ToneCheck.of(recording, 0);
        ToneCheck right = ToneCheck.of(recording, 1);
        assertThat(left.seconds()).as("the recording's length").isGreaterThan(CONNECTED.toSeconds() - 0.5);
        assertThat(left.share(TONE_1)).as("the first phone on the left").isGreaterThan(0.8);
        assertThat(left.presence(TONE_2)).as("the second phone on the left").isLessThan(0.05);
        assertThat(right.share(TONE_2)).as("the second phone on the right").isGreaterThan(0.8);
        assertThat(right.presence(TONE_1)).as("the first phone on the right").isLessThan(0.05);
    }

    @Test
    void theSecondPhoneHangingUpEndsTheConnectionAndTheFirstCallGoesOn() throws Exception {
        Call first = dial(phone1, "alice");
        Call second = dial(phone2, "bob");
        CompletableFuture<CallEvent.ConnectCompleted> done = first.connectStart(ConnectOptions.builder()
                .call(second).build()).toCompletableFuture();
        elapse(Duration.ofSeconds(2));
        phone2.command("hangup", "");
        CallEvent.ConnectCompleted event = done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(event.reason()).isEqualTo(ConnectEndReason.PEER_HANGUP);
        assertThat(second.whenReleased().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
        Await.until("the first call back in IDLE", WAIT, () -> first.state() == CallState.IDLE);

        // Usable again: a file plays to it.
        Path file = Tones.sine(temp.resolve("after.wav"), TONE_PLAYED, 2);
        CallEvent.PlayCompleted played = first.playStart(file.toString()).toCompletableFuture()
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(played.reason()).isEqualTo(PlayEndReason.FINISHED);
        first.drop();
        phone1.awaitEvent("CALL_CLOSED", WAIT);
        ToneCheck heard = ToneCheck.of(phone1.heard(WAIT));
        assertThat(heard.presence(TONE_2)).as("the second phone while connected").isGreaterThan(0.2);
        assertThat(heard.presence(TONE_PLAYED)).as("the file played after the connection").isGreaterThan(0.2);
    }

    private Call dial(Baresip phone, String user) throws Exception {
        Call call = engine.dial(DialOptions.builder().fromUri("sip:400@127.0.0.1").toUri(phone.uri(user))
                .maxAnswerSeconds(120).build(), listener);
        return answered.computeIfAbsent(call.resId(), id -> new CompletableFuture<>())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Lets {@code duration} pass (a measured interval, with a deadline). */
    private static void elapse(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        Await.until(duration + " to pass", duration.plusSeconds(5), () -> System.nanoTime() - end >= 0);
    }
}
