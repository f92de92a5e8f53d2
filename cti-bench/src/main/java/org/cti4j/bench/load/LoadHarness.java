package org.cti4j.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.cti4j.api.Call;
import org.cti4j.api.DuoCallback;
import org.cti4j.rpc.ClusterCtiEngine;
import org.cti4j.rpc.RemoteCtiEngine;
import org.cti4j.rpc.RpcServer;

/**
 * The load harness of issue #7: one command that starts an embedded engine and SIPp phones, drives duo callbacks (or
 * outbound calls) through them, measures inside the process, and writes {@code report.md}, {@code report.svg} and
 * the raw samples.
 *
 * <pre>
 *   launcher ─▶ CtiEngine (cti-core, cti-sip, cti-media) ──SIP──▶ relay A ─▶ SIPp A: answers, streams a tone (party 1)
 *                  │                                     ──SIP──▶ relay B ─▶ SIPp B: answers, echoes (party 2)
 *                  │                                     ──SIP──▶ relay P ─▶ SIPp P: answers (every n-th party 2)
 *                  └──RTP──▶ SIPp A, SIPp B ; RTP of SIPp P's calls ──▶ probe (echoes, times, counts)
 *   sampler (1 s): counters, resources, CPU, heap, GC, threads, sockets
 * </pre>
 *
 * <p>With {@code --via rpc} the launcher and the listeners reach the engine through an {@link RpcServer} and a
 * {@link RemoteCtiEngine} over loopback WebSocket, in the same process, as an application in another process would.
 * With {@code --via cluster} they reach {@code --engines} engines, each behind its own {@link RpcServer}, through a
 * {@link ClusterCtiEngine}; the relays send each response back to the engine that sent the request ({@link Engines}).
 * With {@code --metrics} each engine's meters are served on {@code /metrics} and scraped every second
 * ({@link MetricsScraper}), and the final totals are set against the harness's own counts ({@link MetricsCheck}).
 *
 * <p>Phases: idle (sockets baseline), warmup (left out of every figure), rate (launch at {@code --rate}, each held
 * {@code --hold}), rate-drain, rest (heap, CPU and threads baseline of the warm, idle engine), steady-ramp and
 * steady ({@code --steady-pairs} held for {@code --steady-time}), steady-drain, check (leaks). Every wait for
 * something to happen has a deadline; the fixed sleeps are measurement windows.
 */
public final class LoadHarness {

    private final LoadOptions options;
    private final String commandLine;

    /** Creates a harness for one run. */
    public LoadHarness(LoadOptions options, String commandLine) {
        this.options = options;
        this.commandLine = commandLine;
    }

