package org.cti4j.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Pairs each first relayed packet the engine reported with the answer that let it flow, and turns the pairs into
 * the engine-side bridge figures of a {@link RunReport}. Plain values in, figures out: no Flight Recorder type, so
 * that the matching is tested without a recording ({@link FlightEvents} collects the values).
 *
 * <p>A media connection is named by its two sessions' local RTP ports, an answer by the port of its SDP offer. Ports
 * are reused once a call ends, so a packet is matched by time: of the most recent answer on its source port and the
 * most recent on its sink port (each at or before the packet), the later one. In a duo callback that is party 2's,
 * whose answer makes the engine bridge the two legs. With several engines in the process the RTP ranges are
 * disjoint, so a port still names one session.
 */
final class FlightMatch {

    /** The highest UDP port: answers naming none, or another, are left out. */
    private static final int MAX_PORT = 65_535;
    private static final long NONE = Long.MIN_VALUE;

    /**
     * The engine took in the first 2xx to an INVITE it sent ({@code org.cti4j.sip.InviteAnswered}).
     *
     * @param atNanos when, in nanoseconds since the epoch (the event's start time)
     * @param mediaPort the engine's local RTP port in that INVITE's SDP offer, 0 if none
     */
    record Answer(long atNanos, int mediaPort) {
    }

    /**
     * A media connection sent its first payload on ({@code org.cti4j.media.FirstRelayedPacket}).
     *
     * @param atNanos when it was sent, in nanoseconds since the epoch (the event's start time)
     * @param sourcePort the local RTP port of the session that received the payload
     * @param sinkPort the local RTP port of the session that sent it on
     * @param sinceArmedNanos from the moment the source's media thread began to pass payloads to the connection
     *     to the send
     * @param sinceReceivedNanos from the moment the source's media thread took the payload in to the send
     */
    record Relay(long atNanos, int sourcePort, int sinkPort, long sinceArmedNanos, long sinceReceivedNanos) {
    }

    private FlightMatch() {
    }

    /**
     * Returns the figures of the packets whose answer came at or after {@code fromNanos} (the measured window),
     * in milliseconds. A packet with no answer before it on either port is unmatched: counted (when it was sent
     * at or after {@code fromNanos}) and left out.
     *
     * @param answers the answers, in any order
     * @param relays the first relayed packets, in any order
     * @param fromNanos the start of the measured window, nanoseconds since the epoch ({@link Long#MIN_VALUE}: all)
     * @param dropped events the collector could not keep, reported as they are
     */
    static RunReport.FlightFigures figures(List<Answer> answers, List<Relay> relays, long fromNanos, int dropped) {
        List<Answer> byTime = new ArrayList<>(answers);
        byTime.sort(Comparator.comparingLong(Answer::atNanos));
        List<Relay> relaysByTime = new ArrayList<>(relays);
        relaysByTime.sort(Comparator.comparingLong(Relay::atNanos));
        long[] lastAnswer = new long[MAX_PORT + 1];
        Arrays.fill(lastAnswer, NONE);
        Direction answeredHears = new Direction(relays.size());
        Direction answeredHeard = new Direction(relays.size());
        int unmatched = 0;
        int before = 0;
        int next = 0;
        for (Relay relay : relaysByTime) {
            while (next < byTime.size() && byTime.get(next).atNanos() <= relay.atNanos()) {
                Answer answer = byTime.get(next++);
                if (answer.mediaPort() > 0 && answer.mediaPort() <= MAX_PORT) {
                    lastAnswer[answer.mediaPort()] = answer.atNanos();
                }
            }
            long atSource = answerAt(lastAnswer, relay.sourcePort());
            long atSink = answerAt(lastAnswer, relay.sinkPort());
            if (atSource == NONE && atSink == NONE) {
                unmatched += relay.atNanos() >= fromNanos ? 1 : 0;
                continue;
            }
            long answered = Math.max(atSource, atSink);
            if (answered < fromNanos) {
                before++;
                continue;
            }
            // the answered leg is the one whose answer came last; on a tie, the sink (it hears the other)
            (atSink >= atSource ? answeredHears : answeredHeard).add(relay, answered);
        }
        return new RunReport.FlightFigures(answers.size(), relays.size(), unmatched, before, dropped,
                answeredHears.delays(), answeredHeard.delays());
    }

    private static long answerAt(long[] lastAnswer, int port) {
        return port > 0 && port <= MAX_PORT ? lastAnswer[port] : NONE;
    }

    /** The two figures of one direction of the bridges, in nanoseconds until {@link #delays()}. */
    private static final class Direction {
        private final LongSamples fromAnswer;
        private final LongSamples toArmed;
        private final LongSamples engine;

        Direction(int capacity) {
            fromAnswer = new LongSamples(capacity);
            toArmed = new LongSamples(capacity);
            engine = new LongSamples(capacity);
        }

        void add(Relay relay, long answered) {
            long sent = relay.atNanos();
            long armed = sent - relay.sinceArmedNanos();
            long received = sent - relay.sinceReceivedNanos();
            fromAnswer.add(sent - answered);
            long arming = Math.max(0, armed - answered);
            toArmed.add(arming);
            // the engine's part: arming the relay after the answer, and the payload's own time in the engine from
            // the later of its arrival and the answer; the wait for the far end's next payload once armed is not
            engine.add(arming + sent - Math.max(received, answered));
        }

        RunReport.BridgeDelays delays() {
            return new RunReport.BridgeDelays(fromAnswer.percentiles().scaled(1e6), toArmed.percentiles().scaled(1e6),
                    engine.percentiles().scaled(1e6));
        }
    }
}
