package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cti4j.core.EngineFixture.T0;
import static org.cti4j.core.EngineFixture.WAIT;
import static org.cti4j.core.EngineFixture.awaitState;

import java.time.Duration;
import java.util.List;
import org.cti4j.api.Call;
import org.cti4j.api.CallDirection;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallState;
import org.cti4j.api.DroppedBy;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.InvalidStateException;
import org.cti4j.api.SipUri;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.spi.PayloadType;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.Test;

class InboundCallTest {

    private Call offered(EngineFixture f) {
        CallEvent.Incoming incoming = f.recorder.next(CallEvent.Incoming.class);
        return f.engine.call(incoming.resId());
    }

    @Test
    void anInboundCallIsOfferedAnsweredConfirmedAndHungUpByTheCaller() {
        try (EngineFixture f = new EngineFixture()) {
            ScriptedSignaling.Inbound caller = f.sip.incoming("sip:555@10.0.0.1", "sip:100@127.0.0.1", true);
            CallEvent.Incoming incoming = f.recorder.next(CallEvent.Incoming.class);
            assertThat(incoming.fromUri()).isEqualTo(SipUri.parse("sip:555@10.0.0.1"));
            assertThat(incoming.toUri()).isEqualTo(SipUri.parse("sip:100@127.0.0.1"));
            assertThat(incoming.beginTime()).isEqualTo(T0);
            Call call = f.engine.call(incoming.resId());
            assertThat(call.direction()).isEqualTo(CallDirection.INBOUND);
            assertThat(call.state()).isEqualTo(CallState.INITIATED);

            f.clock.advance(Duration.ofSeconds(2));
            call.answer("crm-42");
            caller.awaitAction("answer", WAIT);
            awaitState(call, CallState.ANSWER);
            caller.confirm();
            awaitState(call, CallState.IDLE);
            assertThat(call.userData()).isEqualTo("crm-42");

            f.clock.advance(Duration.ofSeconds(10));
            caller.remoteHangup(200);
            CallEvent.Released released = f.recorder.next(CallEvent.Released.class);
            assertThat(released.callDir()).isEqualTo(CallDirection.INBOUND);
            assertThat(released.answerTime()).isEqualTo(T0.plusSeconds(2));
            assertThat(released.endTime()).isEqualTo(T0.plusSeconds(12));
            assertThat(released.droppedBy()).isEqualTo(DroppedBy.USR);
            assertThat(released.cause()).isEqualTo(200);
            assertThat(released.userData()).isEqualTo("crm-42");
            Await.until("the CDR", WAIT, () -> f.recorder.cdrs().size() == 1);
            assertThat(f.recorder.cdrs().get(0).userData()).isEqualTo("crm-42");
            assertThat(f.recorder.violations()).isEmpty();
        }
    }

    @Test
    void inboundCallsHaveNoDialCompletion() {
        try (EngineFixture f = new EngineFixture()) {
            f.sip.incoming("sip:555@10.0.0.1", "sip:100@127.0.0.1", true);
            Call call = offered(f);
            assertThatThrownBy(call::whenDialCompleted).isInstanceOf(InvalidStateException.class)
                    .hasMessageContaining("inbound");
        }
    }

    @Test
    void aCallWithNobodyListeningIsRefusedWith480() {
        try (EngineFixture f = new EngineFixture(false)) {
            ScriptedSignaling.Inbound caller = f.sip.incoming("sip:555@10.0.0.1", "sip:100@127.0.0.1", true);
            assertThat(caller.awaitAction("reject", WAIT)).isEqualTo("reject 480");
            Await.until("the CDR", WAIT, () -> f.recorder.cdrs().size() == 1);
            assertThat(f.recorder.cdrs().get(0).cause()).isEqualTo(480);
            assertThat(f.engine.resources()).isEmpty();
        }
    }

    @Test
    void anOfferWithNoCommonCodecIsRefused488BeforeItRingsAndIsNeverOffered() {
        try (EngineFixture f = new EngineFixture()) {
            MediaDescription g729 = new MediaDescription("127.0.0.1", 40000,
                    List.of(new PayloadType(18, "G729", 8000), PayloadType.TELEPHONE_EVENT), MediaDirection.SENDRECV);
            ScriptedSignaling.Inbound caller = f.sip.incoming("sip:555@10.0.0.1", "sip:100@127.0.0.1", g729);
            assertThat(caller.awaitAction("reject", WAIT)).isEqualTo("reject 488");
            Await.until("the CDR", WAIT, () -> f.recorder.cdrs().size() == 1);
            assertThat(f.recorder.cdrs().get(0).cause()).isEqualTo(488);
            assertThat(f.recorder.cdrs().get(0).droppedBy()).isEqualTo(DroppedBy.SYS);
            assertThat(caller.rung()).as("the caller heard it ring").isFalse();
            // Listeners hear on_released before the CDR is written: nothing of this call reached the application.
            assertThat(f.recorder.all()).as("events of a call never offered").isEmpty();
            assertThat(f.engine.resources()).isEmpty();
        }
    }

