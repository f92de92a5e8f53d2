package org.cti4j.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The Markdown report, the SVG chart and the CSV show the numbers they are given, in well-formed output. */
class ReportWritersTest {

    static RunReport report(RunReport.SteadyFigures steady) {
        MachineInfo machine = new MachineInfo(2, "AMD EPYC Test", 24L << 30, "Linux 6 amd64", "OpenJDK 17",
                List.of("-Xmx512m", "-XX:+UseZGC"), "ZGC Cycles, ZGC Pauses", 512, 0.25);
        List<Sample> samples = new ArrayList<>();
        String[] phases = {"idle", "rate", "rate", "rate-drain", "rest", "steady", "steady", "check"};
        for (int i = 0; i < phases.length; i++) {
            samples.add(new Sample(i + 1, phases[i], 10 * i, i == 2 ? 247.5 : 3, 5, 0, 2 * i, i, 40, 2, 38, 30,
                    90, 100 + i, 80, 1, 2, 40, 0, 4 * i, i == 2 ? 12.5 : 0));
        }
        List<RunReport.TimingSample> timing = List.of(new RunReport.TimingSample(1, 1.5, 2.5, Double.NaN, Double.NaN),
                new RunReport.TimingSample(2, 4.25, 3.5, 0.75, 1.25));
        return new RunReport(machine, "java -jar cti-load.jar --rate 250", LoadOptions.parse("--rate", "250"),
                Instant.parse("2026-11-21T10:00:00Z"), 61.5,
                new RunReport.RateFigures(1000, 998, 2, 0, 0, 0, 250, 243.21, 251, 4.0), steady,
                new RunReport.Latencies(new Percentiles(1000, 0.8, 4.56, 9.87), Percentiles.EMPTY,
                        new Percentiles(998, 1.1, 3.3, 8.8), new Percentiles(998, 1.2, 3.4, 8.9),
                        new Percentiles(100, 41.0, 58.76, 61.0), new Percentiles(998, 12, 30, 40),
                        new Percentiles(998, 12.5, 31, 41)),
                new RunReport.RtpFigures(20, 9990, 10000, 10, 9000, 90, new Percentiles(5000, 0.4, 1.9, 7.0),
                        new Percentiles(4000, 0.41, 1.77, 6.5), "steady phase, 200 pairs"),
                new RunReport.GcFigures("the JVM's GC log, µs resolution", 12, new Percentiles(12, 1.5, 12.34, 12.34),
                        4),
                new RunReport.AllocationFigures("rate phase, drain and rest", 1996, 1996L * 100 * 1024,
                        1996L * 12 * 1024, new java.util.LinkedHashMap<>(Map.of("cti4j-sip-N", 1996L * 99 * 1024,
                                "cti-media-worker-N", 1996L * 512))),
                new RunReport.LeakFigures(0, 0, 0, 40, 40), Map.of("party 2: 486 Busy Here", 2L), Map.of(), samples,
                timing,
                List.of(new RunReport.CpuBreakdown("rate phase, while launching", 4, 150,
                        new java.util.LinkedHashMap<>(Map.of("cti4j-sip-N", 60.5, "cti-media-worker-N", 30.0)), 40.25)),
                List.of("The machine was saturated in the rate phase <really>."),
                List.of(new RunReport.EngineShare("1.0.7", 5070, "30000-32767", 1200, 1198, 2, 1000, 998, Double.NaN)),
                null);
    }

    static RunReport.SteadyFigures steady() {
        return new RunReport.SteadyFigures(200, 200, 199, 40, 30.5, 2.5, 34, 3.5, 40, 150, 50, 58, Percentiles.EMPTY);
    }

