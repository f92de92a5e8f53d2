package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallState;
import org.cti4j.api.DialOptions;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.spi.SignalingProviderFactory;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Behind NAT: the advertised address in the Via and Contact of what the engine sends, {@code rport} (RFC 3581) in
 * the Via of every request it originates, and responses sent back to where a request came from when its Via asks
 * with {@code rport}, whatever address that Via names. The peer is a raw UDP socket on loopback; 192.0.2.x
 * (a documentation network) is never reached.
 */
class NatAddressingTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ADVERTISED = "192.0.2.1";

    private final Events events = new Events();
    private SipSignalingProvider sip;
    private CoreEngine engine;
    private RawSipPeer peer;

    @BeforeEach
    void start() throws IOException {
        sip = new SipSignalingProvider(SipConfig.builder().port(0).advertisedAddress(ADVERTISED).build());
        engine = CoreEngine.builder().signaling(sip).media(new ScriptedMedia()).incomingCallListener(events).build();
        peer = new RawSipPeer();
    }

    @AfterEach
    void stop() {
        engine.close();
        peer.close();
    }

    private static String sdp(int port) {
        return "v=0\r\no=peer 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n";
    }

    /** A response to {@code request} from the peer, with its Contact. */
    private String response(String request, int status, String body) {
        return RawPeerDialogTest.response(request, status, status == 180 ? "Ringing" : "Done", "bob",
                "sip:bob@127.0.0.1:" + peer.port(), body);
    }

    /** Dials the peer. */
    private Call dialPeer() {
        return engine.dial(DialOptions.builder().fromUri("sip:400@127.0.0.1")
                .toUri("sip:bob@127.0.0.1:" + peer.port()).maxAnswerSeconds(60).build(), events);
    }

    /** Returns the next {@code method} request the peer receives, checked to name the advertised sent-by. */
    private String received(String method) throws IOException {
        String request = peer.receive(WAIT, m -> m.startsWith(method + " "));
        assertThat(request).as("the engine's %s", method).isNotNull();
        assertThat(RawSipPeer.header(request, "Via", "v")).as("the %s's Via", method)
                .startsWith("SIP/2.0/UDP " + ADVERTISED + ":" + sip.port()).contains(";rport");
        return request;
    }

    @Test
    void theAdvertisedAddressIsReadFromEnginePropertiesAndDefaultsToTheListenHost() {
        assertThat(SipConfig.fromProperties(Map.of("sip.host", "10.0.0.5")).advertisedAddress())
                .isEqualTo("10.0.0.5");
        assertThat(SipConfig.fromProperties(Map.of("sip.advertised-address", " 203.0.113.7 ")).advertisedAddress())
                .isEqualTo("203.0.113.7");
        SignalingProviderFactory factory = new SipSignalingProviderFactory();
        assertThat(factory.propertyKeys()).contains("sip.advertised-address");
        for (String bad : new String[] {"", "192.0.2.1:5060", "a b", "host;x=1", "2001:db8::1"}) {
            assertThatThrownBy(() -> SipConfig.fromProperties(Map.of("sip.advertised-address", bad)))
                    .as("'%s'", bad).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("sip.advertised-address");
        }
    }

    @Test
    void anOutboundCallNamesTheAdvertisedAddressAndAsksForRportInEveryRequest() throws IOException {
        Call call = dialPeer();
        String invite = received("INVITE");
        String sentBy = ADVERTISED + ":" + sip.port();
        assertThat(RawSipPeer.header(invite, "Contact", "m")).contains("@" + sentBy);

        // The response goes back to the port the INVITE came from: the engine still takes it as its own.
        peer.send(response(invite, 200, sdp(41000)), sip.port());
        received("ACK");
        events.next(CallEvent.Answered.class);

        call.drop(200);
        String bye = received("BYE");
        assertThat(RawSipPeer.header(bye, "Contact", "m")).satisfiesAnyOf(
                contact -> assertThat(contact).isNull(), contact -> assertThat(contact).contains(sentBy));
        peer.send(response(bye, 200, ""), sip.port());
        events.next(CallEvent.Released.class);
    }

    @Test
    void theCancelOfARingingCallAsksForRportToo() throws IOException {
        Call call = dialPeer();
        String invite = received("INVITE");
        peer.send(response(invite, 180, ""), sip.port());
        Await.until("ringing", WAIT, () -> call.state() == CallState.RING);

        call.drop(200);
        String cancel = received("CANCEL");
        peer.send(response(cancel, 200, ""), sip.port());
        peer.send(response(invite, 487, ""), sip.port());
        events.next(CallEvent.Released.class);
    }

    @Test
    void aRequestWhoseViaAsksForRportIsAnsweredAtItsSourceWithReceivedAndRportFilledIn() throws IOException {
        String target = "sip:100@127.0.0.1:" + sip.port();
        // The Via names an address nothing listens on, as a phone behind NAT names its private one.
        String invite = "INVITE " + target + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.9:5999;branch=z9hG4bK-nat-1;rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:peer@192.0.2.9:5999>;tag=peer-tag\r\n"
                + "To: <" + target + ">\r\n"
                + "Call-ID: nat-1@192.0.2.9\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:peer@127.0.0.1:" + peer.port() + ">\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp(42000).length() + "\r\n\r\n" + sdp(42000);
        peer.send(invite, sip.port());
        events.next(CallEvent.Incoming.class);
        events.calls.get(0).answer();

        String ok = peer.finalResponse(WAIT);
        assertThat(ok).as("the 200 OK, at the INVITE's source").isNotNull().startsWith("SIP/2.0 200");
        assertThat(RawSipPeer.header(ok, "Via", "v")).contains("received=127.0.0.1")
                .contains("rport=" + peer.port());
        assertThat(RawSipPeer.header(ok, "Contact", "m")).contains("@" + ADVERTISED + ":" + sip.port());
    }
}
