package org.cti4j.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns what a run collected into the figures of a {@link RunReport}. */
final class Analysis {

    private Analysis() {
    }

    /**
     * Returns the rate phase's figures: calls {@code [first, first + launched)}. Bridges are timed by the engine's
     * event times; over JSON-RPC, where the events carry none finer than a second, by when the listener heard them.
     */
    static RunReport.RateFigures rate(Timelines t, int first, int launched, int late, double offered,
            double launchSeconds, List<Sample> samples) {
        LongSamples bridges = new LongSamples(launched);
        int failed = 0;
        int lost = 0;
        int refused = 0;
        for (int id = first; id < first + launched; id++) {
            long bridged = t.connected[id] != 0 ? t.connected[id] : t.connectedHeard[id];
            if (bridged != 0) {
                bridges.add(bridged);
            }
            if (t.outcome[id] == Timelines.FAILED) {
                failed++;
            } else if (t.outcome[id] == Timelines.REFUSED) {
                refused++;
            } else if (t.outcome[id] == 0) {
                lost++;
            }
        }
        long[] sorted = bridges.sorted();
        double bridgeRate = sorted.length < 2 || sorted[sorted.length - 1] == sorted[0] ? Double.NaN
                : (sorted.length - 1) * 1e9 / (sorted[sorted.length - 1] - sorted[0]);
        double peak = 0;
        for (Sample s : samples) {
            if (s.phase().startsWith("rate")) {
                peak = Math.max(peak, s.setupsPerSecond());
            }
        }
        return new RunReport.RateFigures(launched, sorted.length, failed, lost, refused, late, offered, bridgeRate,
                peak, launchSeconds);
    }

    /**
     * Returns the work each engine took, by the engine noted for each call: over the whole run and over the rate
     * phase's calls {@code [rateFirst, rateEnd)}. A call counts as bridged when the harness heard it bridged.
     *
     * @param legsStarted each engine's {@code cti4j_legs_started_total} after the run, or null without metrics
     */
    static List<RunReport.EngineShare> engines(Timelines t, List<Engines.Plan> plans, int rateFirst, int rateEnd,
            List<Double> legsStarted) {
        int n = plans.size();
        int[] admitted = new int[n];
        int[] bridged = new int[n];
        int[] failed = new int[n];
        int[] rateAdmitted = new int[n];
        int[] rateBridged = new int[n];
        for (int id = 0; id < t.capacity(); id++) {
            int e = t.engine[id] - 1;
            if (e < 0 || e >= n) {
                continue;
            }
            boolean inRate = id >= rateFirst && id < rateEnd;
            admitted[e]++;
            rateAdmitted[e] += inRate ? 1 : 0;
            if (t.connectedHeard[id] != 0) {
                bridged[e]++;
                rateBridged[e] += inRate ? 1 : 0;
            }
            if (t.outcome[id] == Timelines.FAILED) {
                failed[e]++;
            }
        }
        List<RunReport.EngineShare> shares = new ArrayList<>();
        for (int e = 0; e < n; e++) {
            Engines.Plan plan = plans.get(e);
            shares.add(new RunReport.EngineShare(plan.nodeId(), plan.sipPort(), plan.rtpPorts(), admitted[e],
                    bridged[e], failed[e], rateAdmitted[e], rateBridged[e],
                    legsStarted == null ? Double.NaN : legsStarted.get(e)));
        }
        return shares;
    }

    /** Returns the latencies of the calls from {@code first} on (the warm-up left out), in ms. */
    static RunReport.Latencies latencies(Timelines t, int first) {
        int n = t.capacity();
        return new RunReport.Latencies(
                t.between(t.construct, t.invite1, first, n).percentiles().scaled(1e6),
                t.between(t.ok1, t.invite2, first, n).percentiles().scaled(1e6),
                t.between(t.ok2, t.connected, first, n).percentiles().scaled(1e6),
                t.between(t.ok2, t.connectedHeard, first, n).percentiles().scaled(1e6),
                t.between(t.ok2, t.audio2, first, n).percentiles().scaled(1e6),
                t.between(t.construct, t.connected, first, n).percentiles().scaled(1e6),
                t.between(t.construct, t.connectedHeard, first, n).percentiles().scaled(1e6));
    }

