package org.cti4j.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * The targets of the second performance round, issue #17 (a 2-core machine shared by the engine and SIPp; those it
 * left unchanged are issue #7's), and how a run compares with each, next to what Asterisk 20 did on such a machine.
 */
final class Targets {

    /** One line of the comparison. */
    record Row(String figure, String target, String measured, String verdict, String asterisk) {
    }

    static final double SETUPS_PER_SECOND = 400;
    static final double CPU_PER_PAIR = 0.08;
    static final double HEAP_PER_PAIR_KB = 50;
    static final double RTP_LOSS_PERCENT = 1;
    static final double RTP_DEVIATION_P99_MS = 2;
    static final double GC_PAUSE_MS = 10;
    static final double INVITE_P99_MS = 5;
    static final double BRIDGE_P99_MS = 20;
    static final double ENGINE_BRIDGE_P99_MS = 2;
    static final double SETUP_HEARD_RPC_P50_MS = 6;
    static final double ALLOCATED_PER_LEG_KB = 20;

    private Targets() {
    }

    static List<Row> rows(RunReport r) {
        List<Row> rows = new ArrayList<>();
        RunReport.RateFigures rate = r.rate();
        String noun = r.options().mode() == LoadOptions.Mode.DUO ? "duo callbacks" : "calls";
        rows.add(new Row(noun + " set up per second (" + Format.duration(r.options().hold()) + " hold), zero failures",
                "≥ 400/s, 0 failed",
                Format.number(rate.bridgeRate(), 1) + "/s (offered " + Format.number(rate.offeredRate(), 1) + "/s"
                        + (rate.refused() > 0 ? ", admitted " + Format.number(rate.admittedRate(), 1) + "/s" : "")
                        + "), " + (rate.failed() + rate.lost()) + " failed"
                        + (rate.refused() > 0 ? ", " + rate.refused() + " refused (not failures)" : ""),
                rate.failed() + rate.lost() > 0 ? "missed: " + (rate.failed() + rate.lost()) + " failed"
                        + (rate.bridgeRate() < SETUPS_PER_SECOND ? "; " + atLeast(rate.bridgeRate(), SETUPS_PER_SECOND,
                        "/s") : "")
                        : atLeast(rate.bridgeRate(), SETUPS_PER_SECOND, "/s"),
                "~75/s"));
        RunReport.SteadyFigures steady = r.steady();
        boolean duo = r.options().mode() == LoadOptions.Mode.DUO;
        String pair = duo ? "bridged pair" : "answered call (call mode)";
        if (steady != null) {
            rows.add(new Row("CPU per " + pair + ", audio both ways (engine, above idle)",
                    "≤ 0.08 % of a core (≤ 16 % at 200 pairs)",
                    Format.number(steady.cpuPerPair(), 3) + " % (" + Format.number(steady.engineCpu(), 1) + " % at "
                            + steady.bridgedAtEnd() + " pairs, idle " + Format.number(steady.idleEngineCpu(), 1)
                            + " %)",
                    atMost(steady.cpuPerPair(), CPU_PER_PAIR, " %"), "~0.4 %"));
            rows.add(new Row("heap per " + pair + " (after full GC)", "≤ 50 KB",
                    Format.number(steady.heapPerPairKb(), 1) + " KB (" + Format.number(steady.heapPlateauMb(), 1)
                            + " MB vs " + Format.number(steady.heapBaselineMb(), 1) + " MB with no call)",
                    atMost(steady.heapPerPairKb(), HEAP_PER_PAIR_KB, " KB"), "~170 KB"));
        } else {
            rows.add(new Row("CPU per " + pair, "≤ 0.08 % of a core", "not measured (--steady-pairs 0)",
                    "not measured", "~0.4 %"));
            rows.add(new Row("heap per " + pair, "≤ 50 KB", "not measured (--steady-pairs 0)", "not measured",
                    "~170 KB"));
        }
        RunReport.RtpFigures rtp = r.rtp();
        rows.add(new Row("RTP loss, engine → " + (duo ? "party 2" : "callee") + " (probe streams)", "< 1 %",
                Format.number(rtp.lossPercent(), 3) + " % (" + rtp.lost() + " of " + rtp.expected() + ", "
                        + rtp.flows() + " streams)",
                below(rtp.lossPercent(), RTP_LOSS_PERCENT, " %"), ""));
        Percentiles peak = rtp.deviationAtPeak();
        rows.add(new Row("RTP send-interval deviation from 20 ms, p99 (" + rtp.peakWindow() + ")", "≤ 2 ms",
                "p50 " + Format.number(peak.p50(), 2) + " / p99 " + Format.number(peak.p99(), 2) + " / max "
                        + Format.number(peak.max(), 2) + " ms (" + peak.count() + " intervals)",
                atMost(peak.p99(), RTP_DEVIATION_P99_MS, " ms"), ""));
        RunReport.GcFigures gc = r.gc();
        rows.add(new Row("GC pause, longest", "≤ 10 ms",
                gc.pauses() == 0 ? "no pause" : "max " + Format.number(gc.pause().max(), 2) + " ms, p99 "
                        + Format.number(gc.pause().p99(), 2) + " ms (" + gc.pauses() + " pauses)",
                gc.pauses() == 0 ? "met" : atMost(gc.pause().max(), GC_PAUSE_MS, " ms"), ""));
        rows.add(allocation(r.allocation()));
        Percentiles invite = r.latency().constructToInvite();
        rows.add(new Row("construct → INVITE on the wire, p99", "≤ 5 ms (at 200/s)", percentiles(invite),
                atMost(invite.p99(), INVITE_P99_MS, " ms"), ""));
        Percentiles heard = r.latency().setupHeard();
        boolean rpc = r.options().via() != LoadOptions.Via.EMBEDDED;
        rows.add(new Row("construct → " + (duo ? "CONNECTED" : "answered") + " event heard by the application, p50"
                        + (rpc ? " (over JSON-RPC)" : " (embedded)"), "≤ 6 ms over JSON-RPC (at 50/s)",
                percentiles(heard), rpc ? atMost(heard.p50(), SETUP_HEARD_RPC_P50_MS, " ms")
                        : "no target embedded (run with --via rpc)", "~10 ms (ARI)"));
        Percentiles audio = r.latency().answeredToAudio();
        if (duo) {
            rows.add(new Row("party 2 answered → bridged audio, p99 (200 OK → party 1's audio at party 2)", "≤ 20 ms",
                    percentiles(audio), atMost(audio.p99(), BRIDGE_P99_MS, " ms"), ""));
            rows.add(engineBridge(r.latency().engineSide()));
        }
        return rows;
    }

