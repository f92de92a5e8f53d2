package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallState;
import org.cti4j.api.SendDtmfEndReason;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keys sent by SIP INFO to a hand-scripted peer whose offer named no telephone-event: the form of each INFO (in the
 * dialog, {@code application/dtmf-relay}, {@code Signal} and {@code Duration}), one at a time, and a refused one.
 */
class DtmfInfoSendTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Events events = new Events();
    private final ScriptedMedia media = new ScriptedMedia();
    private SipSignalingProvider sip;
    private CoreEngine engine;
    private RawSipPeer peer;

    @BeforeEach
    void start() throws IOException {
        sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        engine = CoreEngine.builder().signaling(sip).media(media).incomingCallListener(events).build();
        peer = new RawSipPeer();
    }

    @AfterEach
    void stop() {
        engine.close();
        peer.close();
    }

    /** The peer calls with an offer of PCMA only, the engine answers, the peer acknowledges. */
    private Call answeredCallWithoutTelephoneEvent() throws IOException {
        String target = "sip:100@127.0.0.1:" + sip.port();
        String sdp = String.join("\r\n", "v=0", "o=peer 1 1 IN IP4 127.0.0.1", "s=-", "c=IN IP4 127.0.0.1",
                "t=0 0", "m=audio 40000 RTP/AVP 8", "a=rtpmap:8 PCMA/8000", "a=sendrecv", "");
        String invite = "INVITE " + target + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + peer.port() + ";branch=z9hG4bK-info-1\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:peer@127.0.0.1:" + peer.port() + ">;tag=peer-tag\r\n"
                + "To: <" + target + ">\r\n"
                + "Call-ID: info-call@127.0.0.1\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:peer@127.0.0.1:" + peer.port() + ">\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
        peer.send(invite, sip.port());
        events.next(CallEvent.Incoming.class);
        Call call = events.calls.get(0);
        call.answer();
        String ok = peer.finalResponse(WAIT);
        assertThat(ok).startsWith("SIP/2.0 200");
        String contact = RawSipPeer.header(ok, "Contact", "m").replaceAll("^<|>.*$", "");
        peer.send("ACK " + contact + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + peer.port() + ";branch=z9hG4bK-info-2\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:peer@127.0.0.1:" + peer.port() + ">;tag=peer-tag\r\n"
                + "To: " + RawSipPeer.header(ok, "To", "t") + "\r\n"
                + "Call-ID: info-call@127.0.0.1\r\n"
                + "CSeq: 1 ACK\r\n"
                + "Content-Length: 0\r\n\r\n", sip.port());
        Await.until("the call confirmed", WAIT, () -> call.state() == CallState.IDLE);
        return call;
    }

    private String nextInfo() throws IOException {
        String info = peer.receive(WAIT, m -> m.startsWith("INFO "));
        assertThat(info).as("an INFO from the engine").isNotNull();
        return info;
    }

    private void answer(String info, int status, String reason) throws IOException {
        peer.send(RawPeerDialogTest.response(info, status, reason, "peer-tag",
                "sip:peer@127.0.0.1:" + peer.port(), ""), sip.port());
    }

    @Test
    void eachKeyIsOneInfoOfTheDialogCarryingDtmfRelaySentAfterTheOneBeforeWasAnswered() throws IOException {
        Call call = answeredCallWithoutTelephoneEvent();
        CompletionStage<CallEvent.SendDtmfCompleted> sent = call.sendDtmfStart("5*");

        String first = nextInfo();
        assertThat(first).startsWith("INFO sip:peer@127.0.0.1:" + peer.port() + " SIP/2.0\r\n");
        assertThat(RawSipPeer.header(first, "Call-ID", "i")).isEqualTo("info-call@127.0.0.1");
        assertThat(RawSipPeer.header(first, "To", "t")).contains("tag=peer-tag");
        assertThat(RawSipPeer.header(first, "From", "f")).contains("tag=");
        assertThat(RawSipPeer.header(first, "CSeq", null)).endsWith(" INFO");
        assertThat(RawSipPeer.header(first, "Content-Type", "c")).isEqualToIgnoringCase("application/dtmf-relay");
        assertThat(RawSipPeer.body(first)).isEqualTo("Signal=5\r\nDuration=160\r\n");
        assertThat(peer.receive(Duration.ofMillis(400), m -> m.startsWith("INFO ") && !m.equals(first)))
                .as("a second INFO before the first was answered").isNull();

        answer(first, 200, "OK");
        String second = nextInfo();
        assertThat(RawSipPeer.body(second)).isEqualTo("Signal=*\r\nDuration=160\r\n");
        long cseq1 = Long.parseLong(RawSipPeer.header(first, "CSeq", null).split(" ", 0)[0]);
        long cseq2 = Long.parseLong(RawSipPeer.header(second, "CSeq", null).split(" ", 0)[0]);
        assertThat(cseq2).isEqualTo(cseq1 + 1);
        answer(second, 200, "OK");

        CallEvent.SendDtmfCompleted done = events.next(CallEvent.SendDtmfCompleted.class);
        assertThat(done.reason()).isEqualTo(SendDtmfEndReason.FINISHED);
        assertThat(sent.toCompletableFuture().join()).isEqualTo(done);
        assertThat(media.sessions().get(0).last("dtmf")).as("RFC 4733 events").isNull();
    }

    @Test
    void anInfoAnswered415EndsTheSequenceFailedAndTheCallGoesOn() throws IOException {
        Call call = answeredCallWithoutTelephoneEvent();
        call.sendDtmfStart("12");
        answer(nextInfo(), 415, "Unsupported Media Type");

        CallEvent.SendDtmfCompleted done = events.next(CallEvent.SendDtmfCompleted.class);
        assertThat(done.reason()).isEqualTo(SendDtmfEndReason.FAILED);
        assertThat(done.error()).contains("415 Unsupported Media Type").contains("key '1'");
        assertThat(peer.receive(Duration.ofMillis(500), m -> m.startsWith("INFO "))).as("an INFO after the 415")
                .isNull();
        assertThat(call.state()).isEqualTo(CallState.IDLE);
    }
}