    /** Returns the deviations (ns) of the intervals that arrived within {@code [from, to)} nanoTime, in ms. */
    static Percentiles deviationsBetween(RtpProbe.Result rtp, long from, long to) {
        LongSamples window = new LongSamples();
        for (int i = 0; i < rtp.arrivals().size(); i++) {
            long at = rtp.arrivals().get(i);
            if (at >= from && at < to) {
                window.add(rtp.deviations().get(i));
            }
        }
        return window.percentiles().scaled(1e6);
    }

    /**
     * Returns the window of highest concurrency when there was no steady phase: from one second before the first
     * sample with at least 90 % of the most bridged pairs to the last such sample, in nanoTime.
     */
    static long[] peakWindow(List<Sample> samples, long startNanos) {
        int most = 0;
        for (Sample s : samples) {
            most = Math.max(most, s.bridged());
        }
        double first = -1;
        double last = -1;
        for (Sample s : samples) {
            if (most > 0 && s.bridged() >= 0.9 * most) {
                first = first < 0 ? s.seconds() - 1 : first;
                last = s.seconds();
            }
        }
        if (first < 0) {
            return new long[] {startNanos, Long.MAX_VALUE};
        }
        return new long[] {startNanos + (long) (first * 1e9), startNanos + (long) (last * 1e9)};
    }

