package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A draining engine over real SIP, as a proxy in front of several engines sees it (Kamailio's dispatcher probes with
 * OPTIONS): before the drain OPTIONS get 200; from the drain on, OPTIONS and new INVITEs get 503 with
 * {@code Retry-After}, over UDP and TCP, while the call already live is served to its end, after which the engine
 * stops.
 */
class DrainSipTest {

    private SipSignalingProvider sip;
    private CoreEngine engine;

    @BeforeEach
    void start() {
        sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        engine = CoreEngine.builder().signaling(sip).media(new ScriptedMedia())
                .incomingCallListener(RawCalls.answering()).build();
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private String options(RawPeer peer, String callId) throws Exception {
        peer.send(RawCalls.request(peer, "OPTIONS", "sip:127.0.0.1:" + sip.port(), callId, 1,
                RawCalls.dialogHeaders("probe", "engine", sip.port(), callId), null, ""), sip.port());
        return peer.finalResponse(RawCalls.WAIT);
    }

    @Test
    void fromTheDrainOnOptionsAndNewCallsGet503WithRetryAfterAndTheLiveCallEndsNormally() throws Exception {
        try (RawPeer udp = RawPeer.open("UDP", sip.port()); RawPeer tcp = RawPeer.open("TCP", sip.port())) {
            assertThat(RawSipPeer.status(options(udp, RawCalls.unique("before")))).isEqualTo(200);
            // a call that is live when the drain begins
            String callId = RawCalls.unique("live");
            udp.send(RawCalls.invite(udp, sip.port(), callId, "alice", "bob", "application/sdp",
                    RawCalls.pcmu(40_000)), sip.port());
            String ok = udp.finalResponse(RawCalls.WAIT);
            assertThat(RawSipPeer.status(ok)).isEqualTo(200);
            String inDialog = RawCalls.dialogHeaders("alice", "bob", sip.port(), callId).replaceFirst("(?m)^To: .*$",
                    java.util.regex.Matcher.quoteReplacement("To: " + RawSipPeer.header(ok, "To", "t")));
            String contact = RawSipPeer.header(ok, "Contact", "m").replaceAll("^<|>.*$", "");
            udp.send(RawCalls.request(udp, "ACK", contact, callId + "-ack", 1, inDialog, null, ""), sip.port());
            Await.until("the call answered", RawCalls.WAIT, () -> engine.resources().size() == 1);

            CompletableFuture<Void> stopped = engine.drain(Duration.ofMinutes(5)).toCompletableFuture();

            for (RawPeer peer : new RawPeer[] {udp, tcp}) {
                String probe = options(peer, RawCalls.unique("probe"));
                assertThat(RawSipPeer.status(probe)).as("OPTIONS over %s", peer.transport()).isEqualTo(503);
                assertThat(RawSipPeer.header(probe, "Retry-After", null)).isEqualTo("60");
                peer.send(RawCalls.invite(peer, sip.port(), RawCalls.unique("new"), "carol", "bob", "application/sdp",
                        RawCalls.pcmu(40_002)), sip.port());
                String refused = peer.finalResponse(RawCalls.WAIT);
                assertThat(RawSipPeer.status(refused)).as("a new INVITE over %s", peer.transport()).isEqualTo(503);
                assertThat(RawSipPeer.header(refused, "Retry-After", null)).isEqualTo("60");
            }
            assertThat(engine.resources()).as("only the live call").hasSize(1);
            assertThat(stopped).isNotDone();

            // The live call's BYE is served as ever; then the engine has nothing left and stops.
            udp.send(RawCalls.request(udp, "BYE", contact, callId + "-bye", 2, inDialog, null, ""), sip.port());
            String byeOk = udp.receive(RawCalls.WAIT, m -> m.startsWith("SIP/2.0 ") && m.contains(" BYE\r\n"));
            assertThat(byeOk).isNotNull().startsWith("SIP/2.0 200");
            Await.until("the engine stopped", Duration.ofSeconds(20), stopped::isDone);
        }
    }
}
