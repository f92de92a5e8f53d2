package org.cti4j.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short run of the whole harness against real SIPp phones: 20 duo callbacks at 5/s, each held 1 s, then a small
 * steady phase. Asserts behaviour only (no failure, nothing left behind, the report written with its figures); the
 * figures themselves are the harness's business, not this test's.
 */
class LoadHarnessIT {

    private static final Path SIPP = Path.of("/usr/bin/sipp");

    @Test
    @Timeout(120)
    void twentyDuoCallbacksAllSucceedLeaveNothingBehindAndAreReported(@TempDir Path out) throws Exception {
        boolean installed = Files.isExecutable(SIPP);
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("SIPp is required on CI: apt-get install sip-tester");
        }
        assumeTrue(installed, "SIPp is not installed (apt-get install sip-tester): skipping the load harness run");

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
                .contains("**Leaks**: none");
        String svg = Files.readString(out.resolve("report.svg"));
        assertThat(svg).startsWith("<?xml").contains("<svg", "Calls per second", "</svg>");
        assertThat(Files.readAllLines(out.resolve("samples.csv"))).first().isEqualTo(Sample.CSV_HEADER);
        assertThat(Files.readAllLines(out.resolve("samples.csv")).size()).isGreaterThan(5);
    }
}
