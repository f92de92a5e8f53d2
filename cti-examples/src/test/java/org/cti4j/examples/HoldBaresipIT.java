package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.DialOptions;
import org.cti4j.api.RecordFormat;
import org.cti4j.api.RecordOptions;
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

/**
 * {@code hold} and {@code unhold} against a real baresip phone: the engine dials it, records what it hears (the
 * party on the left channel), holds it with a re-INVITE, plays music on hold, and takes it off hold. baresip says
 * 600 Hz all along; it takes both re-INVITEs, and the recording shows it before the hold and after the unhold and
 * not in between. (What baresip hears while held cannot be read here: its sndfile dump ends when the hold changes
 * its stream. {@code TestPhoneTest} shows a held kit phone hearing what the engine plays.)
 */
class HoldBaresipIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final double VOICE = 600;
    private static final double MUSIC = 1000;

    @TempDir
    Path temp;
    private CoreEngine engine;
    private Baresip phone;
    private final CompletableFuture<Call> answered = new CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        Baresip.requireInstalled();
        SipSignalingProvider sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        engine = CoreEngine.builder().nodeId("0.0.14").signaling(sip).media(new RtpMediaProvider()).build();
        phone = DuoCallbackMediaIT.phone("alice", AnswerMode.AUTO, Tones.sine(temp.resolve("voice.wav"), VOICE, 60));
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (engine != null) {
                engine.close();
            }
        } finally {
            if (phone != null) {
                phone.close();
            }
        }
    }

    @Test
    void aHeldPhoneIsNotHeardAndIsHeardAgainAfterTheUnhold() throws Exception {
        Call call = engine.dial(DialOptions.builder().fromUri("sip:400@127.0.0.1").toUri(phone.uri("alice"))
                .maxAnswerSeconds(120).build(), new CallListener() {
                    @Override
                    public void onAnswered(Call c, CallEvent.Answered event) {
                        answered.complete(c);
                    }
                });
        answered.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Path recording = temp.resolve("held.wav");
        long start = System.nanoTime();
        call.recordStart(RecordOptions.builder().recordFile(recording.toString()).recordFormat(RecordFormat.PCM_16BIT)
                .stereo(true).build());
        elapse(Duration.ofSeconds(2));

        CallEvent.HoldCompleted held = call.hold().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        double heldAt = seconds(start);
        assertThat(held.error()).as("baresip's answer to the hold").isNull();
        assertThat(held.held()).isTrue();
        assertThat(call.isHeld()).isTrue();
        call.playStart(Tones.sine(temp.resolve("music.wav"), MUSIC, 3).toString());
        elapse(Duration.ofSeconds(3));

        CallEvent.HoldCompleted resumed = call.unhold().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        double resumedAt = seconds(start);
        assertThat(resumed.error()).as("baresip's answer to the unhold").isNull();
        assertThat(resumed.held()).isFalse();
        elapse(Duration.ofSeconds(2));
        call.recordStop();
        call.drop();
        phone.awaitEvent("CALL_CLOSED", WAIT);

        ToneCheck party = ToneCheck.of(recording, 0);
        assertThat(party.between(0.3, heldAt - 0.3).presence(VOICE)).as("the phone before the hold")
                .isGreaterThan(0.8);
        assertThat(party.between(heldAt + 0.5, resumedAt - 0.2).presence(VOICE)).as("the phone while held")
                .isLessThan(0.05);
        assertThat(party.between(resumedAt + 0.7, party.seconds() - 0.3).presence(VOICE))
                .as("the phone after the unhold").isGreaterThan(0.8);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** Lets {@code duration} pass (a measured interval, with a deadline). */
    private static void elapse(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        Await.until(duration + " to pass", duration.plusSeconds(5), () -> System.nanoTime() - end >= 0);
    }
}