    @Test
    void theMarkdownReportShowsEveryFigureNextToItsTarget() {
        String md = MarkdownReport.write(report(steady()));
        assertThat(md).startsWith("# cti4j load report")
                .contains("| cores | 2 |", "AMD EPYC Test", "`-Xmx512m -XX:+UseZGC`")
                .contains("java -jar cti-load.jar --rate 250")
                .contains("| `--rate` | `250` |")
                .contains("243.2/s (offered 250/s), 2 failed", "missed: 2 failed; missed by 156.79/s (39.2 % short)")
                .contains("0.141 % (30.5 % at 199 pairs, idle 2.5 %)", "missed by 0.061 %")
                .contains("p50 12.5 / p99 31 / max 41 ms (998)", "no target embedded (run with --via rpc)")
                .contains("41.2 KB (58 MB vs 50 MB with no call)")
                .contains("0.1 % (10 of 10000, 20 streams)", "p99 1.77", "max 12.34 ms", "p99 4.56")
                .contains("p50 41 / p99 58.76 / max 61 ms (100)", "missed by 38.76 ms")
                .contains("2 × `party 2: 486 Busy Here`", "The machine was saturated in the rate phase <really>.")
                .contains("~75/s", "## How each figure is measured", "**Leaks**: none")
                .contains("90 packets to party 2 were silence instead of it, 9000 carried it (0.99 % gaps")
                .contains("| `cti4j-sip-N` | 60.5 |", "| the JVM outside Java threads | 59.5 |")
                .contains("| … of which the garbage collector (GC log: user + sys) | 40.3 |")
                .contains("| … the rest: the JIT compiler and the VM's other threads | 19.3 |")
                .contains("100 KB (1996 legs, rate phase, drain and rest; whole process 112 KB)",
                        "missed by 80 KB (5× ")
                .contains("**Allocation** (rate phase, drain and rest, 1996 legs; KB per leg): engine's threads 100, "
                        + "of which `cti4j-sip-N` 99, other threads 0.5; the harness's threads 12.");
        for (String line : md.split("\n", 0)) {
            if (line.startsWith("|")) {
                assertThat(line).as("a table row ends with a cell border").endsWith("|");
            }
        }
    }

    @Test
    void withoutASteadyPhaseThePerPairFiguresAreNotMeasured() {
        String md = MarkdownReport.write(report(null));
        assertThat(md).contains("not measured (--steady-pairs 0)");
    }

    @Test
    void theChartIsWellFormedSvgWithAPanelPerFigure() throws Exception {
        String svg = SvgChart.write(report(steady()));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(svg).contains("Calls per second", "Concurrent", "CPU, % of one core", "Heap, MB",
                "Latency p99 per second, ms", "RTP send-interval deviation, ms")
                .contains("bridged/s (max 247.5)", "construct → INVITE (max 4.3)", "steady", "rate-drain")
                .doesNotContain("NaN");
        assertThat(doc.getElementsByTagName("polyline").getLength()).isGreaterThanOrEqualTo(12);
    }

    @Test
    void theChartScalesToRoundNumbers() {
        assertThat(SvgChart.niceCeiling(0)).isEqualTo(1);
        assertThat(SvgChart.niceCeiling(247.5)).isEqualTo(250);
        assertThat(SvgChart.niceCeiling(0.7)).isEqualTo(1);
        assertThat(SvgChart.niceCeiling(101)).isEqualTo(200);
    }

    @Test
    void samplesBecomeCsvLinesMatchingTheHeader() {
        Sample sample = report(null).samples().get(2);
        assertThat(sample.csv().split(",")).hasSameSizeAs(Sample.CSV_HEADER.split(","));
        assertThat(sample.csv()).isEqualTo("3,rate,20,247.5,5,0,4,2,40,2,38,30,90,102,80,1,2,40,0,8,12.5");
    }

