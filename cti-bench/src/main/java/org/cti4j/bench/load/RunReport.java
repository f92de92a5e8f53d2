package org.cti4j.bench.load;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything one run measured, as the report and the chart show it. Latencies and RTP timing are in milliseconds,
 * CPU in per cent of one core, heap in MB.
 *
 * @param machine where it ran
 * @param commandLine how the harness was started
 * @param options the run's parameters
 * @param started when it started
 * @param seconds how long it ran
 * @param rate the rate phase
 * @param steady the steady phase, or null if it was skipped
 * @param latency the SIP and bridging latencies
 * @param rtp what the probe received
 * @param gc the GC pauses
 * @param allocation the bytes allocated per call leg over the rate phase, its drain and the rest after it; null if
 *     the JVM does not count them
 * @param leaks what was left once every call had ended
 * @param failures why calls failed, and how often
 * @param refusals why the engines refused calls (their admission limits), and how often
 * @param samples the 1 s samples
 * @param timing per-second latency and RTP percentiles, for the chart
 * @param cpu where the process's CPU went in the measured windows
 * @param notes what limited the run, as far as the harness can tell
 * @param engines each engine, and the work it took
 * @param metrics what the engines' {@code /metrics} said, against the harness's own counts; null without
 *     {@code --metrics}
 */
