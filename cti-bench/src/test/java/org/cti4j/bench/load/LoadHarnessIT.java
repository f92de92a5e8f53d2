package org.cti4j.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Short runs of the whole harness against real SIPp phones: 20 duo callbacks at 5/s, each held 1 s, then a small
 * steady phase; and 16 through a cluster of two engines with {@code /metrics}, each engine admitting two a second.
 * Asserts behaviour only (no failure, nothing left behind, the work spread, refusals counted as such, the scraped
 * totals agreeing with the harness, the report written with its figures); the figures themselves are the harness's
 * business, not this test's.
 */
class LoadHarnessIT {

    private static final Path SIPP = Path.of("/usr/bin/sipp");

    @Test
    @Timeout(120)
    void twentyDuoCallbacksAllSucceedLeaveNothingBehindAndAreReported(@TempDir Path out) throws Exception {
        assumeSipp();

        LoadOptions options = LoadOptions.parse("--mode", "duo", "--rate", "5", "--count", "20", "--hold", "1s",
                "--duration", "30s", "--warmup", "0", "--idle", "1s", "--rest", "2s", "--steady-pairs", "4",
                "--steady-time", "2s", "--probe-every", "2", "--out", out.toString());
        RunReport report = new LoadHarness(options, "LoadHarnessIT").run();

        assertThat(report.rate().launched()).isEqualTo(20);
        assertThat(report.rate().bridged()).isEqualTo(20);
        assertThat(report.rate().failed()).as("failures: %s", report.failures()).isZero();
        assertThat(report.rate().lost()).isZero();
        assertThat(report.failures()).isEmpty();
        assertThat(report.steady().bridgedAtEnd()).isEqualTo(4);
        assertThat(report.leaks().resourcesLeft()).isZero();
        assertThat(report.leaks().clean()).as("leaks: %s", report.leaks()).isTrue();
        assertThat(report.latency().constructToInvite().count()).as("every INVITE seen on the wire").isEqualTo(24);
        assertThat(report.latency().answeredToAudio().count()).as("party 1's audio reached each probed party 2")
                .isEqualTo(12);
        assertThat(report.rtp().received()).isPositive();
        assertThat(report.rtp().lost()).isZero();

        String md = Files.readString(out.resolve("report.md"));
        assertThat(md).contains("## Results against the targets", "## Machine", "## Command line")
                .contains("duo callbacks set up per second", "CPU per bridged pair", "heap per bridged pair",
                        "RTP loss", "RTP send-interval deviation", "GC pause", "construct → INVITE on the wire",
                        "party 2 answered → bridged audio")
                .contains(Format.number(report.rate().bridgeRate(), 1) + "/s (offered 5/s), 0 failed")
                .contains("p99 " + Format.number(report.latency().constructToInvite().p99(), 2))
                .contains("**Leaks**: none")
                .contains("200 OK of party 2 → first bridged packet, p99, engine side");
        // the engine commits its Flight Recorder events, and party 1 streams: every bridge relays to party 2
        RunReport.FlightFigures flight = report.latency().engineSide();
        assertThat(flight.measured()).as("flight events: %s", flight).isTrue();
        assertThat(flight.unmatched()).as("flight events: %s", flight).isZero();
        assertThat(flight.answeredHears().engineDelay().count()).as("flight events: %s", flight).isEqualTo(24);
        String svg = Files.readString(out.resolve("report.svg"));
        assertThat(svg).startsWith("<?xml").contains("<svg", "Calls per second", "</svg>");
        assertThat(Files.readAllLines(out.resolve("samples.csv"))).first().isEqualTo(Sample.CSV_HEADER);
        assertThat(Files.readAllLines(out.resolve("samples.csv")).size()).isGreaterThan(5);
        assertThat(report.engines()).singleElement().satisfies(e -> {
            assertThat(e.nodeId()).isEqualTo("1.0.7");
            assertThat(e.rateBridged()).isEqualTo(20);
        });
        assertThat(report.metrics()).isNull();
    }

    @Test
    @Timeout(120)
    void aClusterOfTwoEnginesSpreadsTheCallsCountsRefusalsAndItsMetricsAgree(@TempDir Path out) throws Exception {
        assumeSipp();

        LoadOptions options = LoadOptions.parse("--via", "cluster", "--engines", "2", "--metrics", "--rate", "8",
                "--count", "16", "--hold", "1s", "--duration", "30s", "--warmup", "0", "--idle", "1s", "--rest", "2s",
                "--steady-pairs", "0", "--probe-every", "4", "--property", "engine.max-calls-per-second=2",
                "--out", out.toString());
        RunReport report = new LoadHarness(options, "LoadHarnessIT").run();

        RunReport.RateFigures rate = report.rate();
        assertThat(rate.launched()).isEqualTo(16);
        assertThat(rate.refused()).as("16 offered in about 2 s to two engines taking 2 a second each").isPositive();
        assertThat(rate.failed()).as("failures: %s", report.failures()).isZero();
        assertThat(rate.lost()).isZero();
        assertThat(rate.bridged()).isEqualTo(rate.admitted());
        assertThat(report.refusals()).isNotEmpty().allSatisfy((why, count) ->
                assertThat(why).startsWith("no engine of the cluster can take a new ext.duo_callback"));
        assertThat(report.engines()).extracting(RunReport.EngineShare::nodeId).containsExactly("1.0.7", "1.0.8");
        assertThat(report.engines()).allSatisfy(e -> {
            assertThat(e.rateBridged()).as("each engine took some").isPositive();
            assertThat(e.legsStarted()).as("its /metrics counted them").isEqualTo(2.0 * e.admitted());
        });
        assertThat(report.engines().stream().mapToInt(RunReport.EngineShare::rateBridged).sum())
                .isEqualTo(rate.bridged());
        assertThat(report.leaks().clean()).as("leaks: %s", report.leaks()).isTrue();

        RunReport.MetricsFigures metrics = report.metrics();
        assertThat(metrics.settled()).isTrue();
        assertThat(metrics.rows()).isNotEmpty().allSatisfy(row -> assertThat(row.agrees())
                .as("%s: %s scraped, %s–%s counted", row.figure(), row.scraped(), row.low(), row.high()).isTrue());
        assertThat(metrics.rows().get(0).scraped()).isEqualTo(2.0 * rate.admitted());

        String md = Files.readString(out.resolve("report.md"));
        assertThat(md).contains("## Engines", "| 1.0.7 |", "| 1.0.8 |", "## /metrics against the harness",
                "**Admission** (rate phase): offered 16", "refused (not failures)", "agrees |")
                .doesNotContain("differs by");
        assertThat(Files.readAllLines(out.resolve("metrics.csv"))).first().asString()
                .startsWith("seconds,phase,cti4j_legs_started_total,");
    }

    private static void assumeSipp() {
        boolean installed = Files.isExecutable(SIPP);
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("SIPp is required on CI: apt-get install sip-tester");
        }
        assumeTrue(installed, "SIPp is not installed (apt-get install sip-tester): skipping the load harness run");
    }
}