    /** A run of two engines through the cluster client, with refusals and /metrics. */
    static RunReport clusterReport() {
        RunReport r = report(null);
        LoadOptions options = LoadOptions.parse("--via", "cluster", "--engines", "2", "--metrics", "--rate", "200",
                "--property", "engine.max-calls-per-second=50");
        RunReport.RateFigures rate = new RunReport.RateFigures(1000, 500, 0, 0, 500, 0, 200, 99.5, 101, 5.0);
        Map<String, Double> early = new java.util.TreeMap<>(Map.of(PrometheusText.LEGS_STARTED, 40.0,
                PrometheusText.CALLS_LIVE, 12.0, "cti4j_rpc_sessions", 2.0));
        Map<String, Double> end = new java.util.TreeMap<>(Map.of(PrometheusText.LEGS_STARTED, 1200.0,
                PrometheusText.LEGS_ANSWERED, 1200.0, PrometheusText.LEGS_ENDED, 1199.0,
                PrometheusText.LEGS_ENDED_ANSWERED, 1199.0, PrometheusText.LEGS_ENDED_UNANSWERED, 0.0,
                PrometheusText.CALLS_LIVE, 0.0, PrometheusText.DUO_CALLBACKS_LIVE, 0.0, "cti4j_rpc_sessions", 2.0));
        List<MetricsSample> samples = List.of(
                new MetricsSample(1, "warmup", List.of(early, early), early),
                new MetricsSample(2, "rate", List.of(early, early), early),
                new MetricsSample(9.5, "check", List.of(Map.of(PrometheusText.LEGS_STARTED, 602.0),
                        Map.of(PrometheusText.LEGS_STARTED, 598.0)), end));
        MetricsCheck.HarnessCounts harness = new MetricsCheck.HarnessCounts(2, 1100, 500, 600, 0, 0, 0);
        RunReport.MetricsFigures metrics = new RunReport.MetricsFigures(MetricsCheck.rows(samples.get(2), harness),
                samples, 1, true);
        return new RunReport(r.machine(), r.commandLine(), options, r.started(), r.seconds(), rate, null,
                r.latency(), r.rtp(), r.gc(), r.allocation(), r.leaks(), Map.of(),
                Map.of("no engine of the cluster can take a new ext.duo_callback: N.N.N: engine N.N.N is at its"
                        + " limit", 500L), r.samples(), r.timing(), r.cpu(), r.notes(),
                List.of(new RunReport.EngineShare("1.0.7", 5070, "30000-31383", 301, 301, 0, 250, 250, 602),
                        new RunReport.EngineShare("1.0.8", 5072, "31384-32767", 299, 299, 0, 250, 250, 598)),
                metrics);
    }

    @Test
    void aClusterRunShowsTheEnginesTheRefusalsAndMetricsAgainstTheHarness() throws Exception {
        RunReport r = clusterReport();
        String md = MarkdownReport.write(r);
        assertThat(md).contains("through a `ClusterCtiEngine` over 2 engines")
                .contains("99.5/s (offered 200/s, admitted 100/s), 0 failed, 500 refused (not failures)")
                .contains("**Admission** (rate phase): offered 1000 at 200/s; admitted 500 (100/s over the launch);"
                        + " refused 500 (50 %)", "set up per second of the admitted: 99.5/s")
                .contains("Limits: `engine.max-calls-per-second=50`, each engine's own.")
                .contains("500 × `no engine of the cluster can take a new ext.duo_callback")
                .contains("## Engines", "2 engines ran", "| 1.0.7 | 5070 | 30000-31383 | 301 | 301 | 0 | 250 | 250 |"
                        + " 50 % | 602 |")
                .contains("## /metrics against the harness", "(3 scrapes, 1 failed)")
                .contains("once every leg started had ended")
                .contains("| legs started (`cti4j_legs_started_total`) | 1200 | 1200 | 2 × 600 duo callbacks admitted"
                        + " (1100 offered, 500 refused) | agrees |")
                .contains("| 1199 | 1200 | every leg started has ended", "differs by -1 |")
                .contains("| rate | 2 | 40 | 0 | 0 | 0 | 12 | 0 |", "| check | 10 | 1200 | 1200 | 1199 | 0 | 0 | 0 |")
                .contains("The other `cti4j_` series at the end, summed over the engines: `cti4j_rpc_sessions` 2.")
                .contains("`metrics.csv`");
        for (String line : md.split("\n", 0)) {
            if (line.startsWith("|")) {
                assertThat(line).as("a table row ends with a cell border").endsWith("|");
            }
        }
        String svg = SvgChart.write(r);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(svg).contains("/metrics of the 2 engines, summed", "legs started/s (max 154.7)", "refused/s")
                .doesNotContain("NaN");
        assertThat(ReportFiles.metricsCsv(r.metrics().samples()).split("\n", -1))
                .startsWith("seconds,phase,cti4j_legs_started_total,cti4j_legs_answered_total,cti4j_legs_ended_total,"
                        + "cti4j_legs_ended_total{answered=true},cti4j_legs_ended_total{answered=false},"
                        + "cti4j_calls_live,cti4j_duo_callbacks_live,cti4j_rpc_sessions",
                        "1,warmup,40,,,,,12,,2");
    }

