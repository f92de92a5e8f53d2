package org.cti4j.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import jdk.jfr.Event;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import org.junit.jupiter.api.Test;

/**
 * The collector sees events committed in its process through a real Flight Recorder stream: two test events stand
 * for the engine's, with the same names and fields.
 */
class FlightEventsTest {

    /** Stands for cti-sip's event. */
    @Name(FlightEvents.INVITE_ANSWERED)
    @StackTrace(false)
    static final class InviteAnswered extends Event {
        String callId;
        int mediaPort;
        @Timespan
        long sinceReceived;
    }

    /** Stands for cti-media's event. */
    @Name(FlightEvents.FIRST_RELAYED_PACKET)
    @StackTrace(false)
    static final class FirstRelayedPacket extends Event {
        int sourcePort;
        int sinkPort;
        @Timespan
        long sinceArmed;
        @Timespan
        long sinceReceived;
    }

    /** Stands for cti-media's tick event. */
    @Name(FlightEvents.MEDIA_TICK)
    @StackTrace(false)
    static final class Tick extends Event {
        @Timespan
        long lateness;
        @Timespan
        long work;
        int ticking;
    }

    private static void ticked(double latenessMillis) {
        Tick event = new Tick();
        event.lateness = (long) (latenessMillis * 1e6);
        event.work = TimeUnit.MICROSECONDS.toNanos(300);
        event.ticking = 4;
        event.commit();
    }

    private static void answered(String callId, int port) {
        answered(callId, port, 0);
    }

    private static void answered(String callId, int port, long sinceReceivedNanos) {
        InviteAnswered event = new InviteAnswered();
        event.callId = callId;
        event.mediaPort = port;
        event.sinceReceived = sinceReceivedNanos;
        event.commit();
    }

    private static void relayed(int source, int sink, long sinceReceivedNanos) {
        FirstRelayedPacket event = new FirstRelayedPacket();
        event.sourcePort = source;
        event.sinkPort = sink;
        event.sinceArmed = TimeUnit.MILLISECONDS.toNanos(3);
        event.sinceReceived = sinceReceivedNanos;
        event.commit();
    }

    @Test
    void theCollectorSeesTheEventsCommittedBeforeItClosesAndTimesTheMeasuredWindow() {
        OwnThreads threads = new OwnThreads("flight-test");
        FlightEvents flight = FlightEvents.start(16, threads);
        assertThat(flight.unavailable()).isNull();
        try {
            ticked(99); // in the warm-up: left out
            answered("warm-1@test", 41000);
            answered("warm-2@test", 41002);
            relayed(41000, 41002, 1_000);
            flight.markMeasuredFrom();
            for (double late : new double[] {0.5, 1.5, 3, 7, 15, 30}) {
                ticked(late);
            }
            answered("a-1@test", 41004);
            answered("a-2@test", 41006);
            answered("no-offer@test", 0);
            relayed(41004, 41006, 2_000);
            relayed(41006, 41004, TimeUnit.SECONDS.toNanos(1)); // the payload came in before the answer
            relayed(42000, 42002, 1_000); // no answer on either port
            answered("waited@test", 41008, TimeUnit.HOURS.toNanos(1)); // taken in an hour after it arrived
        } finally {
            assertThat(flight.drainAndClose()).as("the stream caught up before its deadline").isTrue();
        }
        flight.close();
        assertThat(flight.answers()).hasSize(6).extracting(FlightMatch.Answer::mediaPort)
                .containsExactlyInAnyOrder(41000, 41002, 41004, 41006, 0, 41008);
        long arrived = flight.answers().stream().filter(a -> a.mediaPort() == 41008).findFirst().orElseThrow()
                .atNanos();
        long latest = flight.answers().stream().filter(a -> a.mediaPort() == 41006).findFirst().orElseThrow()
                .atNanos();
        assertThat(latest - arrived).as("an answer is timed from its arrival, not from its taking in")
                .isGreaterThan(TimeUnit.MINUTES.toNanos(59));
        assertThat(flight.relays()).hasSize(4).anySatisfy(r -> {
            assertThat(r.sourcePort()).isEqualTo(41004);
            assertThat(r.sinkPort()).isEqualTo(41006);
            assertThat(r.sinceArmedNanos()).isEqualTo(3_000_000);
            assertThat(r.sinceReceivedNanos()).isEqualTo(2_000);
        });
        RunReport.FlightFigures f = flight.figures();
        RunReport.MediaClock clock = f.clock();
        assertThat(clock.lateness().count()).as("the ticks after the mark").isEqualTo(6);
        assertThat(clock.lateness().max()).isEqualTo(30);
        assertThat(clock.histogram()).as("one tick in each band").containsExactly(1, 1, 1, 1, 1, 1);
        assertThat(clock.work().p50()).isEqualTo(0.3);
        assertThat(f.beforeWindow()).as("the warm-up's bridge").isEqualTo(1);
        assertThat(f.unmatched()).isEqualTo(1);
        assertThat(f.dropped()).isZero();
        assertThat(f.answeredHears().answeredToFirstPacket().count()).isEqualTo(1);
        assertThat(f.answeredHears().engineDelay().max()).isBetween(0.0, 0.002);
        RunReport.BridgeDelays other = f.otherHearsAnswered();
        assertThat(other.answeredToFirstPacket().count()).isEqualTo(1);
        assertThat(other.engineDelay().max()).as("timed from the answer: the payload was in before it")
                .isEqualTo(other.answeredToFirstPacket().max()).isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void eventsBeyondTheRoomAreCountedAsDropped() {
        FlightEvents flight = FlightEvents.start(2, null);
        try {
            for (int i = 0; i < 5; i++) {
                answered("c-" + i + "@test", 43000 + 2 * i);
            }
        } finally {
            assertThat(flight.drainAndClose()).isTrue();
        }
        assertThat(flight.answers()).hasSize(2);
        assertThat(flight.figures().dropped()).isEqualTo(3);
    }
}
