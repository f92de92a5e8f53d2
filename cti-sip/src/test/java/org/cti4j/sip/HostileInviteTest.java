package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.DroppedBy;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * INVITEs that cannot become calls, sent over raw UDP and TCP at a live engine: each gets its final response (never
 * a lone 100), leaves no dialog or transaction behind, and a normal call completes afterwards.
 */
class HostileInviteTest {

    private final Events cdrs = new Events();
    private SipSignalingProvider sip;
    private CoreEngine engine;

    @BeforeEach
    void start() {
        sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        engine = CoreEngine.builder().signaling(sip).media(new ScriptedMedia()).cdrListener(cdrs)
                .incomingCallListener(RawCalls.answering()).build();
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @ParameterizedTest(name = "{0}: {1} user part of {2} characters")
    @CsvSource({
        "UDP, From, 2000", "UDP, From, 10000", "UDP, From, 60000", "UDP, To, 2000", "UDP, To, 10000",
        "UDP, To, 60000", "TCP, From, 2000", "TCP, From, 10000", "TCP, From, 60000", "TCP, To, 2000",
        "TCP, To, 10000", "TCP, To, 60000",
    })
    void aHugeUserPartIsRefusedWith400NamingTheHeaderAndCallsGoOn(String transport, String header, int length)
            throws IOException {
        String huge = "1".repeat(length);
        try (RawPeer peer = RawPeer.open(transport, sip.port())) {
            String callId = RawCalls.unique("huge");
            // The Request-URI stays short: only the header under test carries the huge user part.
            String invite = RawCalls.request(peer, "INVITE", "sip:bob@127.0.0.1:" + sip.port(), callId, 1,
                    RawCalls.dialogHeaders(header.equals("From") ? huge : "alice", header.equals("To") ? huge : "bob",
                            sip.port(), callId), "application/sdp", RawCalls.pcmu(40_000));
            peer.send(invite, sip.port());
            String refused = peer.finalResponse(RawCalls.WAIT);
            assertThat(refused).as("the final response to an INVITE with a %d-character %s user", length, header)
                    .isNotNull();
            assertThat(refused).startsWith("SIP/2.0 400 Bad " + header + " header: user part too long (" + length
                    + " characters, at most " + org.cti4j.api.SipUri.MAX_USER_LENGTH + ")");
            peer.send(RawCalls.ackOfFailure(invite, refused), sip.port());
            RawCalls.completeNormalCall(peer, sip.port());
        }
        assertThat(sip.handlingFailures()).isZero();
        Await.until("the normal call's CDR, and only that one", RawCalls.WAIT, () -> cdrs.cdrs.size() == 1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"UDP", "TCP"})
    void aRequestUriWithAHugeUserPartGets414(String transport) throws IOException {
        try (RawPeer peer = RawPeer.open(transport, sip.port())) {
            String callId = RawCalls.unique("uri");
            String invite = RawCalls.request(peer, "INVITE", "sip:" + "2".repeat(5000) + "@127.0.0.1:" + sip.port(),
                    callId, 1, RawCalls.dialogHeaders("alice", "bob", sip.port(), callId), "application/sdp",
                    RawCalls.pcmu(40_000));
            peer.send(invite, sip.port());
            assertThat(peer.finalResponse(RawCalls.WAIT)).startsWith("SIP/2.0 414 Request-URI Too Long");
            RawCalls.completeNormalCall(peer, sip.port());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "text/plain; hello",
        "multipart/mixed;boundary=xyz; --xyz\r\nContent-Type: text/plain\r\n\r\nhello\r\n--xyz--\r\n",
    })
    void anInviteWithABodyThatIsNotSdpGets415AndLeavesNothingBehind(String type, String body) throws IOException {
        int count = 200;
        try (RawPeer peer = RawPeer.open("UDP", sip.port())) {
            List<String> statuses = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String invite = RawCalls.invite(peer, sip.port(), RawCalls.unique("text"), "alice", "bob", type,
                        body);
                peer.send(invite, sip.port());
                String refused = peer.finalResponse(RawCalls.WAIT);
                assertThat(refused).as("the final response to INVITE %d with a %s body", i, type).isNotNull();
                statuses.add(refused.substring(8, 11));
                assertThat(RawSipPeer.header(refused, "Accept", null)).isEqualTo("application/sdp");
                peer.send(RawCalls.ackOfFailure(invite, refused), sip.port());
            }
            assertThat(statuses).containsOnly("415");
            // A dialog ends with the final response that refuses its INVITE; nothing waits for a timer.
            Await.until("no dialog left of " + count + " refused INVITEs: " + sip.stackDetail(), RawCalls.WAIT,
                    () -> sip.stackDialogs() == 0);
            // The INVITE server transactions end with Timer I (T4, 5 s) after their ACK.
            Await.until("every transaction of the refused INVITEs gone: " + sip.stackDetail(),
                    Duration.ofSeconds(30), () -> sip.stackObjects() == 0);
            RawCalls.completeNormalCall(peer, sip.port());
        }
        Await.until("no leg or call left", RawCalls.WAIT, () -> sip.liveLegs() == 0 && engine.resources().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"UDP", "TCP"})
    void anOfferOfOnlyCodecsTheEngineLacksGets488BeforeItRingsAndIsNeverOffered(String transport)
            throws IOException {
        Events events = new Events();
        engine.setIncomingCallListener(events);
        try (RawPeer peer = RawPeer.open(transport, sip.port())) {
            String invite = RawCalls.invite(peer, sip.port(), RawCalls.unique("g729"), "alice", "bob",
                    "application/sdp", RawCalls.sdp(40_000, "18", "a=rtpmap:18 G729/8000\r\n"));
            peer.send(invite, sip.port());
            List<String> seen = new ArrayList<>();
            String refused = peer.receive(RawCalls.WAIT, m -> {
                seen.add(m.substring(0, m.indexOf("\r\n")));
                return m.startsWith("SIP/2.0 ") && RawSipPeer.status(m) >= 200;
            });
            assertThat(refused).as("a final response; seen %s", seen).isNotNull().startsWith("SIP/2.0 488");
            assertThat(RawSipPeer.header(refused, "Warning", null)).startsWith("305 ")
                    .contains("Incompatible media format");
            assertThat(seen).as("what came before the 488").noneMatch(line -> line.startsWith("SIP/2.0 18"));
            peer.send(RawCalls.ackOfFailure(invite, refused), sip.port());
            Await.until("the refused call's CDR", RawCalls.WAIT, () -> cdrs.cdrs.size() == 1);
            CdrRecord cdr = cdrs.cdrs.get(0);
            assertThat(cdr.cause()).isEqualTo(488);
            assertThat(cdr.droppedBy()).isEqualTo(DroppedBy.SYS);
            assertThat(events.calls).as("calls offered to the application").isEmpty();
            engine.setIncomingCallListener(RawCalls.answering());
            RawCalls.completeNormalCall(peer, sip.port());
            assertThat(events.calls).isEmpty();
            // Listeners hear on_released before the CDR is written: had the refused call been reported, it would be
            // here by now.
            assertThat(events.nextOrNull()).as("an event of the refused call").isNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"UDP", "TCP"})
    void anAcceptThatRefusesSdpGets406(String transport) throws IOException {
        try (RawPeer peer = RawPeer.open(transport, sip.port())) {
            String callId = RawCalls.unique("accept");
            peer.send(RawCalls.request(peer, "INVITE", "sip:bob@127.0.0.1:" + sip.port(), callId, 1,
                    RawCalls.dialogHeaders("alice", "bob", sip.port(), callId) + "Accept: text/nobodyKnowsThis\r\n",
                    "application/sdp", RawCalls.pcmu(40_000)), sip.port());
            assertThat(peer.finalResponse(RawCalls.WAIT)).startsWith("SIP/2.0 406");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"UDP", "TCP"})
    void theEnginesOwnNoAckHangupIsDroppedBySys(String transport) throws IOException {
        engine.close();
        sip = new SipSignalingProvider(SipConfig.builder().port(0).ackTimeout(Duration.ofMillis(500)).build());
        Events events = new Events();
        engine = CoreEngine.builder().signaling(sip).media(new ScriptedMedia()).incomingCallListener(events)
                .build();
        try (RawPeer peer = RawPeer.open(transport, sip.port())) {
            peer.send(RawCalls.invite(peer, sip.port(), RawCalls.unique("noack"), "alice", "bob", "application/sdp",
                    RawCalls.pcmu(40_000)), sip.port());
            events.next(CallEvent.Incoming.class);
            events.calls.get(0).answer();
            assertThat(peer.finalResponse(RawCalls.WAIT)).startsWith("SIP/2.0 200");
            String bye = peer.receive(RawCalls.WAIT, m -> m.startsWith("BYE "));
            assertThat(bye).as("the engine's BYE when no ACK came").isNotNull();
            assertThat(RawSipPeer.header(bye, "Reason", null)).contains("cause=408");
            CallEvent.Released released = events.next(CallEvent.Released.class);
            assertThat(released.cause()).isEqualTo(408);
            assertThat(released.droppedBy()).isEqualTo(DroppedBy.SYS);
        }
    }
}