    /**
     * Returns per-second p99s for the chart, over {@code seconds} seconds from {@code startNanos}; NaN before
     * {@code fromNanos} (the warm-up), so that its cold start does not set the chart's scale.
     */
    static List<RunReport.TimingSample> timing(Timelines t, RtpProbe.Result rtp, long startNanos, int seconds,
            long fromNanos) {
        LongSamples[] invite = buckets(seconds);
        LongSamples[] bridge = buckets(seconds);
        LongSamples[] deviation = buckets(seconds);
        for (int id = 0; id < t.capacity(); id++) {
            if (t.construct[id] < fromNanos) {
                continue;
            }
            if (t.construct[id] != 0 && t.invite1[id] != 0) {
                add(invite, t.construct[id], startNanos, t.invite1[id] - t.construct[id]);
            }
            if (t.ok2[id] != 0 && t.connected[id] != 0) {
                add(bridge, t.ok2[id], startNanos, t.connected[id] - t.ok2[id]);
            }
        }
        for (int i = 0; i < rtp.arrivals().size(); i++) {
            if (rtp.arrivals().get(i) >= fromNanos) {
                add(deviation, rtp.arrivals().get(i), startNanos, rtp.deviations().get(i));
            }
        }
        List<RunReport.TimingSample> timing = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            Percentiles d = deviation[s].percentiles();
            timing.add(new RunReport.TimingSample(s + 1, invite[s].percentiles().p99() / 1e6,
                    bridge[s].percentiles().p99() / 1e6, d.p99() / 1e6, d.max() / 1e6));
        }
        return timing;
    }

    private static LongSamples[] buckets(int seconds) {
        LongSamples[] buckets = new LongSamples[seconds];
        for (int i = 0; i < seconds; i++) {
            buckets[i] = new LongSamples(16);
        }
        return buckets;
    }

    private static void add(LongSamples[] buckets, long at, long startNanos, long value) {
        int second = (int) ((at - startNanos) / 1_000_000_000L);
        if (second >= 0 && second < buckets.length) {
            buckets[second].add(value);
        }
    }

    /**
     * Returns the GC figures of the pauses after the warm-up (JVM uptime {@code fromUptimeMillis}, nanoTime
     * {@code fromNanos}): from the GC log when the JVM writes it, else from the notifications.
     */
    static RunReport.GcFigures gc(GcLog log, GcMonitor monitor, long fromUptimeMillis, long fromNanos) {
        if (log.enabled()) {
            List<Long> micros = log.pauseMicros(fromUptimeMillis);
            long[] values = micros.stream().mapToLong(Long::longValue).toArray();
            return new RunReport.GcFigures("the JVM's GC log, µs resolution", values.length,
                    Percentiles.of(values).scaled(1000), monitor.requested().size());
        }
        long[] values = monitor.pauses().stream().filter(p -> p.atNanos() >= fromNanos)
                .mapToLong(GcMonitor.Pause::millis).toArray();
        return new RunReport.GcFigures("GC MXBean notifications, whole ms", values.length, Percentiles.of(values),
                monitor.requested().size());
    }

    /** Returns what limited the run, as far as the samples, counters and logs tell. */
    static List<String> notes(RunReport.RateFigures rate, RunReport.SteadyFigures steady, RunReport.GcFigures gc,
            Map<String, Long> failures, List<Sample> samples, MachineInfo machine, Path out) {
        List<String> notes = new ArrayList<>();
        if (rate.refused() > 0) {
            notes.add("The engines refused " + rate.refused() + " of " + rate.launched() + " offered in the rate phase"
                    + " (" + Format.number(100.0 * rate.refused() / Math.max(1, rate.launched()), 1)
                    + " %: their admission limits, see Admission); " + rate.admitted() + " were admitted, "
                    + Format.number(rate.admittedRate(), 1) + "/s. The set-up rate and the RTP figures are those of"
                    + " the admitted.");
        }
        double capacity = machine.cores() * 100.0;
        double machineMax = 0;
        double engineAtMax = 0;
        double sippAtMax = 0;
        for (Sample s : samples) {
            if (s.phase().startsWith("rate") && s.machineCpu() > machineMax) {
                machineMax = s.machineCpu();
                engineAtMax = s.engineCpu();
                sippAtMax = s.sippCpu();
            }
        }
        if (machineMax >= 0.9 * capacity) {
            notes.add("The machine was saturated in the rate phase: up to " + Format.number(machineMax, 0) + " % of "
                    + Format.number(capacity, 0) + " % (" + machine.cores() + " cores); in that second the engine used "
                    + Format.number(engineAtMax, 0) + " % and SIPp " + Format.number(sippAtMax, 0)
                    + " %. Set-up rates beyond this are bounded by the CPU the two share.");
        } else {
            notes.add("Busiest second of the rate phase: machine " + Format.number(machineMax, 0) + " % of "
                    + Format.number(capacity, 0) + " %, engine " + Format.number(engineAtMax, 0) + " %, SIPp "
                    + Format.number(sippAtMax, 0) + " %.");
        }
        if (rate.late() > 0) {
            notes.add(rate.late() + " launches went out late by more than one interval: the --concurrency cap was"
                    + " reached (calls lasted longer than rate × hold allows) or the launcher was starved of CPU.");
        }
        double wanted = rate.refused() == 0 ? rate.offeredRate() : rate.admittedRate();
        if (!Double.isNaN(rate.bridgeRate()) && rate.bridgeRate() < 0.95 * wanted) {
            notes.add("Bridges came at " + Format.number(rate.bridgeRate(), 1) + "/s of " + Format.number(wanted, 1)
                    + "/s " + (rate.refused() == 0 ? "offered" : "admitted") + ": the set-up path did not keep up.");
        }
        failures.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
                .forEach(f -> notes.add("Failure: " + f.getValue() + " × " + f.getKey()));
        if (steady != null && steady.bridgedAtEnd() < steady.pairs()) {
            notes.add("The steady phase held " + steady.bridgedAtEnd() + " pairs, not the " + steady.pairs()
                    + " asked for: per-pair figures are over the pairs really bridged.");
        }
        if (gc.pauses() > 0 && gc.pause().max() > Targets.GC_PAUSE_MS) {
            notes.add("GC pauses up to " + Format.number(gc.pause().max(), 1) + " ms (" + machine.collectors()
                    + ", max heap " + Format.number(machine.maxHeapMb(), 0) + " MB).");
        }
        long behind = countLines(out.resolve("engine.log"), "behind its clock");
        if (behind > 0) {
            notes.add("The engine logged " + behind + " times that a media worker fell behind its 20 ms clock"
                    + " (engine.log): the media threads were starved of CPU.");
        }
        long warnings = countLines(out.resolve("engine.log"), "WARN");
        if (warnings > 0) {
            notes.add("The engine logged " + warnings + " warnings (engine.log).");
        }
        for (String party : new String[] {"A", "B", "P"}) {
            long errors = countLines(out.resolve("sipp-" + party + "-errors.log"), "");
            if (errors > 0) {
                notes.add("SIPp " + party + " logged " + errors + " error lines (sipp-" + party + "-errors.log).");
            }
        }
        if (machine.loadAverage() > 0.5) {
            notes.add("Other work was running: load average " + Format.number(machine.loadAverage(), 2)
                    + " when the run started.");
        }
        return notes;
    }

    private static long countLines(Path file, String containing) {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var lines = Files.lines(file, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            return lines.filter(line -> !line.isBlank() && line.contains(containing)).count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }
}