    /** The engine's bytes allocated per leg, against the target for the SIP path's. */
    private static Row allocation(RunReport.AllocationFigures a) {
        String figure = "bytes allocated per leg, engine's threads (SIP, media, strands, listeners)";
        if (a == null || a.legs() == 0) {
            return new Row(figure, "≤ 20 KB (SIP)", "not measured (" + (a == null ? "the JVM does not count it"
                    : "no leg") + ")", "not measured", "");
        }
        return new Row(figure, "≤ 20 KB (SIP)", Format.number(a.engineKbPerLeg(), 1) + " KB (" + a.legs()
                + " legs, " + a.window() + "; whole process " + Format.number(a.processKbPerLeg(), 1) + " KB)",
                atMost(a.engineKbPerLeg(), ALLOCATED_PER_LEG_KB, " KB"), "");
    }

    /** The engine's own delay, party 2 hears party 1, for the verdict; the delay from the 200 OK beside it. */
    private static Row engineBridge(RunReport.FlightFigures f) {
        String figure = "200 OK of party 2 → first bridged packet, p99, engine side (party 2 hears party 1)";
        if (!f.measured()) {
            return new Row(figure, "≤ 2 ms", "not measured (no flight events)", "not measured", "");
        }
        Percentiles own = f.answeredHears().engineDelay();
        return new Row(figure, "≤ 2 ms", "engine's own delay " + percentiles(own) + "; from the 200 OK "
                + percentiles(f.answeredHears().answeredToFirstPacket()),
                atMost(own.p99(), ENGINE_BRIDGE_P99_MS, " ms"), "");
    }

    private static String percentiles(Percentiles p) {
        if (p.count() == 0) {
            return "not measured";
        }
        return "p50 " + Format.number(p.p50(), 2) + " / p99 " + Format.number(p.p99(), 2) + " / max "
                + Format.number(p.max(), 2) + " ms (" + p.count() + ")";
    }

    /** "met", or by how much {@code value} falls short of a floor. */
    static String atLeast(double value, double floor, String unit) {
        if (Double.isNaN(value)) {
            return "not measured";
        }
        if (value >= floor) {
            return "met";
        }
        return "missed by " + Format.number(floor - value, 2) + unit + " (" + Format.number(100 * (floor - value)
                / floor, 1) + " % short)";
    }

    /** "met", or by how much {@code value} exceeds a ceiling. */
    static String atMost(double value, double ceiling, String unit) {
        if (Double.isNaN(value)) {
            return "not measured";
        }
        if (value <= ceiling) {
            return "met";
        }
        return "missed by " + Format.number(value - ceiling, 3) + unit + " (" + Format.number(value / ceiling, 2)
                + "× the target)";
    }

    /** "met" if strictly below, else by how much not. */
    static String below(double value, double ceiling, String unit) {
        if (Double.isNaN(value)) {
            return "not measured";
        }
        return value < ceiling ? "met" : atMost(value, Math.nextDown(ceiling), unit);
    }
}
