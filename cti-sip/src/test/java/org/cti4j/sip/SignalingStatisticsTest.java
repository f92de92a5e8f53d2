package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.DialOptions;
import org.cti4j.api.EngineStatistics;
import org.cti4j.api.SipUri;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the SIP provider counts for {@link EngineStatistics.Signaling}, against a hand-written peer: the requests and
 * responses it received, a request received twice (the peer retransmitted it), a request it had to send again (the
 * peer kept quiet), a response nothing waited for (dropped), and its registrations.
 */
class SignalingStatisticsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Events events = new Events();
    private SipSignalingProvider sip;
    private CoreEngine engine;
    private RawSipPeer peer;

    @BeforeEach
    void start() throws IOException {
        peer = new RawSipPeer();
        sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        engine = CoreEngine.builder().signaling(sip).media(new ScriptedMedia()).incomingCallListener(events).build();
    }

    @AfterEach
    void stop() {
        engine.close();
        peer.close();
    }

    private EngineStatistics.Signaling counted() {
        return engine.statistics().orElseThrow().signaling();
    }

    @Test
    void requestsAndResponsesReceivedAndARetransmittedRequestAreCounted() throws IOException {
        EngineStatistics.Signaling before = counted();
        String callId = RawCalls.unique("probe");
        String options = RawCalls.request(peer, "OPTIONS", "sip:127.0.0.1:" + sip.port(), callId, 1,
                RawCalls.dialogHeaders("probe", "engine", sip.port(), callId), null, "");
        peer.send(options, sip.port());
        assertThat(RawSipPeer.status(peer.finalResponse(WAIT))).isEqualTo(200);
        Await.until("the OPTIONS counted", WAIT, () -> counted().requestsReceived() == before.requestsReceived() + 1);
        assertThat(counted().retransmissionsReceived()).isEqualTo(before.retransmissionsReceived());

        // The same request again (same branch): its transaction is still there, so it is a retransmission.
        peer.send(options, sip.port());
        assertThat(RawSipPeer.status(peer.finalResponse(WAIT))).as("the 200 sent again").isEqualTo(200);
        Await.until("the retransmission counted", WAIT,
                () -> counted().retransmissionsReceived() == before.retransmissionsReceived() + 1);
        assertThat(counted().requestsReceived()).isEqualTo(before.requestsReceived() + 2);

        // A call the peer refuses: 180 then 486, two responses.
        String target = "sip:bob@127.0.0.1:" + peer.port();
        Call call = engine.dial(DialOptions.builder().fromUri("sip:400@127.0.0.1").toUri(target)
                .maxAnswerSeconds(60).build(), events);
        String invite = peer.receive(WAIT, m -> m.startsWith("INVITE "));
        assertThat(invite).isNotNull();
        peer.send(RawPeerDialogTest.response(invite, 180, "Ringing", "bob-tag", target, ""), sip.port());
        peer.send(RawPeerDialogTest.response(invite, 486, "Busy Here", "bob-tag", target, ""), sip.port());
        events.next(CallEvent.Released.class);
        assertThat(call.resId()).isNotEmpty();
        Await.until("both responses counted", WAIT,
                () -> counted().responsesReceived() >= before.responsesReceived() + 2);
    }

    @Test
    void aResponseNothingWaitsForIsDroppedAndCounted() throws IOException {
        EngineStatistics.Signaling before = counted();
        String target = "sip:carol@127.0.0.1:" + peer.port();
        engine.dial(DialOptions.builder().fromUri("sip:400@127.0.0.1").toUri(target).maxAnswerSeconds(60).build(),
                events);
        String invite = peer.receive(WAIT, m -> m.startsWith("INVITE "));
        assertThat(invite).isNotNull();
        String callId = RawSipPeer.header(invite, "Call-ID", "i");
        String via = RawSipPeer.header(invite, "Via", "v");
        String branch = via.substring(via.indexOf("branch=") + "branch=".length()).split(";", 2)[0];
        // A 180 of another call and another transaction (meant for someone else, or a stranger's probe): dropped.
        String elsewhere = invite.replace(callId, "elsewhere-" + callId).replace(branch, branch + "-elsewhere");
        peer.send(RawPeerDialogTest.response(elsewhere, 180, "Ringing", "x-tag", target, ""), sip.port());
        // The call's own responses go through: it rings, then is refused and ends.
        peer.send(RawPeerDialogTest.response(invite, 180, "Ringing", "carol-tag", target, ""), sip.port());
        peer.send(RawPeerDialogTest.response(invite, 486, "Busy Here", "carol-tag", target, ""), sip.port());
        events.next(CallEvent.Released.class);
        // Counted on receipt, dropped a moment later: wait for both.
        Await.until("the three responses received, one dropped", WAIT,
                () -> counted().responsesReceived() >= before.responsesReceived() + 3
                        && counted().responsesDropped() > before.responsesDropped());
        assertThat(counted().responsesDropped()).as("only the other call's response dropped")
                .isEqualTo(before.responsesDropped() + 1);
    }

    @Test
    void anUnansweredInviteIsSentAgainAndCounted() throws IOException {
        long before = counted().retransmissionsSent();
        String target = "sip:quiet@127.0.0.1:" + peer.port();
        engine.dial(DialOptions.builder().fromUri("sip:400@127.0.0.1").toUri(target).maxAnswerSeconds(60).build(),
                events);
        String first = peer.receive(WAIT, m -> m.startsWith("INVITE "));
        assertThat(first).isNotNull();
        // RFC 3261 timer A: over UDP the INVITE goes again after 500 ms, with the same branch.
        String again = peer.receive(WAIT, m -> m.startsWith("INVITE "));
        assertThat(again).as("the INVITE sent again").isNotNull();
        assertThat(RawSipPeer.header(again, "Via", "v")).isEqualTo(RawSipPeer.header(first, "Via", "v"));
        Await.until("the retransmission counted", WAIT, () -> counted().retransmissionsSent() > before);
        // The call goes on as ever: answered with a failure, it ends.
        peer.send(RawPeerDialogTest.response(again, 486, "Busy Here", "quiet-tag", target, ""), sip.port());
        events.next(CallEvent.Released.class);
    }

    @Test
    void eachAccountSaysWhetherItIsRegistered() throws IOException {
        assertThat(counted().registrations()).as("no account").isEmpty();
        // The account's registrar is a peer that answers the first REGISTER with 200, the refresh never.
        try (RawSipPeer registrar = new RawSipPeer()) {
            SipSignalingProvider registering = new SipSignalingProvider(SipConfig.builder().port(0)
                    .account(SipAccount.builder("carrier", SipUri.parse("sip:127.0.0.1:" + registrar.port()),
                            SipUri.parse("sip:cti@127.0.0.1")).build()).build());
            try (CoreEngine withAccount = CoreEngine.builder().signaling(registering).media(new ScriptedMedia())
                    .build()) {
                EngineStatistics.Registration first = withAccount.statistics().orElseThrow().signaling()
                        .registrations().get(0);
                assertThat(first.account()).isEqualTo("carrier");
                assertThat(first.aor()).isEqualTo("sip:cti@127.0.0.1");
                assertThat(first.registered()).as("before the registrar answered").isFalse();
                String register = registrar.receive(WAIT, m -> m.startsWith("REGISTER "));
                assertThat(register).isNotNull();
                String granted = RawPeerDialogTest.response(register, 200, "OK", "reg-tag", "x", "")
                        .replace("Contact: <x>", "Contact: " + RawSipPeer.header(register, "Contact", "m")
                                + ";expires=3600");
                registrar.send(granted, registering.port());
                Await.until("the account registered", WAIT, () -> withAccount.statistics().orElseThrow().signaling()
                        .registrations().get(0).registered());
            }
        }
    }
}