public record RunReport(MachineInfo machine, String commandLine, LoadOptions options, Instant started, double seconds,
        RateFigures rate, SteadyFigures steady, Latencies latency, RtpFigures rtp, GcFigures gc,
        AllocationFigures allocation, LeakFigures leaks,
        Map<String, Long> failures, Map<String, Long> refusals, List<Sample> samples, List<TimingSample> timing,
        List<CpuBreakdown> cpu, List<String> notes, List<EngineShare> engines, MetricsFigures metrics) {

    /**
     * One engine of the run and the work it took, told by the node id that prefixes each {@code res_id}.
     *
     * @param nodeId its node id
     * @param sipPort its SIP port on 127.0.0.1
     * @param rtpPorts its RTP port range
     * @param admitted duo callbacks (calls) it took over the whole run (warm-up and steady phase included)
     * @param bridged those of them bridged (answered)
     * @param failed those of them that failed
     * @param rateAdmitted duo callbacks (calls) it took in the rate phase
     * @param rateBridged those of them bridged
     * @param legsStarted {@code cti4j_legs_started_total} on its {@code /metrics} after the run, NaN without
     *     {@code --metrics}
     */
    public record EngineShare(String nodeId, int sipPort, String rtpPorts, int admitted, int bridged, int failed,
            int rateAdmitted, int rateBridged, double legsStarted) {
    }

    /**
     * What the engines' {@code /metrics} said ({@code --metrics}).
     *
     * @param rows the final totals summed over the engines, each against the harness's own count
     * @param samples the scrapes of each second, then the final one
     * @param failedScrapes once-a-second scrapes that failed (left out of the samples)
     * @param settled whether, by the final scrape, every leg started had ended and nothing was live: CDRs arrive
     *     after the release, so the totals are compared only once they are settled
     */
    public record MetricsFigures(List<MetricsRow> rows, List<MetricsSample> samples, int failedScrapes,
            boolean settled) {

        /** Returns whether every row agrees. */
        public boolean agree() {
            return rows.stream().allMatch(MetricsRow::agrees);
        }
    }

    /**
     * One figure of {@code /metrics} against the harness.
     *
     * @param figure what is compared, naming the series
     * @param scraped the final total, summed over the engines
     * @param low the least the harness's counts allow
     * @param high the most they allow (equal to {@code low} when the count is exact)
     * @param basis how the harness's figure is made
     */
    public record MetricsRow(String figure, double scraped, long low, long high, String basis) {

        /** Returns whether the scraped total is what the harness counted (within its range, if it has one). */
        public boolean agrees() {
            return scraped >= low && scraped <= high;
        }

        /** Returns "agrees" or by how much it does not. */
        public String agreement() {
            if (agrees()) {
                return "agrees";
            }
            double off = scraped < low ? scraped - low : scraped - high;
            return "differs by " + (off > 0 ? "+" : "") + Format.number(off, 0);
        }
    }

    /**
     * The CPU of the process over one window, by thread group.
     *
     * @param window which window (the rate phase's launches, the steady window)
     * @param seconds its length
     * @param processCpu the whole process, in per cent of one core
     * @param threads each thread group's share, in per cent of one core, largest first
     * @param gcCpu the garbage collector's threads (user + system time the GC log reports), NaN if unknown
     */
    public record CpuBreakdown(String window, double seconds, double processCpu, Map<String, Double> threads,
            double gcCpu) {

        /** Returns what no Java thread accounts for: the JVM's own threads (GC, among others). */
        public double outsideJavaThreads() {
            return processCpu - threads.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /**
     * The rate phase.
     *
     * @param launched duo callbacks (calls) offered: started, or refused by the engines
     * @param bridged those bridged (answered)
     * @param failed those that failed (see {@link RunReport#failures()})
     * @param lost those with no on_released by the end of the drain
     * @param refused those the engines refused to start (see {@link RunReport#refusals()}): not failed, not lost
     * @param late launches later than due by more than one interval
     * @param offeredRate the rate asked for, per second
     * @param bridgeRate bridges per second from the first bridge to the last: (bridged - 1) / that time
     * @param peakSetupRate the most bridges in one 1 s sample
     * @param launchSeconds how long launching took
     */
    public record RateFigures(int launched, int bridged, int failed, int lost, int refused, int late,
            double offeredRate, double bridgeRate, double peakSetupRate, double launchSeconds) {

        /** Returns those the engines took: launched (offered) less refused. */
        public int admitted() {
            return launched - refused;
        }

        /** Returns how many the engines took per second of launching. */
        public double admittedRate() {
            return launchSeconds > 0 ? admitted() / launchSeconds : Double.NaN;
        }
    }

    /**
     * The steady phase: {@code pairs} conversations held at once, measured over a window once all were bridged.
     *
     * @param pairs how many were asked for
     * @param bridgedAtStart bridged when the window began
     * @param bridgedAtEnd bridged when it ended
     * @param windowSeconds the window's length
     * @param engineCpu the engine's CPU over the window (process minus harness threads)
     * @param idleEngineCpu the engine's CPU over the idle baseline, before any call
     * @param processCpu the whole process over the window
     * @param harnessCpu the harness's threads over the window
     * @param sippCpu the SIPp processes over the window
     * @param machineCpu the whole machine over the window
     * @param heapBaselineMb heap in use after a full GC with no call, after the rate phase
     * @param heapPlateauMb heap in use after a full GC at the end of the window, every pair still bridged
     * @param rtpDeviation the RTP send-interval deviation the probe saw during the window
     */
    public record SteadyFigures(int pairs, int bridgedAtStart, int bridgedAtEnd, double windowSeconds,
            double engineCpu, double idleEngineCpu, double processCpu, double harnessCpu, double sippCpu,
            double machineCpu, double heapBaselineMb, double heapPlateauMb, Percentiles rtpDeviation) {

        /** Returns the engine's CPU per bridged pair above idle, in per cent of one core. */
        public double cpuPerPair() {
            return bridgedAtEnd == 0 ? Double.NaN : (engineCpu - idleEngineCpu) / bridgedAtEnd;
        }

        /** Returns the heap per bridged pair, in KB. */
        public double heapPerPairKb() {
            return bridgedAtEnd == 0 ? Double.NaN : (heapPlateauMb - heapBaselineMb) * 1024 / bridgedAtEnd;
        }
    }

    /**
     * Latencies of the run's calls, in milliseconds.
     *
     * @param constructToInvite {@code startDuoCallback}/{@code dial} called → its (party 1's) INVITE passed the relay
     * @param party1OkToInvite2 party 1's 200 OK passed the relay → party 2's INVITE passed it
     * @param answeredToBridge party 2's 200 OK passed the relay → the engine's time of the move to CONNECTED
     * @param answeredToBridgeHeard the same, to the moment the application's listener heard it
     * @param answeredToAudio party 2's 200 OK passed the relay → the probe received party 1's audio (probe calls)
     * @param setup {@code startDuoCallback}/{@code dial} called → bridged (answered), the engine's time
     * @param setupHeard the same, to the moment the application's listener heard it
     * @param engineSide party 2's 200 OK taken in by the engine → its first bridged packets, from the engine's
     *     Flight Recorder events; {@link FlightFigures#NONE} when none was seen
     */
    public record Latencies(Percentiles constructToInvite, Percentiles party1OkToInvite2, Percentiles answeredToBridge,
            Percentiles answeredToBridgeHeard, Percentiles answeredToAudio, Percentiles setup,
            Percentiles setupHeard, FlightFigures engineSide) {

        /** Latencies without engine-side figures (none measured). */
        public Latencies(Percentiles constructToInvite, Percentiles party1OkToInvite2, Percentiles answeredToBridge,
                Percentiles answeredToBridgeHeard, Percentiles answeredToAudio, Percentiles setup,
                Percentiles setupHeard) {
            this(constructToInvite, party1OkToInvite2, answeredToBridge, answeredToBridgeHeard, answeredToAudio, setup,
                    setupHeard, FlightFigures.NONE);
        }

        /** Returns these latencies with {@code engineSide} as the engine-side figures. */
        public Latencies withEngineSide(FlightFigures engineSide) {
            return new Latencies(constructToInvite, party1OkToInvite2, answeredToBridge, answeredToBridgeHeard,
                    answeredToAudio, setup, setupHeard, engineSide);
        }
    }

    /**
     * The bridges as the engine itself timed them, from its Flight Recorder events ({@code org.cti4j.sip
     * .InviteAnswered} and {@code org.cti4j.media.FirstRelayedPacket}, read in the harness's process): from the
     * answer of the leg answered last (party 2's, in a duo callback) to the first payload each direction of the
     * bridge sent on. Over the bridges answered in the measured window (after the warm-up's drain), in ms.
     *
     * @param answers answer events seen over the whole run
     * @param relays first-relayed-packet events seen over the whole run (two per bridge)
     * @param unmatched first relayed packets of the measured window with no answer before them on either port
     * @param beforeWindow first relayed packets whose answer came before the measured window (the warm-up)
     * @param dropped events not kept: beyond the room sized for the run, or with fields not as expected
     * @param answeredHears the answered leg hears the other (party 2 hears party 1)
     * @param otherHearsAnswered the other leg hears the answered one (party 1 hears party 2)
     * @param clock how the media threads' 20 ms clock kept time ({@code org.cti4j.media.Tick})
     */
    public record FlightFigures(int answers, int relays, int unmatched, int beforeWindow, int dropped,
            BridgeDelays answeredHears, BridgeDelays otherHearsAnswered, MediaClock clock) {

        /** No event seen: the engine does not commit them, or the harness could not record them. */
        public static final FlightFigures NONE = new FlightFigures(0, 0, 0, 0, 0, BridgeDelays.EMPTY,
                BridgeDelays.EMPTY);

        /** The bridge figures without the media clock's. */
        public FlightFigures(int answers, int relays, int unmatched, int beforeWindow, int dropped,
                BridgeDelays answeredHears, BridgeDelays otherHearsAnswered) {
            this(answers, relays, unmatched, beforeWindow, dropped, answeredHears, otherHearsAnswered,
                    MediaClock.NONE);
        }

        /** Returns whether any first relayed packet was seen: without one there is nothing to report. */
        public boolean measured() {
            return relays > 0;
        }

        /** Returns these figures with {@code clock}. */
        public FlightFigures withClock(MediaClock clock) {
            return new FlightFigures(answers, relays, unmatched, beforeWindow, dropped, answeredHears,
                    otherHearsAnswered, clock);
        }
    }

    /**
     * How the media threads' 20 ms clock kept time, from the engine's {@code org.cti4j.media.Tick} events: how late
     * each tick began after its nominal time, and how long it took, over the measured window.
     *
     * @param lateness the ticks' lateness, in ms
     * @param histogram how many ticks began late by less than each of {@link #BOUNDS_MS} in turn (each band apart),
     *     the last count those late by more
     * @param work how long the ticks took, in ms
     */
    public record MediaClock(Percentiles lateness, List<Integer> histogram, Percentiles work) {

        /** The upper bounds of the histogram's bands, in ms. */
        public static final List<Integer> BOUNDS_MS = List.of(1, 2, 5, 10, 20);

        /** No tick seen. */
        public static final MediaClock NONE = new MediaClock(Percentiles.EMPTY, List.of(), Percentiles.EMPTY);

        /**
         * Returns the clock's figures from the ticks' lateness (ns, sorted ascending) and work (ms).
         *
         * @param latenessNanos every tick's lateness, sorted
         * @param work the ticks' work
         */
        static MediaClock of(long[] latenessNanos, Percentiles work) {
            if (latenessNanos.length == 0) {
                return NONE;
            }
            int[] counts = new int[BOUNDS_MS.size() + 1];
            for (long nanos : latenessNanos) {
                int band = 0;
                while (band < BOUNDS_MS.size() && nanos >= BOUNDS_MS.get(band) * 1_000_000L) {
                    band++;
                }
                counts[band]++;
            }
            List<Integer> histogram = new ArrayList<>(counts.length);
            for (int count : counts) {
                histogram.add(count);
            }
            return new MediaClock(Percentiles.ofSorted(latenessNanos).scaled(1e6), List.copyOf(histogram), work);
        }

        /** Returns whether any tick was seen. */
        public boolean measured() {
            return lateness.count() > 0;
        }
    }

    /**
     * One direction of the bridges, in ms.
     *
     * @param answeredToFirstPacket the answer taken in → the first payload sent on; includes the wait for the
     *     far end's next packet
     * @param answeredToArmed the answer taken in → the relay armed (the source's media thread passes payloads on)
     * @param engineDelay the engine's own delay: {@code answeredToArmed}, plus the first payload's time in the
     *     engine from the later of its arrival and the answer to its sending; the wait for the far end's next
     *     packet once the relay was armed is left out
     */
    public record BridgeDelays(Percentiles answeredToFirstPacket, Percentiles answeredToArmed,
            Percentiles engineDelay) {

        /** No bridge. */
        public static final BridgeDelays EMPTY = new BridgeDelays(Percentiles.EMPTY, Percentiles.EMPTY,
                Percentiles.EMPTY);
    }

    /**
     * What the probe received from the engine.
     *
     * @param flows RTP streams seen
     * @param received packets received
     * @param expected packets the sequence numbers say were sent
     * @param lost packets missing
     * @param audioFrames packets that carried party 1's audio (duo callbacks)
     * @param silentAfterAudio silent packets sent to party 2 after the first with party 1's audio: frames where the
     *     bridge had nothing to relay (party 1 streams without pause)
     * @param deviation the send-interval deviation from 20 ms over the whole run, in ms
     * @param deviationAtPeak the same over the highest-concurrency window, in ms
     * @param peakWindow which window that was
     */
    public record RtpFigures(int flows, long received, long expected, long lost, long audioFrames,
            long silentAfterAudio, Percentiles deviation, Percentiles deviationAtPeak, String peakWindow) {

        /** Returns the share of packets lost, in per cent (NaN if none was expected). */
        public double lossPercent() {
            return expected == 0 ? Double.NaN : 100.0 * lost / expected;
        }
    }

    /**
     * The GC pauses of the run (the harness's own System.gc() excluded).
     *
     * @param source where the lengths come from: the JVM's GC log (µs) or the MXBean notifications (whole ms)
     * @param pauses how many
     * @param pause their percentiles, in ms
     * @param requested how many System.gc() the harness made to weigh the heap
     */
    public record GcFigures(String source, int pauses, Percentiles pause, int requested) {
    }

    /**
     * The bytes allocated on the heap over a window, per call leg.
     *
     * @param window which window
     * @param legs the call legs started in it: 2 per duo callback admitted, 1 per call
     * @param engineBytes what every thread but the harness's allocated: the engine's (SIP, media, strands, events,
     *     with the listeners they call) and the JVM's own Java threads
     * @param harnessBytes what the harness's own threads allocated (relays, probe, launcher, sampler)
     * @param engineGroups the engine's bytes by thread group (names with their numbers folded), largest first
     */
    public record AllocationFigures(String window, int legs, long engineBytes, long harnessBytes,
            Map<String, Long> engineGroups) {

        /** Returns the engine's KB (1,024 bytes) per leg, NaN without legs. */
        public double engineKbPerLeg() {
            return kbPerLeg(engineBytes);
        }

        /** Returns the whole process's KB per leg (the harness's threads included), NaN without legs. */
        public double processKbPerLeg() {
            return kbPerLeg(engineBytes + harnessBytes);
        }

        /** Returns {@code bytes} in KB per leg, NaN without legs. */
        public double kbPerLeg(long bytes) {
            return legs > 0 ? bytes / 1024.0 / legs : Double.NaN;
        }
    }

    /**
     * What was left after every call ended.
     *
     * @param resourcesLeft the engines' {@code resources().size()} together
     * @param rtpSocketsBaseline UDP sockets in the RTP range before any call
     * @param rtpSocketsAfter the same after
     * @param threadsBaseline JVM threads before any call
     * @param threadsAfter the same after
     */
    public record LeakFigures(int resourcesLeft, int rtpSocketsBaseline, int rtpSocketsAfter, int threadsBaseline,
            int threadsAfter) {

        /** Returns whether nothing was left: no resource, no socket or thread above the baseline. */
        public boolean clean() {
            return resourcesLeft == 0 && rtpSocketsAfter <= rtpSocketsBaseline && threadsAfter <= threadsBaseline;
        }
    }

    /**
     * Per-second timing percentiles, for the chart (NaN where nothing was measured in that second).
     *
     * @param seconds the end of the second, from the start of the run
     * @param inviteP99 construct → INVITE p99, by construct time
     * @param bridgeP99 party 2's 200 OK → CONNECTED p99, by 200 OK time
     * @param rtpDeviationP99 RTP interval deviation p99, by arrival time
     * @param rtpDeviationMax RTP interval deviation max
     */
    public record TimingSample(double seconds, double inviteP99, double bridgeP99, double rtpDeviationP99,
            double rtpDeviationMax) {
    }
}
