package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cti4j.core.EngineFixture.WAIT;

import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.InvalidStateException;
import org.cti4j.core.EngineFixture.Dialled;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code on_ringing}, once per outbound call at its first 180 or 183, before {@code on_dial_completed}; and
 * {@code reject}, which refuses an unanswered inbound call and nothing else.
 */
class RingingAndRejectTest {

    private final EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
        assertThat(f.recorder.violations()).isEmpty();
    }

    @Test
    void anOutboundCallThatRingsTwiceSendsOneOnRingingBeforeItsDialCompletion() {
        Dialled d = f.dial();
        d.far().ring();
        CallEvent.Ringing ringing = f.recorder.next(CallEvent.Ringing.class);
        assertThat(ringing.resId()).isEqualTo(d.call().resId());
        assertThat(ringing.ringTime()).isEqualTo(EngineFixture.T0);
        d.far().earlyMedia();
        d.far().answer();
        assertThat(f.recorder.next(CallEvent.DialCompleted.class).answered()).isTrue();
        f.recorder.next(CallEvent.Answered.class);
        d.call().drop();
        f.recorder.next(CallEvent.Released.class);
        assertThat(f.recorder.all()).filteredOn(CallEvent.Ringing.class::isInstance).hasSize(1);
    }

    @Test
    void aCallAnsweredWithoutRingingHasNoOnRinging() {
        Dialled d = f.connectedCall();
        d.call().drop();
        f.recorder.next(CallEvent.Released.class);
        assertThat(f.recorder.all()).noneMatch(CallEvent.Ringing.class::isInstance);
    }

    @Test
    void rejectRefusesAnUnansweredInboundCallWithItsCause() {
        ScriptedSignaling.Inbound caller = f.sip.incoming("sip:5@10.0.0.1", "sip:1@127.0.0.1", true);
        Call call = f.engine.call(f.recorder.next(CallEvent.Incoming.class).resId());
        assertThatThrownBy(() -> call.reject(200)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("cause 200");
        call.reject(486);
        assertThat(caller.awaitAction("reject", WAIT)).isEqualTo("reject 486");
        assertThat(f.recorder.next(CallEvent.Released.class).cause()).isEqualTo(486);
        assertThatThrownBy(() -> call.reject(486)).isInstanceOf(InvalidStateException.class);
    }

    @Test
    void rejectIsRefusedForAnAnsweredOrAnOutboundCall() {
        Dialled d = f.connectedCall();
        assertThatThrownBy(() -> d.call().reject(603)).isInstanceOf(InvalidStateException.class)
                .hasMessageContaining("only inbound calls can be rejected");

        ScriptedSignaling.Inbound caller = f.sip.incoming("sip:5@10.0.0.1", "sip:1@127.0.0.1", true);
        Call inbound = f.engine.call(f.recorder.next(CallEvent.Incoming.class).resId());
        inbound.answer();
        caller.awaitAction("answer", WAIT);
        assertThatThrownBy(() -> inbound.reject(603)).isInstanceOf(InvalidStateException.class)
                .hasMessageContaining("answered already");
    }
}