    @Test
    void anUnansweredCallIsRefusedWith480AfterTheAnswerTimeout() {
        try (EngineFixture f = new EngineFixture()) {
            ScriptedSignaling.Inbound caller = f.sip.incoming("sip:555@10.0.0.1", "sip:100@127.0.0.1", true);
            offered(f);
            f.clock.advance(Duration.ofSeconds(59));
            assertThat(caller.actions()).isEmpty();
            f.clock.advance(Duration.ofSeconds(1));
            assertThat(caller.awaitAction("reject", WAIT)).isEqualTo("reject 480");
            CallEvent.Released released = f.recorder.next(CallEvent.Released.class);
            assertThat(released.cause()).isEqualTo(480);
            assertThat(released.droppedBy()).isEqualTo(DroppedBy.SYS);
            assertThat(released.answerTime()).isNull();
        }
    }

    @Test
    void answeringStopsTheAnswerTimeout() {
        try (EngineFixture f = new EngineFixture()) {
            ScriptedSignaling.Inbound caller = f.sip.incoming("sip:555@10.0.0.1", "sip:100@127.0.0.1", true);
            Call call = offered(f);
            call.answer();
            caller.confirm();
            awaitState(call, CallState.IDLE);
            f.clock.advance(Duration.ofHours(2));
            assertThat(caller.actions()).containsExactly("answer");
        }
    }

    @Test
    void dropBeforeAnswerRejectsWith603ByDefault() {
        try (EngineFixture f = new EngineFixture()) {
            ScriptedSignaling.Inbound caller = f.sip.incoming("sip:555@10.0.0.1", "sip:100@127.0.0.1", true);
            offered(f).drop();
            assertThat(caller.awaitAction("reject", WAIT)).isEqualTo("reject 603");
            CallEvent.Released released = f.recorder.next(CallEvent.Released.class);
            assertThat(released.cause()).isEqualTo(603);
            assertThat(released.droppedBy()).isEqualTo(DroppedBy.SYS);
        }
    }

    @Test
    void dropBeforeAnswerRejectsWithTheGivenCause() {
        try (EngineFixture f = new EngineFixture()) {
            ScriptedSignaling.Inbound caller = f.sip.incoming("sip:555@10.0.0.1", "sip:100@127.0.0.1", true);
            offered(f).drop(486);
            assertThat(caller.awaitAction("reject", WAIT)).isEqualTo("reject 486");
            assertThat(f.recorder.next(CallEvent.Released.class).cause()).isEqualTo(486);
        }
    }

    @Test
    void dropBeforeAnswerRefusesACauseThatCannotRejectACall() {
        try (EngineFixture f = new EngineFixture()) {
            ScriptedSignaling.Inbound caller = f.sip.incoming("sip:555@10.0.0.1", "sip:100@127.0.0.1", true);
            Call call = offered(f);
            for (int bad : new int[] {200, 302, 99, 700, -1}) {
                assertThatThrownBy(() -> call.drop(bad)).isInstanceOf(InvalidArgumentException.class)
                        .hasMessageContaining("cause " + bad);
            }
            assertThat(caller.actions()).isEmpty();
            assertThat(call.state()).isEqualTo(CallState.INITIATED);
        }
    }

    @Test
    void redirectSends302AndReleasesWithCause302() {
        try (EngineFixture f = new EngineFixture()) {
            ScriptedSignaling.Inbound caller = f.sip.incoming("sip:555@10.0.0.1", "sip:100@127.0.0.1", true);
            offered(f).redirect("sip:200@10.0.0.9:5060");
            assertThat(caller.awaitAction("redirect", WAIT)).isEqualTo("redirect sip:200@10.0.0.9:5060");
            CallEvent.Released released = f.recorder.next(CallEvent.Released.class);
            assertThat(released.cause()).isEqualTo(302);
            assertThat(released.droppedBy()).isEqualTo(DroppedBy.SYS);
        }
    }

    @Test
    void redirectRejectsAMalformedTarget() {
        try (EngineFixture f = new EngineFixture()) {
            f.sip.incoming("sip:555@10.0.0.1", "sip:100@127.0.0.1", true);
            Call call = offered(f);
            assertThatThrownBy(() -> call.redirect("sip:bad host")).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("redirect_uri").hasMessageContaining("sip:bad host");
        }
    }

    @Test
    void aCancelFromTheCallerReleasesWith487ByTheUser() {
        try (EngineFixture f = new EngineFixture()) {
            ScriptedSignaling.Inbound caller = f.sip.incoming("sip:555@10.0.0.1", "sip:100@127.0.0.1", true);
            offered(f);
            caller.remoteHangup(487);
            CallEvent.Released released = f.recorder.next(CallEvent.Released.class);
            assertThat(released.cause()).isEqualTo(487);
            assertThat(released.droppedBy()).isEqualTo(DroppedBy.USR);
            assertThat(caller.actions()).isEmpty();
        }
    }

