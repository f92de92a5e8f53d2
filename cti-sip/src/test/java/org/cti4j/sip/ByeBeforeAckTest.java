package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A BYE that overtakes the ACK of the 200 (UDP may reorder them, and the mutation run's first harness did) is answered
 * and ends the call; the late ACK revives nothing.
 */
class ByeBeforeAckTest {

    private SipSignalingProvider sip;
    private CoreEngine engine;

    @BeforeEach
    void start() {
        sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        engine = CoreEngine.builder().signaling(sip).media(new ScriptedMedia()).build();
        engine.setIncomingCallListener(RawCalls.answering());
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void aByeBeforeTheAckEndsTheCall() throws Exception {
        try (RawPeer peer = RawPeer.open("UDP", sip.port())) {
            String callId = RawCalls.unique("byefirst");
            peer.send(RawCalls.invite(peer, sip.port(), callId, "alice", "bob", "application/sdp",
                    RawCalls.pcmu(40_000)), sip.port());
            String ok = peer.finalResponse(RawCalls.WAIT);
            assertThat(RawSipPeer.status(ok)).isEqualTo(200);
            String to = RawSipPeer.header(ok, "To", "t");
            String contact = RawSipPeer.header(ok, "Contact", "m").replaceAll("^<|>.*$", "");
            String inDialog = RawCalls.dialogHeaders("alice", "bob", sip.port(), callId).replaceFirst("(?m)^To: .*$",
                    java.util.regex.Matcher.quoteReplacement("To: " + to));
            peer.send(RawCalls.request(peer, "BYE", contact, callId + "-bye", 2, inDialog, null, ""), sip.port());
            String byeOk = peer.receive(RawCalls.WAIT, m -> m.startsWith("SIP/2.0 ") && m.contains(" BYE\r\n"));
            peer.send(RawCalls.request(peer, "ACK", contact, callId + "-ack", 1, inDialog, null, ""), sip.port());
            assertThat(byeOk).as("the answer to the BYE").isNotNull().startsWith("SIP/2.0 200");
            Await.until("no leg or call left", Duration.ofSeconds(10),
                    () -> sip.liveLegs() == 0 && engine.resources().isEmpty());
        }
    }
}
