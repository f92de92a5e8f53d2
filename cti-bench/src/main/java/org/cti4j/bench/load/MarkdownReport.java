package org.cti4j.bench.load;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** Writes a {@link RunReport} as {@code report.md}: machine, command, parameters, targets, other figures, method. */
final class MarkdownReport {

    private MarkdownReport() {
    }

    static String write(RunReport r) {
        StringBuilder md = new StringBuilder();
        LoadOptions o = r.options();
        md.append("# cti4j load report\n\n");
        md.append("Run started ").append(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                r.started().atOffset(ZoneOffset.UTC).withNano(0))).append(" UTC and lasted ")
                .append(Format.number(r.seconds(), 1)).append(" s: ")
                .append(o.mode() == LoadOptions.Mode.DUO ? "duo callbacks" : "outbound calls")
                .append(switch (o.via()) {
                    case RPC -> ", started and heard through the RPC server (a `RemoteCtiEngine` over loopback"
                            + " WebSocket, in the same process)";
                    case CLUSTER -> ", started and heard through a `ClusterCtiEngine` over " + o.engines()
                            + (o.engines() == 1 ? " engine" : " engines") + ", each behind its own RPC server"
                            + " (loopback WebSocket, all in the same process)";
                    case EMBEDDED -> ", the engine embedded";
                })
                .append(", against SIPp on this machine, engine and SIPp sharing it.\n\n");

        md.append("## Machine\n\n| | |\n|---|---|\n");
        MachineInfo m = r.machine();
        row(md, "cores", String.valueOf(m.cores()));
        row(md, "CPU", m.cpuModel());
        row(md, "RAM", m.ramBytes() < 0 ? "unknown" : Format.number(m.ramBytes() / 1073741824.0, 1) + " GB");
        row(md, "OS", m.os());
        row(md, "JDK", m.jdk());
        row(md, "JVM flags", m.jvmFlags().isEmpty() ? "(none)" : "`" + String.join(" ", m.jvmFlags()) + "`");
        row(md, "garbage collectors", m.collectors());
        row(md, "max heap", Format.number(m.maxHeapMb(), 0) + " MB");
        row(md, "load average at start", Format.number(m.loadAverage(), 2) + " (other work on the machine)");
        md.append('\n');

        md.append("## Command line\n\n```\n").append(r.commandLine()).append("\n```\n\n");

        md.append("## Parameters\n\n| flag | value |\n|---|---|\n");
        List<String> args = o.toArgs();
        for (int i = 0; i + 1 < args.size(); i += 2) {
            row(md, "`" + args.get(i) + "`", "`" + args.get(i + 1) + "`");
        }
        md.append('\n');

        md.append("## Results against the targets\n\n")
                .append("| figure | target | measured | verdict | Asterisk 20, same kind of machine |\n")
                .append("|---|---|---|---|---|\n");
        for (Targets.Row t : Targets.rows(r)) {
            md.append("| ").append(cell(t.figure())).append(" | ").append(cell(t.target())).append(" | ")
                    .append(cell(t.measured())).append(" | ").append(cell(t.verdict())).append(" | ")
                    .append(cell(t.asterisk())).append(" |\n");
        }
        md.append('\n');

        md.append("## What limited the run\n\n");
        if (r.notes().isEmpty()) {
            md.append("Nothing the harness could see.\n");
        }
        for (String note : r.notes()) {
            md.append("- ").append(note).append('\n');
        }
        md.append('\n');

