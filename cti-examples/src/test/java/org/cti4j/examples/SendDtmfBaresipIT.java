package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.DialOptions;
import org.cti4j.api.SendDtmfEndReason;
import org.cti4j.core.CoreEngine;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.sip.Baresip;
import org.cti4j.sip.SipConfig;
import org.cti4j.sip.SipSignalingProvider;
import org.cti4j.sip.Tones;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code send_dtmf_start} heard by an independent phone: the engine calls baresip and sends {@code 4,2#} as RFC 4733
 * events; baresip reports each key it received ({@code CALL_DTMF_START}), in order. A stopped sequence sends the key
 * under way whole (baresip hears it released) and none after it.
 */
class SendDtmfBaresipIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Dials {@code user} at the auto-answering {@code phone} and returns the call once it is answered. */
    private static Call answeredCall(CoreEngine engine, Baresip phone, String user) throws Exception {
        CompletableFuture<Call> answered = new CompletableFuture<>();
        Call call = engine.dial(DialOptions.builder().fromUri("sip:ivr@127.0.0.1").toUri(phone.uri(user))
                .maxAnswerSeconds(60).build(), new CallListener() {
                    @Override
                    public void onAnswered(Call c, CallEvent.Answered event) {
                        answered.complete(c);
                    }
                });
        answered.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return call;
    }

    @Test
    void thePhoneReceivesTheKeysInOrder(@TempDir Path temp) throws Exception {
        Baresip.requireInstalled();
        SipSignalingProvider sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        try (CoreEngine engine = CoreEngine.builder().signaling(sip).media(new RtpMediaProvider()).build();
                Baresip phone = new Baresip("keys", Baresip.AnswerMode.AUTO, Tones.sine(temp.resolve("t.wav"), 440,
                        30))) {
            Call call = answeredCall(engine, phone, "keys");
            CallEvent.SendDtmfCompleted sent = call.sendDtmfStart("4,2#").toCompletableFuture()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(sent.reason()).isEqualTo(SendDtmfEndReason.FINISHED);
            List<String> heard = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                heard.add(Baresip.param(phone.awaitEvent("CALL_DTMF_START", WAIT)));
            }
            assertThat(heard).containsExactly("4", "2", "#");
            call.drop();
        }
    }

    @Test
    void aStoppedSequenceFinishesTheKeyUnderWayAndSendsNoMore(@TempDir Path temp) throws Exception {
        Baresip.requireInstalled();
        SipSignalingProvider sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        try (CoreEngine engine = CoreEngine.builder().signaling(sip).media(new RtpMediaProvider()).build();
                Baresip phone = new Baresip("stop", Baresip.AnswerMode.AUTO, Tones.sine(temp.resolve("t.wav"), 440,
                        30))) {
            Call call = answeredCall(engine, phone, "stop");
            // '1', then ten pauses (5 s) before '2': the stop comes while '1' or the pauses are under way.
            CompletableFuture<CallEvent.SendDtmfCompleted> sent = call.sendDtmfStart("1,,,,,,,,,,2")
                    .toCompletableFuture();
            assertThat(Baresip.param(phone.awaitEvent("CALL_DTMF_START", WAIT))).isEqualTo("1");
            call.sendDtmfStop();
            assertThat(sent.get(WAIT.toSeconds(), TimeUnit.SECONDS).reason()).isEqualTo(SendDtmfEndReason.STOPPED);
            phone.awaitEvent("CALL_DTMF_END", WAIT);
            // The next key the phone hears is the next sequence's, not the stopped one's '2'.
            assertThat(call.sendDtmfStart("3").toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS)
                    .reason()).isEqualTo(SendDtmfEndReason.FINISHED);
            assertThat(Baresip.param(phone.awaitEvent("CALL_DTMF_START", WAIT))).isEqualTo("3");
            call.drop();
        }
    }
}
