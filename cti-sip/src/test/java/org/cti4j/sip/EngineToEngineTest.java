package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.DialOptions;
import org.cti4j.api.DroppedBy;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two engines in one JVM calling each other over real SIP on loopback (media scripted: no RTP here). */
class EngineToEngineTest {

    private final Events aEvents = new Events();
    private final Events bEvents = new Events();
    private SipSignalingProvider aSip;
    private SipSignalingProvider bSip;
    private CoreEngine a;
    private CoreEngine b;

    private void start(SipConfig.Builder aConfig, SipConfig.Builder bConfig) {
        aSip = new SipSignalingProvider(aConfig.port(0).build());
        bSip = new SipSignalingProvider(bConfig.port(0).build());
        a = CoreEngine.builder().nodeId("0.0.1").signaling(aSip).media(new ScriptedMedia()).cdrListener(aEvents)
                .build();
        b = CoreEngine.builder().nodeId("0.0.2").signaling(bSip).media(new ScriptedMedia()).cdrListener(bEvents)
                .incomingCallListener(bEvents).build();
    }

    @AfterEach
    void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private Call dialB() {
        return a.dial(DialOptions.builder().fromUri("sip:1000@127.0.0.1").toUri("sip:2000@127.0.0.1:" + bSip.port())
                .maxAnswerSeconds(60).maxRingSeconds(20).build(), aEvents);
    }

    @Test
    void aCallIsOfferedAnsweredAndHungUpWithTheReasonCause() {
        start(SipConfig.builder(), SipConfig.builder());
        Call outbound = dialB();
        CallEvent.Incoming incoming = bEvents.next(CallEvent.Incoming.class);
        assertThat(incoming.fromUri().user()).isEqualTo("1000");
        assertThat(incoming.toUri().user()).isEqualTo("2000");
        Call inbound = bEvents.calls.get(0);
        inbound.answer();

        assertThat(aEvents.next(CallEvent.DialCompleted.class).error()).isNull();
        aEvents.next(CallEvent.Answered.class);
        Await.until("the inbound call connected", Events.WAIT, () -> inbound.state().isConnected());

        outbound.drop(503);
        CallEvent.Released atB = bEvents.next(CallEvent.Released.class);
        assertThat(atB.droppedBy()).isEqualTo(DroppedBy.USR);
        assertThat(atB.cause()).isEqualTo(503);
        CallEvent.Released atA = aEvents.next(CallEvent.Released.class);
        assertThat(atA.droppedBy()).isEqualTo(DroppedBy.SYS);
        assertThat(atA.cause()).isEqualTo(503);
        Await.until("no SIP leg left", Events.WAIT, () -> aSip.liveLegs() == 0 && bSip.liveLegs() == 0);
    }

    @Test
    void aRejectedCallReportsTheStatusOnBothSides() {
        start(SipConfig.builder(), SipConfig.builder());
        dialB();
        bEvents.next(CallEvent.Incoming.class);
        bEvents.calls.get(0).drop(486);
        CallEvent.DialCompleted dial = aEvents.next(CallEvent.DialCompleted.class);
        assertThat(dial.error().status()).isEqualTo(486);
        assertThat(aEvents.next(CallEvent.Released.class).cause()).isEqualTo(486);
        assertThat(bEvents.next(CallEvent.Released.class).cause()).isEqualTo(486);
    }

    @Test
    void droppingWhileRingingCancelsTheCallAtTheFarEnd() {
        start(SipConfig.builder(), SipConfig.builder());
        Call outbound = dialB();
        bEvents.next(CallEvent.Incoming.class);
        Await.until("ringing", Events.WAIT, () -> outbound.state() == org.cti4j.api.CallState.RING);
        outbound.drop();
        assertThat(aEvents.next(CallEvent.Released.class).cause()).isEqualTo(487);
        CallEvent.Released atB = bEvents.next(CallEvent.Released.class);
        assertThat(atB.cause()).isEqualTo(487);
        assertThat(atB.droppedBy()).isEqualTo(DroppedBy.USR);
    }

    @Test
    void aRedirectReaches302() {
        start(SipConfig.builder(), SipConfig.builder());
        dialB();
        bEvents.next(CallEvent.Incoming.class);
        bEvents.calls.get(0).redirect("sip:3000@127.0.0.1:5999");
        assertThat(aEvents.next(CallEvent.DialCompleted.class).error().status()).isEqualTo(302);
        assertThat(bEvents.next(CallEvent.Released.class).cause()).isEqualTo(302);
    }

    @Test
    void aCallAnsweredOverTcpWorks() {
        start(SipConfig.builder().transport(SipTransport.TCP), SipConfig.builder());
        Call outbound = dialB();
        bEvents.next(CallEvent.Incoming.class);
        bEvents.calls.get(0).answer();
        aEvents.next(CallEvent.Answered.class);
        bEvents.calls.get(0).drop();
        assertThat(aEvents.next(CallEvent.Released.class).droppedBy()).isEqualTo(DroppedBy.USR);
        assertThat(outbound.isReleased()).isTrue();
    }

    @Test
    void aDigestChallengeIsAnswered() {
        start(SipConfig.builder().credential(new SipCredential("cti4j-test", "alice", "secret")),
                SipConfig.builder().inboundRealm("cti4j-test").inboundUser("alice", "secret"));
        dialB();
        bEvents.next(CallEvent.Incoming.class);
        bEvents.calls.get(0).answer();
        assertThat(aEvents.next(CallEvent.DialCompleted.class).error()).isNull();
    }

    @Test
    void aWrongPasswordFailsWith401() {
        start(SipConfig.builder().credential(new SipCredential("", "alice", "wrong")),
                SipConfig.builder().inboundRealm("cti4j-test").inboundUser("alice", "secret"));
        dialB();
        assertThat(aEvents.next(CallEvent.DialCompleted.class).error().status()).isEqualTo(401);
    }

    @Test
    void closingTheEnginesLeavesNoSipThreadThatWouldKeepTheJvmAlive() {
        start(SipConfig.builder(), SipConfig.builder());
        dialB();
        bEvents.next(CallEvent.Incoming.class);
        a.close();
        b.close();
        Await.until("no non-daemon JAIN-SIP thread left", Events.WAIT, () -> Thread.getAllStackTraces().keySet()
                .stream().noneMatch(t -> t.isAlive() && !t.isDaemon() && t.getName().startsWith("EventScanner")));
    }
}
