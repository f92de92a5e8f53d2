package org.cti4j.core;

import java.time.Duration;
import java.time.Instant;
import org.cti4j.api.Call;
import org.cti4j.api.CallState;
import org.cti4j.api.DialOptions;
import org.cti4j.api.DuoCallbackState;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ManualScheduler;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;

/** An engine over the scripted providers and a manual clock, with a {@link Recorder} listening to everything. */
final class EngineFixture implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration WAIT = Recorder.WAIT;

    final ScriptedSignaling sip = new ScriptedSignaling();
    final ScriptedMedia media = new ScriptedMedia();
    final ManualScheduler clock = new ManualScheduler(T0);
    final Recorder recorder = new Recorder();
    final CoreEngine engine;

    EngineFixture() {
        this(true);
    }

    EngineFixture(boolean listenForInbound) {
        CoreEngine.Builder builder = CoreEngine.builder()
                .nodeId("1.2.3")
                .signaling(sip)
                .media(media)
                .clock(clock)
                .scheduler(clock)
                .cdrListener(recorder)
                .inboundAnswerTimeout(Duration.ofSeconds(60));
        if (listenForInbound) {
            builder.incomingCallListener(recorder);
        }
        engine = builder.build();
    }

    static DialOptions dialOptions() {
        return DialOptions.builder().fromUri("sip:1000@127.0.0.1").toUri("sip:2000@127.0.0.1:5062")
                .maxAnswerSeconds(600).maxRingSeconds(30).userData("ticket-7").build();
    }

    /** Dials, and returns the call with its scripted far end. */
    Dialled dial() {
        Call call = engine.dial(dialOptions(), recorder);
        return new Dialled(call, sip.nextDialled(WAIT));
    }

    /** Dials and lets the far end answer; the dial's events are taken from the recorder. */
    Dialled connectedCall() {
        Dialled d = dial();
        d.far.answer();
        recorder.next(org.cti4j.api.CallEvent.DialCompleted.class);
        recorder.next(org.cti4j.api.CallEvent.Answered.class);
        awaitState(d.call, CallState.IDLE);
        return d;
    }

    record Dialled(Call call, ScriptedSignaling.Outbound far) {
    }

    static void awaitState(Call call, CallState state) {
        Await.until(call.resId() + " in state " + state, WAIT, () -> call.state() == state);
    }

    static void awaitState(org.cti4j.api.DuoCallback duo, DuoCallbackState state) {
        Await.until(duo.resId() + " in state " + state, WAIT, () -> duo.state() == state);
    }

    /** Waits until every scheduled timer is armed (there are {@code count} of them). */
    void awaitTimers(int count) {
        Await.until(count + " timers armed", WAIT, () -> clock.pending() == count);
    }

    @Override
    public void close() {
        engine.close();
    }
}