    /**
     * Runs the harness from the command line; exits with 0 when the run had no failure and left nothing behind, 1
     * when it did, 2 on a bad command line or a run that could not start.
     */
    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(LoadOptions.usage());
            return;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (LoadOptions.UsageException e) {
            System.err.println("cti-load: " + e.getMessage() + "\n\n" + LoadOptions.usage());
            System.exit(2);
            return;
        }
        try {
            Files.createDirectories(options.out());
        } catch (IOException e) {
            System.err.println("cti-load: cannot create " + options.out() + ": " + e.getMessage());
            System.exit(2);
        }
        quietEngineLogging(options.out());
        // On Ctrl-C the run's finally blocks do not run: stop the SIPp processes this JVM started, and only those.
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
                ProcessHandle.current().children().forEach(ProcessHandle::destroy), "cti-load-stop-sipp"));
        try {
            RunReport report = new LoadHarness(options, commandLine(args)).run();
            System.out.println(ReportFiles.summary(report));
            System.exit(report.rate().failed() + report.rate().lost() == 0 && report.leaks().clean() ? 0 : 1);
        } catch (IOException | RuntimeException e) {
            System.err.println("cti-load: the run failed: " + e);
            e.printStackTrace();
            System.exit(2);
        }
    }

    /** Sends the engine's log (warnings and worse) to {@code engine.log}, unless slf4j-simple is set otherwise. */
    private static void quietEngineLogging(Path out) {
        setDefault("org.slf4j.simpleLogger.logFile", out.resolve("engine.log").toString());
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static String commandLine(String[] args) {
        List<String> words = new ArrayList<>(List.of("java"));
        words.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        String command = System.getProperty("sun.java.command", LoadHarness.class.getName());
        String main = command.split(" ", 2)[0];
        words.add(main.endsWith(".jar") ? "-jar " + main : "-cp " + System.getProperty("java.class.path") + " " + main);
        words.addAll(List.of(args));
        return String.join(" ", words);
    }

    /**
     * Runs every phase and writes the report files to {@code --out}.
     *
     * @return what was measured
     * @throws IOException if SIPp, a relay or the probe cannot be started, or the files cannot be written
     */
    public RunReport run() throws IOException {
        Path out = options.out();
        Files.createDirectories(out);
        MachineInfo machine = MachineInfo.current();
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        OwnThreads threads = new OwnThreads("cti-load");
        threads.adopt(Thread.currentThread());
        int warmup = options.warmup();
        int rateFirst = warmup;
        int steadyFirst = warmup + options.count();
        Timelines timelines = new Timelines(steadyFirst + options.steadyPairs());
        Counters counters = new Counters();
        int[] rtpPorts = options.rtpPortRange();
        GcLog gcLog = GcLog.start(out.resolve("gc.log"));
        ThreadMXBean threadMx = ManagementFactory.getThreadMXBean();
        Duration lifetime = options.idle().plus(options.rest()).plus(options.duration().multipliedBy(2))
                .plus(options.steadyTime())
                .plus(options.hold()).plusSeconds(180 + (long) (options.steadyPairs() / options.rate()));
        List<AutoCloseable> open = new ArrayList<>();
        try (GcMonitor gc = new GcMonitor()) {
            // opened first, so closed last: after the engines, once every event they commit is in
            FlightEvents flight = FlightEvents.start(2 * timelines.capacity() + 64, threads);
            open.add(flight);
            RtpProbe probe = new RtpProbe(timelines, threads, expectedProbeIntervals());
            open.add(probe);
            List<Engines.Plan> plans = Engines.plan(options);
            List<InetSocketAddress> engineSip = plans.stream().map(Engines.Plan::sipAddress).toList();
            List<SippFarEnd> sipps = new ArrayList<>();
            SipRelay relayA = relay("A", SippFarEnd.Kind.STREAM, engineSip, timelines, probe, threads, lifetime, sipps,
                    open);
            SipRelay relayB = options.mode() == LoadOptions.Mode.DUO ? relay("B", SippFarEnd.Kind.ECHO, engineSip,
                    timelines, probe, threads, lifetime, sipps, open) : null;
            SipRelay relayP = options.probeEvery() > 0 ? relay("P", SippFarEnd.Kind.PROBE, engineSip, timelines,
                    probe, threads, lifetime, sipps, open) : null;
            // the engines are closed before SIPp and the relays (they hang up what is left through them)
            Engines engines = Engines.start(options, plans, out);
            open.add(engines);
            Workload workload = new Workload(engines.application(), options, timelines, counters, relayA.address(),
                    relayB != null ? relayB.address() : null, relayP != null ? relayP.address() : null,
                    engines::indexOf, threads);
            open.add(workload);
            Sampler sampler = new Sampler(engines::liveResources, counters, threads, gc, sipps, rtpPorts, startNanos);
            open.add(sampler);
            sampler.start();
            MetricsScraper scraper = options.metrics()
                    ? new MetricsScraper(engines.metricsUris(), threads, startNanos, sampler::phase) : null;
            if (scraper != null) {
                open.add(scraper);
                scraper.start();
            }

            // idle: the sockets before any call
            sampler.phase("idle");
            int socketsBaseline = ProcStats.udpSocketsInRange(rtpPorts[0], rtpPorts[1]);
            sleep(options.idle());

            // warm-up: the JIT compiles the call paths; nothing before the end of its drain is counted
            if (warmup > 0) {
                sampler.phase("warmup");
                workload.launch(0, warmup, options.rate(), options.concurrency(), options.hold(), options.duration());
                workload.awaitReleased(options.hold().plusSeconds(45));
            }
            counters.late.set(0);
            long measuredFromNanos = System.nanoTime();
            long measuredFromUptime = ManagementFactory.getRuntimeMXBean().getUptime();
            flight.markMeasuredFrom();

            // rate
            sampler.phase("rate");
            List<CpuWindow> cpuWindows = new ArrayList<>();
            long rateUptime = uptime();
            ThreadCpu rateThreads = ThreadCpu.now();
            ThreadAllocation rateAllocated = ThreadAllocation.now(threads);
            long rateCpu = sampler.processCpuNanos();
            long launchStart = System.nanoTime();
            int launched = workload.launch(rateFirst, options.count(), options.rate(), options.concurrency(),
                    options.hold(), options.duration());
            long launchEnd = System.nanoTime();
            double launchSeconds = (launchEnd - launchStart) / 1e9;
            cpuWindows.add(new CpuWindow("rate phase, while launching", launchStart, launchEnd, rateUptime, uptime(),
                    100.0 * (sampler.processCpuNanos() - rateCpu) / (launchEnd - launchStart),
                    ThreadCpu.now().since(rateThreads, launchEnd - launchStart)));
            sampler.phase("rate-drain");
            workload.awaitReleased(options.hold().plusSeconds(45));
            int lateInRate = counters.late.get();

            // rest: the warm engine with no call, the baseline of the steady phase
            sampler.phase("rest");
            Duration half = options.rest().dividedBy(2);
            sleep(half);
            MeasuredWindow rest = MeasuredWindow.open(sampler, threads);
            sleep(options.rest().minus(half));
            rest.close(sampler, threads);
            // after the rest: the SIP stack's timers of the rate phase's last calls (up to 32 s) have run by then
            ThreadAllocation restAllocated = ThreadAllocation.now(threads);
            double heapBaseline = heapAfterFullGc();
            int threadsBaseline = threadMx.getThreadCount();

            RunReport.SteadyFigures steady = null;
            int steadyLaunched = 0;
            long[] peak = null;
            if (options.steadyPairs() > 0) {
                sampler.phase("steady-ramp");
                int releasedBefore = counters.released.get();
                steadyLaunched = workload.launch(steadyFirst, options.steadyPairs(), options.rate(),
                        options.steadyPairs(), Duration.ZERO,
                        Duration.ofSeconds(60 + (long) (options.steadyPairs() / options.rate())));
                int expected = steadyLaunched;
                awaitCondition(() -> counters.bridgedNow.get() + counters.released.get() - releasedBefore >= expected,
                        Duration.ofSeconds(30));
                sleep(Duration.ofSeconds(2)); // let the last set-ups' work finish before the window
                sampler.phase("steady");
                int bridgedAtStart = counters.bridgedNow.get();
                long steadyUptime = uptime();
                ThreadCpu steadyThreads = ThreadCpu.now();
                MeasuredWindow window = MeasuredWindow.open(sampler, threads);
                sleep(options.steadyTime());
                window.close(sampler, threads);
                cpuWindows.add(new CpuWindow("steady window, " + counters.bridgedNow.get() + " pairs",
                        window.startNanos, window.endNanos, steadyUptime, uptime(),
                        window.processCpu(),
                        ThreadCpu.now().since(steadyThreads, window.endNanos - window.startNanos)));
                int bridgedAtEnd = counters.bridgedNow.get();
                peak = new long[] {window.startNanos, window.endNanos};
                double heapPlateau = heapAfterFullGc();
                sampler.phase("steady-drain");
                workload.releaseHeld(steadyFirst, steadyFirst + steadyLaunched);
                workload.awaitReleased(Duration.ofSeconds(45));
                steady = new RunReport.SteadyFigures(options.steadyPairs(), bridgedAtStart, bridgedAtEnd,
                        window.seconds(), window.engineCpu(), rest.engineCpu(), window.processCpu(),
                        window.harnessCpu(), window.sippCpu(), window.machineCpu(), heapBaseline, heapPlateau, null);
            }

            // check: nothing left behind
            sampler.phase("check");
            awaitCondition(() -> engines.liveResources() == 0
                    && ProcStats.udpSocketsInRange(rtpPorts[0], rtpPorts[1]) <= socketsBaseline
                    && threadMx.getThreadCount() <= threadsBaseline, Duration.ofSeconds(10));
            RunReport.LeakFigures leaks = new RunReport.LeakFigures(engines.liveResources(), socketsBaseline,
                    ProcStats.udpSocketsInRange(rtpPorts[0], rtpPorts[1]), threadsBaseline,
                    threadMx.getThreadCount());
            RunReport.MetricsFigures metrics = scraper != null ? finalMetrics(scraper, engines, counters) : null;
            long unrouted = relayA.unrouted() + (relayB != null ? relayB.unrouted() : 0)
                    + (relayP != null ? relayP.unrouted() : 0);
            sleep(Duration.ofMillis(1100)); // one more sample of the quiet engine
            closeAll(open);
            boolean flightComplete = flight.drainAndClose(); // closed already: says whether it caught up
            double seconds = (System.nanoTime() - startNanos) / 1e9;

            RtpProbe.Result rtp = probe.result();
            List<Sample> samples = sampler.samples();
            RunReport.RateFigures rate = Analysis.rate(timelines, rateFirst, launched, lateInRate, options.rate(),
                    launchSeconds, samples);
            if (peak == null) {
                peak = Analysis.peakWindow(samples, startNanos);
            }
            Percentiles atPeak = Analysis.deviationsBetween(rtp, Math.max(peak[0], measuredFromNanos), peak[1]);
            if (steady != null) {
                steady = new RunReport.SteadyFigures(steady.pairs(), steady.bridgedAtStart(), steady.bridgedAtEnd(),
                        steady.windowSeconds(), steady.engineCpu(), steady.idleEngineCpu(), steady.processCpu(),
                        steady.harnessCpu(), steady.sippCpu(), steady.machineCpu(), steady.heapBaselineMb(),
                        steady.heapPlateauMb(), atPeak);
            }
            RunReport.RtpFigures rtpFigures = new RunReport.RtpFigures(rtp.flows(), rtp.received(), rtp.expected(),
                    rtp.lost(), rtp.audioFrames(), rtp.silentAfterAudio(),
                    Analysis.deviationsBetween(rtp, measuredFromNanos, Long.MAX_VALUE), atPeak,
                    steady != null ? "steady phase, " + steady.bridgedAtEnd() + " pairs"
                            : "seconds with ≥ 90 % of the most pairs");
            RunReport.GcFigures gcFigures = Analysis.gc(gcLog, gc, measuredFromUptime, measuredFromNanos);
            RunReport.AllocationFigures allocation = ThreadAllocation.between(rateAllocated, restAllocated,
                    "rate phase, drain and rest", rate.admitted() * (options.mode() == LoadOptions.Mode.DUO ? 2 : 1));
            List<RunReport.CpuBreakdown> cpu = new ArrayList<>();
            for (CpuWindow w : cpuWindows) {
                double wall = w.endNanos - w.startNanos;
                cpu.add(new RunReport.CpuBreakdown(w.name, wall / 1e9, w.processCpu, w.threads,
                        100.0 * gcLog.cpuSeconds(w.startUptime, w.endUptime) * 1e9 / wall));
            }
            List<String> notes = new ArrayList<>(Analysis.notes(rate, steady, gcFigures, counters.failures(), samples,
                    machine, out));
            if (unrouted > 0) {
                notes.add(unrouted + " SIP responses named none of the engines in their top Via; the relays sent them"
                        + " to the first engine.");
            }
            if (metrics != null) {
                notes.addAll(metricsNotes(metrics));
            }
            RunReport.FlightFigures flightFigures = flight.figures();
            notes.addAll(flightNotes(flight, flightFigures, flightComplete));
            List<Double> legsStarted = metrics == null || metrics.samples().isEmpty() ? null
                    : metrics.samples().get(metrics.samples().size() - 1).perEngine().stream()
                            .map(columns -> columns.getOrDefault(PrometheusText.LEGS_STARTED, 0.0)).toList();
            RunReport report = new RunReport(machine, commandLine, options, started, seconds, rate, steady,
                    Analysis.latencies(timelines, rateFirst).withEngineSide(flightFigures), rtpFigures, gcFigures,
                    allocation, leaks, counters.failures(), counters.refusals(), samples,
                    Analysis.timing(timelines, rtp, startNanos, (int) Math.ceil(seconds), measuredFromNanos), cpu,
                    notes, Analysis.engines(timelines, plans, rateFirst, rateFirst + launched, legsStarted), metrics);
            ReportFiles.write(report, out);
            return report;
        } finally {
            closeAll(open);
        }
    }

    /**
     * Scrapes the engines until the CDRs have caught up with the releases (every leg started has ended, nothing is
     * live) or 10 s have passed, and sets the last scrape against the harness's counts.
     */
    private RunReport.MetricsFigures finalMetrics(MetricsScraper scraper, Engines engines, Counters counters) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        MetricsSample last = null;
        while (true) {
            try {
                last = scraper.scrape();
            } catch (IOException e) {
                // tried again until the deadline
            }
            if ((last != null && MetricsCheck.settled(last)) || System.nanoTime() - deadline >= 0) {
                break;
            }
            LockSupport.parkNanos(200_000_000L);
        }
        List<MetricsSample> samples = new ArrayList<>(scraper.samples());
        if (last == null) {
            return new RunReport.MetricsFigures(List.of(), samples, scraper.failures(), false);
        }
        samples.add(last);
        MetricsCheck.HarnessCounts harness = new MetricsCheck.HarnessCounts(
                options.mode() == LoadOptions.Mode.DUO ? 2 : 1, counters.launched.get(), counters.refused.get(),
                counters.connected.get(), counters.failed.get(), engines.live(Call.class),
                engines.live(DuoCallback.class));
        return new RunReport.MetricsFigures(MetricsCheck.rows(last, harness), samples, scraper.failures(),
                MetricsCheck.settled(last));
    }

    private static List<String> metricsNotes(RunReport.MetricsFigures metrics) {
        List<String> notes = new ArrayList<>();
        if (metrics.rows().isEmpty()) {
            notes.add("/metrics could not be scraped after the run: no totals to compare.");
        } else if (!metrics.agree()) {
            notes.add("/metrics disagrees with the harness's counts (see \"/metrics against the harness\")"
                    + (metrics.settled() ? "." : ": the engines' CDRs had not caught up within 10 s."));
        }
        if (metrics.failedScrapes() > 0) {
            notes.add(metrics.failedScrapes() + " once-a-second scrapes of /metrics failed (left out of"
                    + " metrics.csv).");
        }
        return notes;
    }

    private static List<String> flightNotes(FlightEvents flight, RunReport.FlightFigures figures, boolean complete) {
        List<String> notes = new ArrayList<>();
        if (flight.unavailable() != null) {
            notes.add("The JVM could not record Flight Recorder events (" + flight.unavailable() + "): no"
                    + " engine-side bridge figures.");
            return notes;
        }
        if (!complete) {
            notes.add("The Flight Recorder stream did not catch up within its deadline after the run: the"
                    + " engine-side bridge figures may miss the last events.");
        }
        if (figures.unmatched() > 0) {
            notes.add(figures.unmatched() + " first relayed packets (Flight Recorder) had no answer before them on"
                    + " either port: left out of the engine-side bridge figures.");
        }
        if (figures.dropped() > 0) {
            notes.add(figures.dropped() + " Flight Recorder events were not kept (beyond the room sized for the"
                    + " run, or fields not as expected).");
        }
        return notes;
    }

    private SipRelay relay(String name, SippFarEnd.Kind kind, List<InetSocketAddress> engineSip, Timelines timelines,
            RtpProbe probe, OwnThreads threads, Duration lifetime, List<SippFarEnd> sipps, List<AutoCloseable> open)
            throws IOException {
        SippFarEnd sipp = SippFarEnd.start(name, kind, options.sipp(), options.out(), probe.port(), lifetime);
        sipps.add(sipp);
        open.add(sipp);
        boolean probed = kind == SippFarEnd.Kind.PROBE;
        SipRelay relay = new SipRelay(name, sipp.address(), engineSip, new SipRelay.Observer() {
            @Override
            public void onInvite(String user, long nanos, int sdpPort) {
                int id = SipText.callId(user);
                Timelines.first(user != null && user.startsWith("p2-") ? timelines.invite2 : timelines.invite1, id,
                        nanos);
                if (probed && id >= 0 && sdpPort > 0) {
                    probe.expect(sdpPort, id);
                }
            }

            @Override
            public void onInviteOk(String user, long nanos) {
                Timelines.first(user != null && user.startsWith("p2-") ? timelines.ok2 : timelines.ok1,
                        SipText.callId(user), nanos);
            }
        }, threads);
        open.add(relay);
        return relay;
    }

    /** Returns about 1.25 times the intervals the probe will see: 50 a second for each probe call's life. */
    private int expectedProbeIntervals() {
        if (options.probeEvery() == 0) {
            return 16;
        }
        double calls = (double) (options.warmup() + options.count()) / options.probeEvery();
        double pairs = (double) options.steadyPairs() / options.probeEvery();
        double seconds = calls * (options.hold().toMillis() / 1000.0 + 3)
                + pairs * (options.steadyTime().toSeconds() + options.steadyPairs() / options.rate() + 15);
        return (int) Math.min(50_000_000, 65_536 + 1.25 * 50 * seconds);
    }

    /** Where a window's CPU went, as read at its ends. */
    private record CpuWindow(String name, long startNanos, long endNanos, long startUptime, long endUptime,
            double processCpu, java.util.Map<String, Double> threads) {
    }

    private static long uptime() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }

    /** Returns the heap in use after a full collection, in MB (the collection is left out of the pause figures). */
    private static double heapAfterFullGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(50_000_000L);
        }
    }

    /** Waits out a measurement window (a window of fixed length, not a wait for something to happen). */
    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Closes in reverse order of opening, going on past failures; safe to call twice (everything closed is
     * forgotten).
     */
    static void closeAll(List<AutoCloseable> open) {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                // go on closing the rest
            }
        }
        open.clear();
    }
}
