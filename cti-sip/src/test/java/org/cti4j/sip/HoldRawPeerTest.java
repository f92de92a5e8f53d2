package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cti4j.sip.RawPeerDialogTest.response;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.DialOptions;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code hold} and {@code unhold} on the wire, against a hand-scripted peer: the re-INVITE's SDP and CSeq, the ACK
 * of its 2xx (again for a retransmitted one), glare both ways (the peer's re-INVITE while the engine's is pending gets
 * 491; the peer's 491 is reported), and the peer's own re-INVITE while held answered within {@code sendonly}.
 */
class HoldRawPeerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Events events = new Events();
    private final ScriptedMedia media = new ScriptedMedia();
    private SipSignalingProvider sip;
    private CoreEngine engine;
    private RawSipPeer peer;

    @BeforeEach
    void start() throws IOException {
        sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        engine = CoreEngine.builder().signaling(sip).media(media).build();
        peer = new RawSipPeer();
    }

    @AfterEach
    void stop() {
        engine.close();
        peer.close();
    }

    private static String sdp(int version, String direction) {
        return "v=0\r\no=peer 1 " + version + " IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 41000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=" + direction + "\r\n";
    }

    /** A request of the peer within the dialog the engine's {@code invite} made. */
    private String peerRequest(String method, String invite, int cseq, String branch, String body) {
        String engineContact = RawSipPeer.header(invite, "Contact", "m").replaceAll("^<|>.*$", "");
        return method + " " + engineContact + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + peer.port() + ";branch=z9hG4bK-" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: " + RawSipPeer.header(invite, "To", "t") + ";tag=bob-tag\r\n"
                + "To: " + RawSipPeer.header(invite, "From", "f") + "\r\n"
                + "Call-ID: " + RawSipPeer.header(invite, "Call-ID", "i") + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Contact: <sip:bob@127.0.0.1:" + peer.port() + ">\r\n"
                + (body.isEmpty() ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private MediaDescription lastRemote() {
        List<MediaDescription> remotes = media.sessions().get(0).remotes();
        return remotes.get(remotes.size() - 1);
    }

    private String next(String prefix) throws IOException {
        String message = peer.receive(WAIT, m -> m.startsWith(prefix));
        assertThat(message).as("a message starting with " + prefix).isNotNull();
        return message;
    }

    @Test
    void holdAndUnholdOnTheWireWithGlareAndThePeersOwnReInvite() throws IOException {
        String contact = "sip:bob@127.0.0.1:" + peer.port();
        Call call = engine.dial(DialOptions.builder().fromUri("sip:400@127.0.0.1").toUri(contact)
                .maxAnswerSeconds(60).build(), events);
        String invite = next("INVITE ");
        peer.send(response(invite, 200, "OK", "bob-tag", contact, sdp(1, "sendrecv")), sip.port());
        next("ACK ");
        events.next(CallEvent.Answered.class);

        CompletionStage<CallEvent.HoldCompleted> held = call.hold();
        String hold = next("INVITE ");
        assertThat(hold).startsWith("INVITE " + contact + " SIP/2.0");
        assertThat(RawSipPeer.header(hold, "CSeq", null)).isEqualTo("2 INVITE");
        assertThat(RawSipPeer.header(hold, "To", "t")).contains("tag=bob-tag");
        assertThat(RawSipPeer.body(hold)).contains("a=sendonly");

        // Glare: the peer's own re-INVITE while the engine's awaits its answer.
        String glare = peerRequest("INVITE", invite, 1, "glare", sdp(2, "sendrecv"));
        peer.send(glare, sip.port());
        String pending = peer.finalResponse(WAIT);
        assertThat(RawSipPeer.status(pending)).isEqualTo(491);
        peer.send(peerRequest("ACK", invite, 1, "glare", ""), sip.port());

        String holdOk = response(hold, 200, "OK", "bob-tag", contact, sdp(3, "recvonly"));
        peer.send(holdOk, sip.port());
        String ack = next("ACK ");
        assertThat(RawSipPeer.header(ack, "CSeq", null)).isEqualTo("2 ACK");
        assertThat(held.toCompletableFuture()).succeedsWithin(WAIT)
                .isEqualTo(new CallEvent.HoldCompleted(call.resId(), true, null));
        Await.until("the answer applied", WAIT, () -> lastRemote().direction() == MediaDirection.RECVONLY);
        peer.send(holdOk, sip.port());
        assertThat(RawSipPeer.header(next("ACK "), "CSeq", null)).as("the retransmitted 2xx acknowledged again")
                .isEqualTo("2 ACK");

        // The peer re-INVITEs sendrecv while held: answered sendonly, and the media get what was agreed.
        peer.send(peerRequest("INVITE", invite, 2, "refresh", sdp(4, "sendrecv")), sip.port());
        String refreshed = peer.finalResponse(WAIT);
        assertThat(RawSipPeer.status(refreshed)).isEqualTo(200);
        assertThat(RawSipPeer.body(refreshed)).contains("a=sendonly");
        peer.send(peerRequest("ACK", invite, 2, "refresh-ack", ""), sip.port());
        Await.until("the refresh applied", WAIT, () -> media.sessions().get(0).remotes().size() == 3);
        assertThat(lastRemote().direction()).isEqualTo(MediaDirection.RECVONLY);

        // The peer refuses the unhold: reported, still held.
        CompletionStage<CallEvent.HoldCompleted> resumed = call.unhold();
        String unhold = next("INVITE ");
        assertThat(RawSipPeer.header(unhold, "CSeq", null)).isEqualTo("3 INVITE");
        assertThat(RawSipPeer.body(unhold)).contains("a=sendrecv");
        peer.send(response(unhold, 491, "Request Pending", "bob-tag", contact, ""), sip.port());
        assertThat(resumed.toCompletableFuture()).succeedsWithin(WAIT)
                .isEqualTo(new CallEvent.HoldCompleted(call.resId(), true, "491 Request Pending"));
        assertThat(call.isHeld()).isTrue();

        call.drop();
        String bye = next("BYE ");
        peer.send(response(bye, 200, "OK", "bob-tag", contact, ""), sip.port());
        events.next(CallEvent.Released.class);
    }
}
