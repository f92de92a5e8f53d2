package org.cti4j.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each first relayed packet is matched to the answer of the leg answered last, by port and time, and timed from it:
 * times here are whole milliseconds (as nanoseconds), the figures come out in milliseconds.
 */
class FlightMatchTest {

    private static final long MS = 1_000_000L;

    private static FlightMatch.Answer answer(long atMillis, int port) {
        return new FlightMatch.Answer(atMillis * MS, port);
    }

    private static FlightMatch.Relay relay(long atMillis, int source, int sink, long sinceReceivedMillis) {
        return new FlightMatch.Relay(atMillis * MS, source, sink, 50 * MS, sinceReceivedMillis * MS);
    }

    @Test
    void aDuoCallbackIsTimedFromPartyTwosAnswerInBothDirections() {
        RunReport.FlightFigures f = FlightMatch.figures(
                List.of(answer(100, 30000), answer(200, 30002)),
                List.of(relay(205, 30000, 30002, 1), relay(212, 30002, 30000, 2)), Long.MIN_VALUE, 0);
        assertThat(f.answers()).isEqualTo(2);
        assertThat(f.relays()).isEqualTo(2);
        assertThat(f.unmatched()).isZero();
        assertThat(f.answeredHears().answeredToFirstPacket()).isEqualTo(new Percentiles(1, 5, 5, 5));
        assertThat(f.answeredHears().engineDelay()).isEqualTo(new Percentiles(1, 1, 1, 1));
        assertThat(f.otherHearsAnswered().answeredToFirstPacket()).isEqualTo(new Percentiles(1, 12, 12, 12));
        assertThat(f.otherHearsAnswered().engineDelay()).isEqualTo(new Percentiles(1, 2, 2, 2));
    }

    @Test
    void aPayloadThatWaitedForTheAnswerIsTimedFromTheAnswerOne() {
        // party 1's payload came in 15 ms before party 2 answered: the engine could not relay it any sooner
        RunReport.FlightFigures f = FlightMatch.figures(
                List.of(answer(100, 30000), answer(200, 30002)),
                List.of(relay(203, 30000, 30002, 18)), Long.MIN_VALUE, 0);
        assertThat(f.answeredHears().answeredToFirstPacket().max()).isEqualTo(3);
        assertThat(f.answeredHears().engineDelay().max()).isEqualTo(3);
    }

    @Test
    void aPayloadThatCameAfterTheAnswerIsTimedFromItsArrival() {
        // armed 1 ms after the answer; the far end's next packet came 16 ms later and left 0.5 ms after that
        RunReport.FlightFigures f = FlightMatch.figures(
                List.of(answer(100, 30000), answer(200, 30002)),
                List.of(new FlightMatch.Relay(217 * MS + MS / 2, 30000, 30002, 16 * MS + MS / 2, MS / 2)),
                Long.MIN_VALUE, 0);
        assertThat(f.answeredHears().answeredToFirstPacket().max()).isEqualTo(17.5);
        assertThat(f.answeredHears().answeredToArmed().max()).isEqualTo(1);
        assertThat(f.answeredHears().engineDelay().max()).as("arming, then the payload's own time").isEqualTo(1.5);
    }

    @Test
    void theTimeToArmTheRelayIsTheEngines() {
        // armed 30 ms after the answer: the far end's packets of those 30 ms were not relayed
        RunReport.FlightFigures f = FlightMatch.figures(
                List.of(answer(100, 30000), answer(200, 30002)),
                List.of(new FlightMatch.Relay(235 * MS + MS / 2, 30000, 30002, 5 * MS + MS / 2, MS / 2)),
                Long.MIN_VALUE, 0);
        assertThat(f.answeredHears().answeredToArmed().max()).isEqualTo(30);
        assertThat(f.answeredHears().engineDelay().max()).isEqualTo(30.5);
        assertThat(f.answeredHears().answeredToFirstPacket().max()).isEqualTo(35.5);
    }

    @Test
    void aReusedPortIsMatchedToItsLatestAnswer() {
        List<FlightMatch.Answer> answers = List.of(
                answer(100, 30000), answer(200, 30002), // first call
                answer(1000, 30002), answer(1100, 30004), // second call: party 1 took the first call's party 2 port
                answer(2000, 30004), answer(2100, 30000)); // third: party 2 took the first call's party 1 port
        List<FlightMatch.Relay> relays = List.of(
                relay(1104, 30002, 30004, 1), relay(1107, 30004, 30002, 1),
                relay(202, 30000, 30002, 1), relay(206, 30002, 30000, 1),
                relay(2103, 30004, 30000, 1), relay(2108, 30000, 30004, 1));
        RunReport.FlightFigures f = FlightMatch.figures(answers, relays, Long.MIN_VALUE, 0);
        assertThat(f.unmatched()).isZero();
        assertThat(f.answeredHears().answeredToFirstPacket()).isEqualTo(new Percentiles(3, 3, 4, 4));
        assertThat(f.otherHearsAnswered().answeredToFirstPacket()).isEqualTo(new Percentiles(3, 7, 8, 8));
    }

    @Test
    void aPacketWithNoAnswerBeforeItOnEitherPortIsUnmatched() {
        RunReport.FlightFigures f = FlightMatch.figures(
                List.of(answer(100, 30000), answer(200, 30002), answer(300, 30010), answer(50, 0)),
                List.of(relay(205, 30000, 30002, 1), relay(210, 31000, 31002, 1),
                        relay(250, 30010, 30012, 1)), // its port was answered, but only after the packet
                Long.MIN_VALUE, 0);
        assertThat(f.unmatched()).isEqualTo(2);
        assertThat(f.answeredHears().answeredToFirstPacket().count()).isEqualTo(1);
        assertThat(f.otherHearsAnswered().answeredToFirstPacket().count()).isZero();
    }

    @Test
    void bridgesAnsweredBeforeTheMeasuredWindowAreLeftOut() {
        RunReport.FlightFigures f = FlightMatch.figures(
                List.of(answer(100, 30000), answer(200, 30002), answer(900, 30004), answer(1000, 30006)),
                List.of(relay(205, 30000, 30002, 1), relay(207, 30002, 30000, 1), relay(1009, 30004, 30006, 1),
                        relay(150, 31000, 31002, 1)),
                500 * MS, 3);
        assertThat(f.beforeWindow()).isEqualTo(2);
        assertThat(f.unmatched()).as("the unmatched packet came before the window").isZero();
        assertThat(f.dropped()).isEqualTo(3);
        assertThat(f.answeredHears().answeredToFirstPacket()).isEqualTo(new Percentiles(1, 9, 9, 9));
        assertThat(f.otherHearsAnswered().answeredToFirstPacket().count()).isZero();
        assertThat(f.measured()).isTrue();
    }

    @Test
    void noEventsMeasureNothing() {
        RunReport.FlightFigures f = FlightMatch.figures(List.of(), List.of(), Long.MIN_VALUE, 0);
        assertThat(f.measured()).isFalse();
        assertThat(f).isEqualTo(RunReport.FlightFigures.NONE);
    }
}