    @Test
    void metricsAgreeWithinWhatFailedCallsAllow() {
        Map<String, Double> end = Map.of(PrometheusText.LEGS_STARTED, 19.0, PrometheusText.LEGS_ANSWERED, 18.0,
                PrometheusText.LEGS_ENDED, 19.0, PrometheusText.LEGS_ENDED_UNANSWERED, 1.0);
        MetricsSample last = new MetricsSample(5, "check", List.of(end), end);
        List<RunReport.MetricsRow> rows = MetricsCheck.rows(last,
                new MetricsCheck.HarnessCounts(2, 12, 2, 9, 1, 0, 0));
        assertThat(rows).extracting(RunReport.MetricsRow::agreement).containsOnly("agrees");
        assertThat(rows.get(0).low()).as("9 admitted succeeded: 18 legs at least").isEqualTo(18);
        assertThat(rows.get(0).high()).isEqualTo(20);
        assertThat(MetricsCheck.settled(last)).isTrue();
        List<RunReport.MetricsRow> wrong = MetricsCheck.rows(last, new MetricsCheck.HarnessCounts(2, 12, 0, 10, 0, 0,
                0));
        assertThat(wrong.get(0).agreement()).isEqualTo("differs by -5");
        assertThat(wrong.get(3).agreement()).isEqualTo("differs by +1");
        Map<String, Double> pending = Map.of(PrometheusText.LEGS_STARTED, 4.0, PrometheusText.LEGS_ENDED, 3.0);
        assertThat(MetricsCheck.settled(new MetricsSample(1, "check", List.of(pending), pending))).isFalse();
    }

    /** Returns {@code r} with its latencies' engine-side figures replaced. */
    static RunReport withEngineSide(RunReport r, RunReport.FlightFigures engineSide) {
        return new RunReport(r.machine(), r.commandLine(), r.options(), r.started(), r.seconds(), r.rate(),
                r.steady(), r.latency().withEngineSide(engineSide), r.rtp(), r.gc(), r.allocation(), r.leaks(),
                r.failures(), r.refusals(), r.samples(), r.timing(), r.cpu(), r.notes(), r.engines(), r.metrics());
    }

