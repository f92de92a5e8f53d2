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
                    90, 100 + i, 80, 1, 2, 40, 0, 4 * i));
        }
        List<RunReport.TimingSample> timing = List.of(new RunReport.TimingSample(1, 1.5, 2.5, Double.NaN, Double.NaN),
                new RunReport.TimingSample(2, 4.25, 3.5, 0.75, 1.25));
        return new RunReport(machine, "java -jar cti-load.jar --rate 250", LoadOptions.parse("--rate", "250"),
                Instant.parse("2026-11-21T10:00:00Z"), 61.5,
                new RunReport.RateFigures(1000, 998, 2, 0, 0, 250, 243.21, 251, 4.0), steady,
                new RunReport.Latencies(new Percentiles(1000, 0.8, 4.56, 9.87), Percentiles.EMPTY,
                        new Percentiles(998, 1.1, 3.3, 8.8), new Percentiles(998, 1.2, 3.4, 8.9),
                        new Percentiles(100, 41.0, 58.76, 61.0), new Percentiles(998, 12, 30, 40),
                        new Percentiles(998, 12.5, 31, 41)),
                new RunReport.RtpFigures(20, 9990, 10000, 10, 9000, 90, new Percentiles(5000, 0.4, 1.9, 7.0),
                        new Percentiles(4000, 0.41, 1.77, 6.5), "steady phase, 200 pairs"),
                new RunReport.GcFigures("the JVM's GC log, µs resolution", 12, new Percentiles(12, 1.5, 12.34, 12.34),
                        4),
                new RunReport.LeakFigures(0, 0, 0, 40, 40), Map.of("party 2: 486 Busy Here", 2L), samples, timing,
                List.of(new RunReport.CpuBreakdown("rate phase, while launching", 4, 150,
                        new java.util.LinkedHashMap<>(Map.of("cti4j-sip-N", 60.5, "cti-media-worker-N", 30.0)), 40.25)),
                List.of("The machine was saturated in the rate phase <really>."));
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
                .contains("| … the rest: the JIT compiler and the VM's other threads | 19.3 |");
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
        assertThat(sample.csv()).startsWith("3,rate,20,247.5,5,0,4,2,40,2,38,30,90,102,80,1,2,40,0,8");
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
