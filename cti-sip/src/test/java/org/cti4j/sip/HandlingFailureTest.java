package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whatever the engine throws while the stack's thread hands it a call, {@link Error}s included, is caught: the INVITE
 * gets 500, the failure is counted, and SIP handling goes on over UDP and TCP. JAIN-SIP 1.3.0-91 catches only
 * {@code Exception} around its listener, so an {@code Error} that escaped would kill one of its worker threads; more
 * failures than workers would end all SIP handling.
 */
class HandlingFailureTest {

    /** More than the stack's worker threads (SipConfig's default 4). */
    private static final int FAILURES = 8;

    private SipSignalingProvider sip;

    @AfterEach
    void stop() {
        if (sip != null) {
            sip.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"UDP", "TCP"})
    void anErrorThrownWhileTakingACallIsAnswered500AndSipHandlingGoesOn(String transport) throws IOException {
        AtomicInteger offered = new AtomicInteger();
        sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        sip.start(leg -> {
            offered.incrementAndGet();
            throw new StackOverflowError("thrown by the test while the engine takes call " + offered.get());
        });
        try (RawPeer peer = RawPeer.open(transport, sip.port())) {
            for (int i = 0; i < FAILURES; i++) {
                String invite = RawCalls.invite(peer, sip.port(), RawCalls.unique("error"), "alice", "bob",
                        "application/sdp", RawCalls.pcmu(40_000));
                peer.send(invite, sip.port());
                String answer = peer.finalResponse(RawCalls.WAIT);
                assertThat(answer).as("the final response to INVITE %d, whose handling throws an Error", i)
                        .isNotNull().startsWith("SIP/2.0 500");
                peer.send(RawCalls.ackOfFailure(invite, answer), sip.port());
            }
            String callId = RawCalls.unique("probe");
            peer.send(RawCalls.request(peer, "OPTIONS", "sip:probe@127.0.0.1:" + sip.port(), callId, 1,
                    RawCalls.dialogHeaders("alice", "probe", sip.port(), callId), null, ""), sip.port());
            assertThat(peer.finalResponse(RawCalls.WAIT)).as("OPTIONS after the failures").startsWith("SIP/2.0 200");
        }
        assertThat(offered).hasValue(FAILURES);
        assertThat(sip.handlingFailures()).isEqualTo(FAILURES);
        assertThat(sip.liveLegs()).as("legs of the failed calls").isZero();
    }
}