    @Test
    void theEngineSideBridgeFiguresAreShownWithTheirTarget() {
        RunReport.FlightFigures flight = new RunReport.FlightFigures(2000, 1996, 1, 200, 0,
                new RunReport.BridgeDelays(new Percentiles(898, 9.5, 19.25, 20.5),
                        new Percentiles(898, 0.1, 2.1, 2.6), new Percentiles(898, 0.12, 2.5, 3)),
                new RunReport.BridgeDelays(new Percentiles(897, 10.5, 21, 22), new Percentiles(897, 0.1, 0.5, 0.9),
                        new Percentiles(897, 0.15, 0.9, 1.2)));
        flight = flight.withClock(RunReport.MediaClock.of(new long[] {200_000, 400_000, 1_500_000, 25_000_000},
                new Percentiles(4, 0.3, 0.8, 0.9)));
        String md = MarkdownReport.write(withEngineSide(report(null), flight));
        assertThat(md)
                .contains("| 200 OK of party 2 → first bridged packet, p99, engine side (party 2 hears party 1) |"
                        + " ≤ 2 ms | engine's own delay p50 0.12 / p99 2.5 / max 3 ms (898); from the 200 OK p50 9.5"
                        + " / p99 19.25 / max 20.5 ms (898) | missed by 0.5 ms (1.25× the target) |")
                .contains("| party 2's 200 OK in the engine → first packet relayed to party 2 (engine side) | 898 | 9.5"
                        + " | 19.25 | 20.5 |")
                .contains("| … of which the 200 OK → the relay to party 2 armed | 898 | 0.1 | 2.1 | 2.6 |")
                .contains("| … the engine's own delay: armed, then party 2's payload in the engine until sent to"
                        + " party 1 | 897 | 0.15 | 0.9 | 1.2 |")
                .contains("2000 answers and 1996 first relayed packets seen over the whole run; 200 of those packets"
                        + " belong to bridges answered before the measured window, 1 had no answer before them")
                .contains("**Engine side** (issue #17)")
                .contains("**Media clock** (Flight Recorder, `org.cti4j.media.Tick`, after the warm-up): 4 ticks of"
                        + " the media threads' 20 ms clock began late by p50 ")
                .contains("(< 1 ms: 50 %, 1-2 ms: 25 %, 2-5 ms: 0 %, 5-10 ms: 0 %, 10-20 ms: 0 %, ≥ 20 ms: 25 %)")
                .contains("a tick's work took p50 0.3 / p99 0.8 / max 0.9 ms")
                .doesNotContain("no flight events");
        for (String line : md.split("\n", 0)) {
            if (line.startsWith("|")) {
                assertThat(line).as("a table row ends with a cell border").endsWith("|");
            }
        }
        RunReport.FlightFigures met = new RunReport.FlightFigures(2, 2, 0, 0, 0,
                new RunReport.BridgeDelays(new Percentiles(1, 9, 9, 9), new Percentiles(1, 0.1, 0.1, 0.1),
                        new Percentiles(1, 0.25, 0.25, 0.25)),
                RunReport.BridgeDelays.EMPTY);
        assertThat(Targets.rows(withEngineSide(report(null), met))).last().satisfies(row -> {
            assertThat(row.figure()).startsWith("200 OK of party 2 → first bridged packet");
            assertThat(row.verdict()).isEqualTo("met");
        });
    }

    @Test
    void withoutFlightEventsTheEngineSideFiguresAreNotMeasured() {
        RunReport r = report(null);
        assertThat(r.latency().engineSide()).isEqualTo(RunReport.FlightFigures.NONE);
        String md = MarkdownReport.write(r);
        assertThat(md).contains("| 200 OK of party 2 → first bridged packet, p99, engine side (party 2 hears party 1)"
                + " | ≤ 2 ms | not measured (no flight events) | not measured |")
                .contains("**Engine side** (Flight Recorder): not measured (no flight events).")
                .contains("**Media clock** (Flight Recorder, `org.cti4j.media.Tick`, after the warm-up): not measured")
                .doesNotContain("in the engine → first packet relayed");
        assertThat(ReportFiles.summary(r)).contains("not measured (no flight events)");
    }

    @Test
    void targetsSayByHowMuchTheyAreMissed() {
        assertThat(Targets.atLeast(300, 250, "/s")).isEqualTo("met");
        assertThat(Targets.atLeast(75, 250, "/s")).isEqualTo("missed by 175/s (70 % short)");
        assertThat(Targets.atMost(4, 2, " ms")).isEqualTo("missed by 2 ms (2× the target)");
        assertThat(Targets.below(1, 1, " %")).startsWith("missed");
        assertThat(Targets.atMost(Double.NaN, 2, " ms")).isEqualTo("not measured");
    }
}