        md.append("## Other figures\n\n");
        RunReport.RateFigures rate = r.rate();
        md.append("**Rate phase**: ").append(rate.launched()).append(" launched in ")
                .append(Format.number(rate.launchSeconds(), 1)).append(" s, ").append(rate.bridged())
                .append(" bridged, ").append(rate.failed()).append(" failed, ").append(rate.lost())
                .append(" lost (no on_released), ").append(rate.late())
                .append(" launches late by more than one interval; most bridges in one second: ")
                .append(Format.number(rate.peakSetupRate(), 0)).append(".\n\n");
        admission(md, r);
        if (!r.failures().isEmpty()) {
            md.append("Failures:\n\n");
            for (Map.Entry<String, Long> f : r.failures().entrySet()) {
                md.append("- ").append(f.getValue()).append(" × `").append(f.getKey().replace('`', '\'')).append("`\n");
            }
            md.append('\n');
        }
        md.append("**Latencies** (ms; every call of the rate and steady phases, the warm-up left out):\n\n| step | count | p50 | p99 | max |\n")
                .append("|---|--:|--:|--:|--:|\n");
        RunReport.Latencies l = r.latency();
        latency(md, "`startDuoCallback`/`dial` → (party 1's) INVITE at the relay", l.constructToInvite());
        if (o.mode() == LoadOptions.Mode.DUO) {
            latency(md, "party 1's 200 OK at the relay → party 2's INVITE at the relay", l.party1OkToInvite2());
            latency(md, "party 2's 200 OK at the relay → CONNECTED (engine's event time)", l.answeredToBridge());
            latency(md, "party 2's 200 OK at the relay → CONNECTED heard by the listener", l.answeredToBridgeHeard());
            latency(md, "party 2's 200 OK at the relay → party 1's audio at party 2 (probe calls)",
                    l.answeredToAudio());
            engineSideRows(md, l.engineSide());
        }
        latency(md, "`startDuoCallback`/`dial` → bridged/answered (engine's event time)", l.setup());
        latency(md, "`startDuoCallback`/`dial` → bridged/answered heard by the listener"
                + (o.via() != LoadOptions.Via.EMBEDDED ? " (over JSON-RPC)" : ""), l.setupHeard());
        md.append('\n');
        if (o.mode() == LoadOptions.Mode.DUO) {
            engineSideCounts(md, l.engineSide());
        }
        RunReport.SteadyFigures s = r.steady();
        if (s != null) {
            md.append("**Steady phase**: ").append(s.pairs()).append(" pairs asked for; ").append(s.bridgedAtStart())
                    .append(" bridged when the ").append(Format.number(s.windowSeconds(), 1))
                    .append(" s window began, ").append(s.bridgedAtEnd()).append(" when it ended. CPU over the window")
                    .append(" (% of one core): engine ").append(Format.number(s.engineCpu(), 1))
                    .append(" (idle ").append(Format.number(s.idleEngineCpu(), 1)).append("), whole process ")
                    .append(Format.number(s.processCpu(), 1)).append(", harness threads ")
                    .append(Format.number(s.harnessCpu(), 1)).append(", SIPp ").append(Format.number(s.sippCpu(), 1))
                    .append(", whole machine ").append(Format.number(s.machineCpu(), 1)).append(" of ")
                    .append(m.cores() * 100).append(". Heap after a full GC: ")
                    .append(Format.number(s.heapBaselineMb(), 1)).append(" MB with no call, ")
                    .append(Format.number(s.heapPlateauMb(), 1)).append(" MB with the pairs bridged.\n\n");
        }
        RunReport.RtpFigures rtp = r.rtp();
        md.append("**RTP at the probe**: ").append(rtp.flows()).append(" streams, ").append(rtp.received())
                .append(" packets received of ").append(rtp.expected()).append(" sent; interval deviation over the")
                .append(" whole run p50 ").append(Format.number(rtp.deviation().p50(), 2)).append(" / p99 ")
                .append(Format.number(rtp.deviation().p99(), 2)).append(" / max ")
                .append(Format.number(rtp.deviation().max(), 2)).append(" ms.");
        if (o.mode() == LoadOptions.Mode.DUO) {
            md.append(" Once party 1's audio had reached party 2, ").append(rtp.silentAfterAudio())
                    .append(" packets to party 2 were silence instead of it, ").append(rtp.audioFrames())
                    .append(" carried it (").append(Format.number(100.0 * rtp.silentAfterAudio()
                            / Math.max(1, rtp.silentAfterAudio() + rtp.audioFrames()), 2))
                    .append(" % gaps: frames the bridge had nothing to relay; party 1 streams without pause).");
        }
        md.append("\n\n");
        mediaClock(md, r.latency().engineSide().clock());
        RunReport.GcFigures gc = r.gc();
        md.append("**GC**: ").append(gc.pauses()).append(" pauses (").append(gc.source()).append("), p50 ")
                .append(Format.number(gc.pause().p50(), 2)).append(" / p99 ").append(Format.number(gc.pause().p99(), 2))
                .append(" / max ").append(Format.number(gc.pause().max(), 2)).append(" ms; ").append(gc.requested())
                .append(" full GCs requested by the harness to weigh the heap, not counted.\n\n");
        allocation(md, r.allocation());
        RunReport.LeakFigures leaks = r.leaks();
        md.append("**Leaks**: ").append(leaks.clean() ? "none" : "SOMETHING WAS LEFT").append(" — ")
                .append(leaks.resourcesLeft()).append(" live resources after the run; UDP sockets in the RTP range ")
                .append(leaks.rtpSocketsBaseline()).append(" before, ").append(leaks.rtpSocketsAfter())
                .append(" after; JVM threads ").append(leaks.threadsBaseline()).append(" before, ")
                .append(leaks.threadsAfter()).append(" after.\n\n");

