package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cti4j.core.EngineFixture.T0;
import static org.cti4j.core.EngineFixture.WAIT;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.Conference;
import org.cti4j.api.ConferenceEvent;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ManualScheduler;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A clock that steps back between two of a resource's times (a wall clock set back by NTP, or the manual clock of a
 * test that two threads advanced at once) must not give a CDR or an event that ends before it began or was answered:
 * each of them is taken just after the clock was set back by a minute.
 */
class ClockStepsBackTest {

    private final SteppingClock clock = new SteppingClock(T0.plusSeconds(3600));
    private final ScriptedSignaling sip = new ScriptedSignaling();
    private final Recorder recorder = new Recorder();
    private final CoreEngine engine = CoreEngine.builder().signaling(sip).media(new ScriptedMedia()).clock(clock)
            .scheduler(new ManualScheduler(T0)).cdrListener(recorder).incomingCallListener(recorder).build();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void anOutboundCallsTimesStayInOrder() {
        Call call = engine.dial(EngineFixture.dialOptions(), recorder);
        ScriptedSignaling.Outbound far = sip.nextDialled(WAIT);
        clock.stepBack();
        far.answer();
        recorder.next(CallEvent.DialCompleted.class);
        recorder.next(CallEvent.Answered.class);
        clock.stepBack();
        far.remoteHangup(200);

        CallEvent.Released released = recorder.nextOf(CallEvent.Released.class);
        assertOrdered(released.beginTime(), released.answerTime(), released.endTime());
        assertThat(released.resId()).isEqualTo(call.resId());
        assertOrdered(cdr());
    }

    @Test
    void anInboundCallsTimesStayInOrder() {
        ScriptedSignaling.Inbound far = sip.incoming("sip:5@10.0.0.1", "sip:1@127.0.0.1", true);
        Call call = (Call) engine.find(recorder.next(CallEvent.Incoming.class).resId()).orElseThrow();
        clock.stepBack();
        call.answer("u");
        far.confirm();
        clock.stepBack();
        far.remoteHangup(200);

        CallEvent.Released released = recorder.nextOf(CallEvent.Released.class);
        assertOrdered(released.beginTime(), released.answerTime(), released.endTime());
        assertOrdered(cdr());
    }

    @Test
    void anUnansweredDialEndsNoEarlierThanItBegan() {
        engine.dial(EngineFixture.dialOptions(), recorder);
        ScriptedSignaling.Outbound far = sip.nextDialled(WAIT);
        clock.stepBack();
        far.fail(486, "Busy Here");

        CallEvent.DialCompleted dial = recorder.next(CallEvent.DialCompleted.class);
        assertOrdered(dial.beginTime(), dial.endTime());
        assertOrdered(cdr());
    }

    @Test
    void aDuoCallbacksTimesStayInOrder() {
        engine.startDuoCallback(DuoCallbackOptions.builder().from1Uri("400@127.0.0.1").to1Uri("1001@127.0.0.1")
                .from2Uri("400@127.0.0.1").to2Uri("1002@127.0.0.1").maxConnectSeconds(120).maxRingSeconds(20)
                .build(), recorder);
        ScriptedSignaling.Outbound party1 = sip.nextDialled(WAIT);
        clock.stepBack();
        party1.answer();
        ScriptedSignaling.Outbound party2 = sip.nextDialled(WAIT);
        clock.stepBack();
        party2.answer();
        clock.stepBack();
        party2.remoteHangup(200);

        DuoCallbackEvent.Released released = recorder.nextOf(DuoCallbackEvent.Released.class);
        assertOrdered(released.beginTime(), released.answerTime(), released.connectTime(), released.endTime());
        assertThat(recorder.all()).filteredOn(DuoCallbackEvent.StateChanged.class::isInstance)
                .map(e -> ((DuoCallbackEvent.StateChanged) e).time()).isSorted();
        Await.until("two CDRs", WAIT, () -> recorder.cdrs().size() == 2);
        recorder.cdrs().forEach(ClockStepsBackTest::assertOrdered);
    }

    @Test
    void aConferenceEndsNoEarlierThanItBegan() {
        Conference conference = engine.createConference(ConferenceOptions.builder().maxSeconds(90).build(), recorder);
        clock.stepBack();
        conference.release();

        ConferenceEvent.Released released = recorder.nextOf(ConferenceEvent.Released.class);
        assertOrdered(released.beginTime(), released.endTime());
    }

    private CdrRecord cdr() {
        Await.until("the CDR", WAIT, () -> recorder.cdrs().size() == 1);
        return recorder.cdrs().get(0);
    }

    private static void assertOrdered(CdrRecord cdr) {
        assertOrdered(cdr.beginTime(), cdr.answerTime(), cdr.endTime());
    }

    /** Asserts that the times given (nulls skipped) are in order. */
    private static void assertOrdered(Instant... times) {
        Instant previous = Instant.MIN;
        for (Instant time : times) {
            if (time != null) {
                assertThat(time).as("times %s", java.util.Arrays.toString(times)).isAfterOrEqualTo(previous);
                previous = time;
            }
        }
    }

    /** A clock that reads a set time and is set back by a minute when the test says so. */
    private static final class SteppingClock implements InstantSource {
        private final AtomicReference<Instant> now;

        SteppingClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void stepBack() {
            now.updateAndGet(t -> t.minus(Duration.ofMinutes(1)));
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
