package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.CallState;
import org.cti4j.api.PlayEndReason;
import org.cti4j.api.PlayOptions;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.sip.Baresip;
import org.cti4j.sip.SipConfig;
import org.cti4j.sip.SipSignalingProvider;
import org.cti4j.sip.Tones;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A playlist against a baresip phone: the engine answers and plays two tone files in order, the list twice, then a
 * long file with a finish key; the phone hears the four parts in order without a gap between them, and its key
 * ({@code sndcode}, RFC 4733) stops the long file with that key in the event.
 */
class PlaylistBaresipIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final double PART = 0.8;

    @Test
    void thePhoneHearsTheListInOrderTwiceAndItsKeyStopsTheNextPlayback(@TempDir Path temp) throws Exception {
        Baresip.requireInstalled();
        Path low = Tones.sine(temp.resolve("low.wav"), 500, PART);
        Path high = Tones.sine(temp.resolve("high.wav"), 1400, PART);
        Path hold = Tones.sine(temp.resolve("hold.wav"), 900, 30);
        CompletableFuture<CallEvent.PlayCompleted> listPlayed = new CompletableFuture<>();
        CompletableFuture<CallEvent.PlayCompleted> holdStopped = new CompletableFuture<>();
        CompletableFuture<Call> answered = new CompletableFuture<>();
        int port = Ports.freeSipPort();
        SipSignalingProvider sip = new SipSignalingProvider(SipConfig.builder().port(port).build());
        try (CoreEngine engine = CoreEngine.builder().signaling(sip).media(new RtpMediaProvider())
                .incomingCallListener(new CallListener() {
                    @Override
                    public void onIncoming(Call call, CallEvent.Incoming event) {
                        call.answer();
                        answered.complete(call);
                        call.playStart(PlayOptions.builder().playFile(low.toString()).playFile(high.toString())
                                .playRepeat(1).build())
                                .thenCompose(done -> {
                                    listPlayed.complete(done);
                                    return call.playStart(PlayOptions.builder().playFile(hold.toString())
                                            .finishKey("5#").build());
                                })
                                .thenAccept(holdStopped::complete);
                    }
                }).build();
                Baresip caller = new Baresip("caller", Baresip.AnswerMode.AUTO,
                        Tones.sine(temp.resolve("caller.wav"), 300, 60))) {
            caller.command("dial", "sip:ivr@127.0.0.1:" + port);
            caller.awaitEvent("CALL_ESTABLISHED", WAIT);

            CallEvent.PlayCompleted list = listPlayed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(list.reason()).isEqualTo(PlayEndReason.FINISHED);
            assertThat(list.playFile()).isEqualTo(low.toString());
            assertThat(list.finishKey()).isNull();
            Call call = answered.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            Await.until("the long file playing", WAIT, () -> call.state() == CallState.PLAY);
            long playing = System.nanoTime();
            // the caller listens for a second, presses 5, and stays on the line two and a half seconds more
            pause(Duration.ofSeconds(1));
            caller.command("sndcode", "5");
            // when the key went, measured: a busy machine may send it later than a second into the long file
            double keyAt = (System.nanoTime() - playing) / 1e9;
            CallEvent.PlayCompleted stopped = holdStopped.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(stopped.reason()).isEqualTo(PlayEndReason.FINISH_KEY);
            assertThat(stopped.finishKey()).isEqualTo('5');
            pause(Duration.ofMillis(2500));

            caller.command("hangup", "");
            caller.awaitEvent("CALL_CLOSED", WAIT);
            Await.until("the call released", WAIT, () -> engine.resources().isEmpty());

            ToneCheck heard = ToneCheck.of(caller.heard(WAIT));
            double start = heard.onset(500);
            assertThat(start).as("the first file heard").isGreaterThanOrEqualTo(0);
            double[] expected = {500, 1400, 500, 1400};
            for (int part = 0; part < expected.length; part++) {
                // each part without 150 ms at either end: a gap or a part out of order shows here
                ToneCheck middle = heard.between(start + part * PART + 0.15, start + (part + 1) * PART - 0.15);
                assertThat(middle.share(expected[part])).as("part %d: %s Hz", part, expected[part])
                        .isGreaterThan(0.8);
            }
            double holdOnset = heard.onset(900, start + 4 * PART - 0.1);
            assertThat(holdOnset).as("the long file after the list").isGreaterThan(start + 4 * PART - 0.1);
            assertThat(heard.between(holdOnset, holdOnset + 0.6).share(900)).as("the long file, before the key")
                    .isGreaterThan(0.8);
            // from 1.2 s after the key on, the long file is not heard any more
            assertThat(heard.seconds()).as("what the caller heard after its key").isGreaterThan(holdOnset + keyAt + 2);
            assertThat(heard.between(holdOnset + keyAt + 1.2, heard.seconds() - 0.1).presence(900))
                    .as("the long file, after the key").isLessThan(0.1);
        }
    }

    /** A step of the scenario: the caller listening; nothing here waits for the engine. */
    private static void pause(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }
}