        for (RunReport.CpuBreakdown b : r.cpu()) {
            md.append("**Where the CPU went**, ").append(b.window()).append(" (").append(Format.number(b.seconds(), 1))
                    .append(" s; % of one core; the harness's own threads are `cti-load-*` and `main`, the launcher):")
                    .append(" whole process ")
                    .append(Format.number(b.processCpu(), 1)).append(".\n\n| threads | CPU |\n|---|--:|\n");
            b.threads().forEach((group, percent) -> row(md, "`" + group + "`", Format.number(percent, 1)));
            row(md, "the JVM outside Java threads", Format.number(b.outsideJavaThreads(), 1));
            row(md, "… of which the garbage collector (GC log: user + sys)", Format.number(b.gcCpu(), 1));
            row(md, "… the rest: the JIT compiler and the VM's other threads",
                    Format.number(b.outsideJavaThreads() - b.gcCpu(), 1));
            md.append('\n');
        }
        engines(md, r);
        if (r.metrics() != null) {
            MetricsSection.write(md, r);
        }
        md.append("## How each figure is measured\n\n").append(METHOD).append('\n');
        md.append("## Files\n\n`report.svg` (the chart), `samples.csv` (the 1 s samples), `timing.csv` (per-second")
                .append(" latency and RTP percentiles), ")
                .append(r.metrics() != null ? "`metrics.csv` (the `cti4j_` series of `/metrics` each second, summed"
                        + " over the engines), " : "")
                .append("`engine.log` (the engines' warnings), `gc.log`, `sipp-*.log`")
                .append(" and `sipp-*-errors.log` (SIPp's screens and errors), `sipp-*.xml` (its scenarios).\n");
        return md.toString();
    }

    /** Offered, admitted and refused: what the engines' admission limits let through. */
    private static void admission(StringBuilder md, RunReport r) {
        RunReport.RateFigures rate = r.rate();
        md.append("**Admission** (rate phase): offered ").append(rate.launched()).append(" at ")
                .append(Format.number(rate.offeredRate(), 1)).append("/s; admitted ").append(rate.admitted())
                .append(" (").append(Format.number(rate.admittedRate(), 1)).append("/s over the launch); refused ")
                .append(rate.refused()).append(" (")
                .append(Format.number(100.0 * rate.refused() / Math.max(1, rate.launched()), 1))
                .append(" %) by the engines' admission limits (`EngineUnavailableException`, 503 on the wire);")
                .append(" set up per second of the admitted: ").append(Format.number(rate.bridgeRate(), 1))
                .append("/s. Refused ones are neither failed nor lost, and never reach SIP: the latency and RTP")
                .append(" figures below are those of the admitted.");
        String limits = limits(r.options());
        md.append(limits.isEmpty() ? " No admission limit was set.\n\n" : " Limits: " + limits + ".\n\n");
        if (!r.refusals().isEmpty()) {
            md.append("Refusals over the whole run (numbers shown as N):\n\n");
            for (Map.Entry<String, Long> f : r.refusals().entrySet()) {
                md.append("- ").append(f.getValue()).append(" × `").append(f.getKey().replace('`', '\'')).append("`\n");
            }
            md.append('\n');
        }
    }

    private static String limits(LoadOptions o) {
        StringBuilder limits = new StringBuilder();
        for (String key : List.of("engine.max-calls-per-second", "engine.max-live-calls")) {
            String value = o.properties().get(key);
            if (value != null) {
                limits.append(limits.length() == 0 ? "" : ", ").append('`').append(key).append('=').append(value)
                        .append('`');
            }
        }
        if (limits.length() > 0 && o.engines() > 1) {
            limits.append(", each engine's own");
        }
        return limits.toString();
    }

    /** How the work was spread over the engines, told by the node id that prefixes each res_id. */
    private static void engines(StringBuilder md, RunReport r) {
        List<RunReport.EngineShare> engines = r.engines();
        boolean metrics = r.metrics() != null;
        int rateBridged = engines.stream().mapToInt(RunReport.EngineShare::rateBridged).sum();
        md.append("## Engines\n\n").append(engines.size()).append(engines.size() == 1 ? " engine" : " engines")
                .append(" ran, in this process. Each call is counted for the engine whose node id prefixes its")
                .append(" `res_id`; the whole run includes the warm-up and the steady phase.\n\n")
                .append("| node id | SIP port | RTP ports | admitted, whole run | bridged, whole run")
                .append(" | failed, whole run | admitted, rate phase | bridged, rate phase")
                .append(" | share of the rate phase's bridges |")
                .append(metrics ? " legs started (`/metrics`) |" : "").append('\n')
                .append("|---|--:|---|--:|--:|--:|--:|--:|--:|").append(metrics ? "--:|" : "").append('\n');
        for (RunReport.EngineShare e : engines) {
            md.append("| ").append(e.nodeId()).append(" | ").append(e.sipPort()).append(" | ").append(e.rtpPorts())
                    .append(" | ").append(e.admitted()).append(" | ").append(e.bridged()).append(" | ")
                    .append(e.failed()).append(" | ").append(e.rateAdmitted()).append(" | ").append(e.rateBridged())
                    .append(" | ").append(Format.number(100.0 * e.rateBridged() / Math.max(1, rateBridged), 1))
                    .append(" % |").append(metrics ? " " + Format.number(e.legsStarted(), 0) + " |" : "")
                    .append('\n');
        }
        md.append('\n');
    }

    static final String METHOD = """
            - **Set up per second**: the harness starts duo callbacks at `--rate` (at most `--concurrency` alive) and
              counts each that reaches `CONNECTED`; the rate is (bridged − 1) / (last bridge − first bridge), by the
              engine's event times (over JSON-RPC, `--via rpc` or `cluster`, whose events carry whole seconds: by
              when the listener heard each). A duo callback succeeds when it is bridged and then ends in
              `on_released` with `error` null after the harness's `release()` at the end of its hold; anything else
              is a failure, and one with no `on_released` by the end of the drain is lost.
            - **Admission**: a construct the engine refuses with `EngineUnavailableException` (503 on the wire: its
              `engine.max-calls-per-second` or `engine.max-live-calls`, or draining; through the cluster client,
              when every engine refused) is **refused**: not a failure, not lost, and never on the wire; its slot is
              free at once and the launcher keeps the offered rate. Offered = admitted + refused; the set-up rate,
              latencies and RTP figures are those of the admitted. The exit code counts failed and lost, not
              refused.
            - **Several engines** (`--via cluster --engines N`): each engine has its own node id (1.0.7, 1.0.8, ...),
              SIP port and slice of `--rtp-ports`, behind its own RPC server; a `ClusterCtiEngine` places the calls.
              The relays send each response to the engine that sent its request (the top Via's sent-by port). Each
              call is counted for the engine whose node id prefixes its `res_id`. Live resources, sockets in the RTP
              range and threads are those of all the engines (one process).
            - **/metrics** (`--metrics`): each engine's `CtiMetrics` on its own registry, served by `MetricsEndpoint`
              and read by the harness once a second over HTTP (`java.net.http.HttpClient`, on its own threads); the
              `cti4j_` series are summed over the engines (a `_max` gauge: the largest). After the drain the harness
              scrapes until every leg started has ended (CDRs come after the release; at most 10 s), and compares:
              legs started and ended = 2 per duo callback admitted (1 per call), answered = 2 per bridged, ended
              unanswered = 0, each over the whole run; a failed one may have 0 to 2 legs, which makes a range.
            - **On the wire**: party 1's and party 2's SIP goes through a UDP relay in the harness (the URIs dialled
              name it; SIPp answers to where requests come from), which timestamps each INVITE from the engine and
              each 200 OK from SIPp as it receives them. "construct → INVITE" is from just before
              `startDuoCallback`/`dial` to the INVITE reaching the relay: it includes the loopback and the relay
              thread's wake-up.
            - **Answered → bridged audio**: for every `--probe-every`-th duo callback, party 2 is SIPp P, whose SDP
              names the harness's RTP probe as its media address. Party 1 (SIPp A) streams a 440 Hz A-law tone; the
              figure is from party 2's 200 OK at the relay to the first packet at the probe that carries sound
              instead of the engine's silence. It includes the relay hop of the 200 OK and the wait for the media
              worker's next 20 ms tick, as a listener would hear it. "→ CONNECTED" is the engine's own time of the
              move, after it has ordered the bridge.
            - **Engine side** (issue #17): the engines run in the harness's process, which reads their Flight
              Recorder events through a `RecordingStream`: `org.cti4j.sip.InviteAnswered` (the first 2xx to an
              INVITE taken in, timed from when the SIP stack gave it to cti-sip; the local RTP port of its offer) and
              `org.cti4j.media.FirstRelayedPacket` (a media connection's first payload sent on; source and sink
              ports, time since the relay was armed and since the payload was taken in). Each first packet is
              matched to the later of the most recent answers on its two ports (party 2's). "200 OK → first packet"
              includes the wait for the far end's next packet; "→ armed" is the 200 OK until the source's media
              thread passed payloads on; "the engine's own delay" is that, plus the payload's time in the engine
              from the later of its arrival and the answer: only the wait for the far end once armed is left out.
              Over the bridges answered after the warm-up's drain. Without the events (an engine that does not
              commit them) the figures are not measured.
            - **CPU**: `ProcessCpuTime` of the JVM minus the CPU time of the harness's own threads (relays, probe,
              launcher, sampler, hold timer: `ThreadMXBean`), so the engine's figure includes the JVM's GC and JIT
              threads and the application's listeners. Per pair: (engine CPU over the steady window − engine CPU
              idle) / pairs bridged. SIPp's CPU is read from `/proc/PID/stat`, the machine's from `/proc/stat`.
            - **Heap per pair**: heap in use after `System.gc()` with every steady pair bridged, minus the same
              with no call (after the rate phase, so that the engine's lazily built structures are in both), divided
              by the pairs. The harness's own bookkeeping is allocated before the baseline.
            - **RTP**: measured at the probe, i.e. on the engine's streams to party 2 of the probe calls: each
              interval between consecutive packets of a stream minus 20 ms (absolute), and sequence gaps for loss.
              The arrival time includes loopback and the probe thread's wake-up: an upper bound of the engine's own
              send jitter. The peak window is the steady phase (or, without one, the seconds with at least 90 % of
              the most bridged pairs).
            - **GC pauses**: from the JVM's GC log, switched on by the harness (`VM.log`, µs resolution), or else
              the GC MXBean notifications (whole ms); the harness's own `System.gc()` calls are excluded.
            - **Allocation**: the bytes each JVM thread allocated on the heap (HotSpot's per-thread counters,
              `com.sun.management.ThreadMXBean`) from the start of the rate phase to the end of the rest after its
              drain, per leg started (2 per duo callback admitted, 1 per call): the rest lets the SIP stack's timers
              of the last calls run (up to 32 s after a call; with a shorter `--rest`, some are left out), and adds
              what the idle engine allocates. The engine's figure is every thread but the harness's: SIP, media,
              strands, the listeners they call, the JVM's own Java threads. Threads that ended in between are lost;
              the engines' pools keep theirs.
            - **Leaks**: after the last call, the harness waits (at most 10 s) for `engine.resources()` to be empty
              and for the UDP sockets in the RTP port range (`/proc/net/udp`) and the JVM's threads to be back to
              what they were before the first call.
            """;

    /** Where the bytes allocated per leg went, by thread group (those of at least 1 KB a leg). */
    private static void allocation(StringBuilder md, RunReport.AllocationFigures a) {
        if (a == null || a.legs() == 0) {
            return;
        }
        md.append("**Allocation** (").append(a.window()).append(", ").append(a.legs()).append(" legs; KB per leg): ")
                .append("engine's threads ").append(Format.number(a.engineKbPerLeg(), 1)).append(", of which");
        String sep = " ";
        double rest = 0;
        for (Map.Entry<String, Long> g : a.engineGroups().entrySet()) {
            double kb = a.kbPerLeg(g.getValue());
            if (kb >= 1) {
                md.append(sep).append('`').append(g.getKey()).append("` ").append(Format.number(kb, 1));
                sep = ", ";
            } else {
                rest += kb;
            }
        }
        md.append(sep).append("other threads ").append(Format.number(rest, 1)).append("; the harness's threads ")
                .append(Format.number(a.kbPerLeg(a.harnessBytes()), 1)).append(".\n\n");
    }

    /** The engine's own bridge timing (Flight Recorder events), both directions, when any event was seen. */
    private static void engineSideRows(StringBuilder md, RunReport.FlightFigures f) {
        if (!f.measured()) {
            return;
        }
        latency(md, "party 2's 200 OK in the engine → first packet relayed to party 2 (engine side)",
                f.answeredHears().answeredToFirstPacket());
        latency(md, "… of which the 200 OK → the relay to party 2 armed", f.answeredHears().answeredToArmed());
        latency(md, "… the engine's own delay: armed, then party 1's payload in the engine until sent to party 2",
                f.answeredHears().engineDelay());
        latency(md, "party 2's 200 OK in the engine → first packet relayed to party 1 (engine side)",
                f.otherHearsAnswered().answeredToFirstPacket());
        latency(md, "… of which the 200 OK → the relay to party 1 armed", f.otherHearsAnswered().answeredToArmed());
        latency(md, "… the engine's own delay: armed, then party 2's payload in the engine until sent to party 1",
                f.otherHearsAnswered().engineDelay());
    }

    /** How late the media threads' ticks ran: the accuracy of the 20 ms clock, with a histogram. */
    private static void mediaClock(StringBuilder md, RunReport.MediaClock clock) {
        md.append("**Media clock** (Flight Recorder, `org.cti4j.media.Tick`, after the warm-up): ");
        if (!clock.measured()) {
            md.append("not measured (no flight events).\n\n");
            return;
        }
        Percentiles late = clock.lateness();
        md.append(late.count()).append(" ticks of the media threads' 20 ms clock began late by p50 ")
                .append(Format.number(late.p50(), 2)).append(" / p99 ").append(Format.number(late.p99(), 2))
                .append(" / max ").append(Format.number(late.max(), 2)).append(" ms (");
        List<Integer> bounds = RunReport.MediaClock.BOUNDS_MS;
        for (int band = 0; band < clock.histogram().size(); band++) {
            String range = band == 0 ? "< " + bounds.get(0) + " ms"
                    : band < bounds.size() ? bounds.get(band - 1) + "-" + bounds.get(band) + " ms"
                    : "≥ " + bounds.get(bounds.size() - 1) + " ms";
            md.append(band == 0 ? "" : ", ").append(range).append(": ")
                    .append(Format.number(100.0 * clock.histogram().get(band) / late.count(), 2)).append(" %");
        }
        Percentiles work = clock.work();
        md.append("); a tick's work took p50 ").append(Format.number(work.p50(), 2)).append(" / p99 ")
                .append(Format.number(work.p99(), 2)).append(" / max ").append(Format.number(work.max(), 2))
                .append(" ms. A late tick sends its frames late: the engine's own share of the send-interval")
                .append(" deviation of what it plays or mixes (relayed packets go when they come).\n\n");
    }

    private static void engineSideCounts(StringBuilder md, RunReport.FlightFigures f) {
        if (!f.measured()) {
            md.append("**Engine side** (Flight Recorder): not measured (no flight events")
                    .append(f.answers() > 0 ? "; " + f.answers() + " answers but no first relayed packet" : "")
                    .append(").\n\n");
            return;
        }
        md.append("**Engine side** (Flight Recorder, the rows above marked so): ").append(f.answers())
                .append(" answers and ").append(f.relays()).append(" first relayed packets seen over the whole run; ")
                .append(f.beforeWindow()).append(" of those packets belong to bridges answered before the measured")
                .append(" window, ").append(f.unmatched()).append(" had no answer before them (left out), ")
                .append(f.dropped()).append(" events were not kept.\n\n");
    }

    private static void latency(StringBuilder md, String step, Percentiles p) {
        md.append("| ").append(step).append(" | ").append(p.count()).append(" | ").append(Format.number(p.p50(), 2))
                .append(" | ").append(Format.number(p.p99(), 2)).append(" | ").append(Format.number(p.max(), 2))
                .append(" |\n");
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(cell(key)).append(" | ").append(cell(value)).append(" |\n");
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
