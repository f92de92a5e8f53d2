package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallState;
import org.cti4j.api.DialOptions;
import org.cti4j.api.DroppedBy;
import org.cti4j.api.SendDtmfEndReason;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dialogs with a hand-scripted SIP peer for what a phone cannot be told to do: 183 with SDP (early media), an INVITE
 * without SDP (late offer: the offer in the 200, the answer in the ACK), DTMF by INFO, a re-INVITE that holds and
 * one that resumes, a BYE carrying a Reason cause, unknown and unsupported methods, and keys sent by INFO to a peer
 * that negotiated no telephone-event (one at a time; a refused one).
 */
class RawPeerDialogTest {

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

    private String sdp(int port, String direction) {
        return "v=0\r\no=peer 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\na=" + direction + "\r\n";
    }

    private String request(String method, String uri, int cseq, String branch, String to, String extra,
            String body) {
        return method + " " + uri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + peer.port() + ";branch=z9hG4bK-" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:peer@127.0.0.1:" + peer.port() + ">;tag=peer-tag\r\n"
                + "To: " + to + "\r\n"
                + "Call-ID: raw-" + branch.split("-", 0)[0] + "@127.0.0.1\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Contact: <sip:peer@127.0.0.1:" + peer.port() + ">\r\n"
                + extra
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    /** A response to {@code request} echoing its Via, From, Call-ID and CSeq, with a To tag and {@code contact}. */
    static String response(String request, int status, String reason, String toTag, String contact,
            String body) {
        StringBuilder r = new StringBuilder("SIP/2.0 " + status + " " + reason + "\r\n");
        for (String line : request.split("\r\n", 0)) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("via:") || lower.startsWith("from:") || lower.startsWith("call-id:")
                    || lower.startsWith("cseq:")) {
                r.append(line).append("\r\n");
            } else if (lower.startsWith("to:")) {
                r.append(line).append(line.contains(";tag=") ? "" : ";tag=" + toTag).append("\r\n");
            }
        }
        r.append("Contact: <").append(contact).append(">\r\n");
        if (!body.isEmpty()) {
            r.append("Content-Type: application/sdp\r\n");
        }
        return r.append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body).toString();
    }

    @Test
    void aLateOfferIsAnsweredInTheAckThenInfoDtmfHoldResumeAndAByeWithACause() throws IOException {
        String target = "sip:100@127.0.0.1:" + sip.port();
        String to = "<" + target + ">";
        peer.send(request("INVITE", target, 1, "late-1", to, "", ""), sip.port());
        events.next(CallEvent.Incoming.class);
        Call call = events.calls.get(0);
        call.answer();

        String ok = peer.finalResponse(WAIT);
        assertThat(ok).as("200 OK to the late-offer INVITE").startsWith("SIP/2.0 200");
        assertThat(RawSipPeer.body(ok)).contains("m=audio").contains("RTP/AVP 0 8 101");
        String dialogTo = RawSipPeer.header(ok, "To", "t");
        String contact = RawSipPeer.header(ok, "Contact", "m").replaceAll("^<|>.*$", "");
        peer.send(request("ACK", contact, 1, "late-2", dialogTo, "Content-Type: application/sdp\r\n",
                sdp(40000, "sendrecv")), sip.port());
        Await.until("the call confirmed by the ACK", WAIT, () -> call.state() == CallState.IDLE);
        Await.until("the ACK's answer applied", WAIT, () -> !media.sessions().get(0).remotes().isEmpty());
        assertThat(media.sessions().get(0).remotes().get(0).port()).isEqualTo(40000);

        peer.send(request("INFO", contact, 2, "late-3", dialogTo, "Content-Type: application/dtmf-relay\r\n",
                "Signal=5\r\nDuration=160\r\n"), sip.port());
        assertThat(peer.finalResponse(WAIT)).startsWith("SIP/2.0 200");
        assertThat(events.next(CallEvent.Dtmf.class).digit()).isEqualTo('5');

        peer.send(request("INVITE", contact, 3, "late-4", dialogTo, "Content-Type: application/sdp\r\n",
                sdp(40000, "sendonly")), sip.port());
        String held = peer.finalResponse(WAIT);
        assertThat(held).startsWith("SIP/2.0 200");
        assertThat(RawSipPeer.body(held)).contains("a=recvonly");
        peer.send(request("ACK", contact, 3, "late-5", dialogTo, "", ""), sip.port());
        Await.until("hold applied", WAIT, () -> media.sessions().get(0).remotes().size() == 2);
        assertThat(media.sessions().get(0).remotes().get(1).direction()).isEqualTo(MediaDirection.SENDONLY);

        peer.send(request("INVITE", contact, 4, "late-6", dialogTo, "Content-Type: application/sdp\r\n",
                sdp(40002, "sendrecv")), sip.port());
        String resumed = peer.finalResponse(WAIT);
        assertThat(RawSipPeer.body(resumed)).contains("a=sendrecv");
        peer.send(request("ACK", contact, 4, "late-7", dialogTo, "", ""), sip.port());
        Await.until("resume applied", WAIT, () -> media.sessions().get(0).remotes().size() == 3);
        assertThat(media.sessions().get(0).remotes().get(2).port()).isEqualTo(40002);
        assertThat(media.sessions().get(0).remotes().get(2).direction()).isEqualTo(MediaDirection.SENDRECV);

        peer.send(request("BYE", contact, 5, "late-8", dialogTo, "Reason: SIP;cause=486;text=\"Busy\"\r\n", ""),
                sip.port());
        assertThat(peer.finalResponse(WAIT)).startsWith("SIP/2.0 200");
        CallEvent.Released released = events.next(CallEvent.Released.class);
        assertThat(released.droppedBy()).isEqualTo(DroppedBy.USR);
        assertThat(released.cause()).isEqualTo(486);
    }

    @Test
    void earlyMediaIn183ReachesMediaThenTheAnswerIsAcknowledgedAndTheByeCarriesTheCause() throws IOException {
        Call call = engine.dial(DialOptions.builder().fromUri("sip:400@127.0.0.1")
                .toUri("sip:bob@127.0.0.1:" + peer.port()).maxAnswerSeconds(60).build(), events);
        String invite = peer.receive(WAIT, m -> m.startsWith("INVITE "));
        assertThat(invite).as("the engine's INVITE").isNotNull();
        assertThat(RawSipPeer.body(invite)).contains("m=audio").contains("a=rtpmap:101 telephone-event/8000");
        String contact = "sip:bob@127.0.0.1:" + peer.port();

        peer.send(response(invite, 183, "Session Progress", "bob-tag", contact, sdp(41000, "sendrecv")), sip.port());
        Await.until("ringing", WAIT, () -> call.state() == CallState.RING);
        Await.until("early media applied", WAIT, () -> !media.sessions().get(0).remotes().isEmpty());
        assertThat(media.sessions().get(0).remotes().get(0).port()).isEqualTo(41000);

        peer.send(response(invite, 200, "OK", "bob-tag", contact, sdp(41000, "sendrecv")), sip.port());
        assertThat(peer.receive(WAIT, m -> m.startsWith("ACK "))).as("the ACK of the 200").isNotNull();
        assertThat(events.next(CallEvent.DialCompleted.class).error()).isNull();
        events.next(CallEvent.Answered.class);

        call.drop(503);
        String bye = peer.receive(WAIT, m -> m.startsWith("BYE "));
        assertThat(bye).as("the engine's BYE").isNotNull();
        assertThat(RawSipPeer.header(bye, "Reason", null)).contains("cause=503");
        peer.send(response(bye, 200, "OK", "bob-tag", contact, ""), sip.port());
        assertThat(events.next(CallEvent.Released.class).cause()).isEqualTo(503);
    }

    @Test
    void unknownAndUnsupportedMethodsGet501And405() throws IOException {
        String target = "sip:100@127.0.0.1:" + sip.port();
        peer.send(request("FROBNICATE", target, 1, "m1-1", "<" + target + ">", "", ""), sip.port());
        assertThat(RawSipPeer.status(peer.finalResponse(WAIT))).isEqualTo(501);
        peer.send(request("REGISTER", target, 1, "m2-1", "<" + target + ">", "", ""), sip.port());
        String notAllowed = peer.finalResponse(WAIT);
        assertThat(RawSipPeer.status(notAllowed)).isEqualTo(405);
        assertThat(RawSipPeer.header(notAllowed, "Allow", null)).contains("INVITE");
        peer.send(request("BYE", target, 1, "m3-1", "<" + target + ">;tag=none", "", ""), sip.port());
        assertThat(RawSipPeer.status(peer.finalResponse(WAIT))).isEqualTo(481);
    }

    @Test
    void anOutboundProxyReceivesTheInviteWithALooseRoute() throws IOException {
        SipSignalingProvider proxied = new SipSignalingProvider(SipConfig.builder().port(0)
                .outboundProxy(org.cti4j.api.SipUri.parse("127.0.0.1:" + peer.port())).build());
        try (CoreEngine viaProxy = CoreEngine.builder().nodeId("0.0.5").signaling(proxied)
                .media(new ScriptedMedia()).build()) {
            viaProxy.dial(DialOptions.builder().fromUri("sip:400@127.0.0.1").toUri("sip:13898877785@gw.invalid")
                    .maxAnswerSeconds(60).build(), events);
            String invite = peer.receive(WAIT, m -> m.startsWith("INVITE "));
            assertThat(invite).as("the INVITE at the proxy").isNotNull()
                    .startsWith("INVITE sip:13898877785@gw.invalid SIP/2.0");
            assertThat(RawSipPeer.header(invite, "Route", null)).contains("127.0.0.1:" + peer.port()).contains("lr");
        }
    }

    @Test
    void aRedirectCarriesTheTargetInItsContact() throws IOException {
        String target = "sip:100@127.0.0.1:" + sip.port();
        peer.send(request("INVITE", target, 1, "redir-1", "<" + target + ">", "Content-Type: application/sdp\r\n",
                sdp(42000, "sendrecv")), sip.port());
        events.next(CallEvent.Incoming.class);
        events.calls.get(0).redirect("sip:2000@127.0.0.1:5999");
        String moved = peer.finalResponse(WAIT);
        assertThat(RawSipPeer.status(moved)).isEqualTo(302);
        assertThat(RawSipPeer.header(moved, "Contact", "m")).contains("sip:2000@127.0.0.1:5999");
        assertThat(events.next(CallEvent.Released.class).cause()).isEqualTo(302);
    }

    /** A call the engine dialled, and the INVITE the peer got. */
    private record Dialled(Call call, String invite) {
    }

    /** The engine dials the peer, which answers with PCMA only (no telephone-event). */
    private Dialled answeredWithoutTelephoneEvent(String contact) throws IOException {
        Call call = engine.dial(
                DialOptions.builder().fromUri("sip:400@127.0.0.1").toUri(contact).maxAnswerSeconds(60).build(),
                events);
        String invite = peer.receive(WAIT, m -> m.startsWith("INVITE "));
        assertThat(invite).as("the engine's INVITE").isNotNull();
        String pcmaOnly = sdp(41000, "sendrecv").replace(" 101", "").replace("a=rtpmap:101 telephone-event/8000\r\n",
                "");
        peer.send(response(invite, 200, "OK", "bob-tag", contact, pcmaOnly), sip.port());
        assertThat(peer.receive(WAIT, m -> m.startsWith("ACK "))).as("the ACK of the 200").isNotNull();
        events.next(CallEvent.Answered.class);
        return new Dialled(call, invite);
    }

    private String nextInfo() throws IOException {
        String info = peer.receive(WAIT, m -> m.startsWith("INFO "));
        assertThat(info).as("an INFO from the engine").isNotNull();
        return info;
    }

    @Test
    void keysToAPeerWithoutTelephoneEventAreInfosOfTheDialogCarryingDtmfRelayOneAtATime() throws IOException {
        String contact = "sip:bob@127.0.0.1:" + peer.port();
        Dialled dialled = answeredWithoutTelephoneEvent(contact);
        String invite = dialled.invite();
        CompletionStage<CallEvent.SendDtmfCompleted> sent = dialled.call().sendDtmfStart("5*");

        String first = nextInfo();
        assertThat(first).startsWith("INFO " + contact + " SIP/2.0\r\n");
        assertThat(RawSipPeer.header(first, "Call-ID", "i")).isEqualTo(RawSipPeer.header(invite, "Call-ID", "i"));
        assertThat(RawSipPeer.header(first, "To", "t")).contains("tag=bob-tag");
        assertThat(RawSipPeer.header(first, "From", "f")).isEqualTo(RawSipPeer.header(invite, "From", "f"));
        assertThat(RawSipPeer.header(first, "CSeq", null)).endsWith(" INFO");
        assertThat(RawSipPeer.header(first, "Content-Type", "c")).isEqualToIgnoringCase("application/dtmf-relay");
        assertThat(RawSipPeer.body(first)).isEqualTo("Signal=5\r\nDuration=160\r\n");
        assertThat(peer.receive(Duration.ofMillis(400), m -> m.startsWith("INFO ") && !m.equals(first)))
                .as("a second INFO before the first was answered").isNull();

        peer.send(response(first, 200, "OK", "bob-tag", contact, ""), sip.port());
        // Not a retransmission of the first (Timer E, 500 ms after it): another transaction, another CSeq.
        String cseq = RawSipPeer.header(first, "CSeq", null);
        String second = peer.receive(WAIT,
                m -> m.startsWith("INFO ") && !cseq.equals(RawSipPeer.header(m, "CSeq", null)));
        assertThat(second).as("a second INFO from the engine").isNotNull();
        assertThat(RawSipPeer.body(second)).isEqualTo("Signal=*\r\nDuration=160\r\n");
        long cseq1 = Long.parseLong(RawSipPeer.header(first, "CSeq", null).split(" ", 0)[0]);
        assertThat(RawSipPeer.header(second, "CSeq", null)).isEqualTo((cseq1 + 1) + " INFO");
        peer.send(response(second, 200, "OK", "bob-tag", contact, ""), sip.port());

        CallEvent.SendDtmfCompleted done = events.next(CallEvent.SendDtmfCompleted.class);
        assertThat(done.reason()).isEqualTo(SendDtmfEndReason.FINISHED);
        assertThat(sent.toCompletableFuture().join()).isEqualTo(done);
        assertThat(media.sessions().get(0).last("dtmf")).as("RFC 4733 events").isNull();
    }

    @Test
    void anInfoAnswered415EndsTheSendingFailedAndTheCallGoesOn() throws IOException {
        String contact = "sip:bob@127.0.0.1:" + peer.port();
        Call call = answeredWithoutTelephoneEvent(contact).call();
        call.sendDtmfStart("12");
        peer.send(response(nextInfo(), 415, "Unsupported Media Type", "bob-tag", contact, ""), sip.port());

        CallEvent.SendDtmfCompleted done = events.next(CallEvent.SendDtmfCompleted.class);
        assertThat(done.reason()).isEqualTo(SendDtmfEndReason.FAILED);
        assertThat(done.error()).contains("415 Unsupported Media Type").contains("key '1'");
        assertThat(peer.receive(Duration.ofMillis(500), m -> m.startsWith("INFO "))).as("an INFO after the 415")
                .isNull();
        assertThat(call.state()).isEqualTo(CallState.IDLE);
    }
}
