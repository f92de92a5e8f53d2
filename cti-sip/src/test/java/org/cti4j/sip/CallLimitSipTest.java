package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An engine at its limit of live calls, over real SIP: a proxy's OPTIONS probe and the call past the limit get 503
 * with {@code Retry-After: 5} at once, and the engine keeps serving the call it has.
 */
class CallLimitSipTest {

    private SipSignalingProvider sip;
    private CoreEngine engine;

    @BeforeEach
    void start() {
        sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        engine = CoreEngine.builder().signaling(sip).media(new ScriptedMedia()).maxLiveCalls(1)
                .incomingCallListener(RawCalls.answering()).build();
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void theCallPastTheLimitGets503WithRetryAfterAndTheLiveOneGoesOn() throws Exception {
        try (RawPeer peer = RawPeer.open("UDP", sip.port())) {
            String first = RawCalls.unique("first");
            peer.send(RawCalls.invite(peer, sip.port(), first, "alice", "bob", "application/sdp",
                    RawCalls.pcmu(40_000)), sip.port());
            assertThat(RawSipPeer.status(peer.finalResponse(RawCalls.WAIT))).isEqualTo(200);

            String probe = RawCalls.unique("probe");
            peer.send(RawCalls.request(peer, "OPTIONS", "sip:127.0.0.1:" + sip.port(), probe, 1,
                    RawCalls.dialogHeaders("probe", "engine", sip.port(), probe), null, ""), sip.port());
            String health = peer.receive(RawCalls.WAIT, m -> m.startsWith("SIP/2.0 ") && m.contains(probe));
            assertThat(RawSipPeer.status(health)).as("a proxy's probe at the limit").isEqualTo(503);
            assertThat(RawSipPeer.header(health, "Retry-After", null)).isEqualTo("5");

            String second = RawCalls.unique("second");
            String invite = RawCalls.invite(peer, sip.port(), second, "carol", "bob", "application/sdp",
                    RawCalls.pcmu(40_002));
            peer.send(invite, sip.port());
            String refused = peer.finalResponse(RawCalls.WAIT);
            assertThat(RawSipPeer.status(refused)).isEqualTo(503);
            assertThat(RawSipPeer.header(refused, "Retry-After", null)).isEqualTo("5");
            peer.send(RawCalls.ackOfFailure(invite, refused), sip.port());
            assertThat(engine.resources()).as("only the first call").hasSize(1);
            Await.until("the refused leg gone", RawCalls.WAIT, () -> sip.liveLegs() == 1);
        }
    }
}