    @Test
    void aLateOfferIsAnsweredWithTheLocalOfferAndTheAckCarriesTheAnswer() {
        try (EngineFixture f = new EngineFixture()) {
            ScriptedSignaling.Inbound caller = f.sip.incoming("sip:555@10.0.0.1", "sip:100@127.0.0.1", false);
            Call call = offered(f);
            call.answer();
            caller.awaitAction("answer", WAIT);
            assertThat(f.media.sessions().get(0).remotes()).isEmpty();
            caller.confirm();
            awaitState(call, CallState.IDLE);
            assertThat(f.media.sessions().get(0).remotes()).containsExactly(ScriptedSignaling.FAR_END_MEDIA);
        }
    }

    @Test
    void anAnswerThatIsNeverAcknowledgedReleasesWith408DroppedByTheSystem() {
        try (EngineFixture f = new EngineFixture()) {
            ScriptedSignaling.Inbound caller = f.sip.incoming("sip:555@10.0.0.1", "sip:100@127.0.0.1", true);
            Call call = offered(f);
            call.answer();
            caller.awaitAction("answer", WAIT);
            caller.failNoAck();
            CallEvent.Released released = f.recorder.next(CallEvent.Released.class);
            assertThat(released.cause()).isEqualTo(408);
            // The engine gave up on the caller: nobody on the far end hung up.
            assertThat(released.droppedBy()).isEqualTo(DroppedBy.SYS);
        }
    }

    @Test
    void answeringTwiceIsRefused() {
        try (EngineFixture f = new EngineFixture()) {
            f.sip.incoming("sip:555@10.0.0.1", "sip:100@127.0.0.1", true);
            Call call = offered(f);
            call.answer();
            awaitState(call, CallState.ANSWER);
            assertThatThrownBy(call::answer).isInstanceOf(InvalidStateException.class)
                    .hasMessageContaining(call.resId()).hasMessageContaining("ANSWER").hasMessageContaining("answer");
        }
    }

    @Test
    void dropAfterAnswerSendsBye() {
        try (EngineFixture f = new EngineFixture()) {
            ScriptedSignaling.Inbound caller = f.sip.incoming("sip:555@10.0.0.1", "sip:100@127.0.0.1", true);
            Call call = offered(f);
            call.answer();
            caller.confirm();
            awaitState(call, CallState.IDLE);
            call.drop();
            assertThat(caller.awaitAction("hangup", WAIT)).isEqualTo("hangup 200");
            assertThat(f.recorder.nextOf(CallEvent.Released.class).cause()).isEqualTo(200);
        }
    }

    @Test
    void rtpInactivityHangsUpWith408() {
        try (EngineFixture f = new EngineFixture()) {
            ScriptedSignaling.Inbound caller = f.sip.incoming("sip:555@10.0.0.1", "sip:100@127.0.0.1", true);
            Call call = offered(f);
            call.answer();
            caller.confirm();
            awaitState(call, CallState.IDLE);
            f.media.sessions().get(0).inactivity();
            assertThat(caller.awaitAction("hangup", WAIT)).isEqualTo("hangup 408");
            CallEvent.Released released = f.recorder.nextOf(CallEvent.Released.class);
            assertThat(released.cause()).isEqualTo(408);
            assertThat(released.droppedBy()).isEqualTo(DroppedBy.SYS);
        }
    }

    @Test
    void aListenerSetLaterReceivesLaterCalls() {
        try (EngineFixture f = new EngineFixture(false)) {
            f.engine.setIncomingCallListener(f.recorder);
            f.sip.incoming("sip:555@10.0.0.1", "sip:100@127.0.0.1", true);
            offered(f);
            f.engine.setIncomingCallListener(null);
            ScriptedSignaling.Inbound refused = f.sip.incoming("sip:556@10.0.0.1", "sip:100@127.0.0.1", true);
            assertThat(refused.awaitAction("reject", WAIT)).isEqualTo("reject 480");
        }
    }

    @Test
    void aCallMayPlayRightAfterAnswerBeforeTheAck() {
        try (EngineFixture f = new EngineFixture()) {
            ScriptedSignaling.Inbound caller = f.sip.incoming("sip:555@10.0.0.1", "sip:100@127.0.0.1", true);
            Call call = offered(f);
            call.answer();
            call.playStart("welcome.wav");
            Await.until("playing", WAIT, call::isPlaying);
            assertThat(call.state()).isEqualTo(CallState.ANSWER);
            caller.confirm();
            awaitState(call, CallState.PLAY);
        }
    }
}
