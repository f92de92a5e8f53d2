package org.cti4j.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Collectors;

/** The files a load run leaves, and its summary on the console. */
final class ReportFiles {

    private ReportFiles() {
    }

    /** Writes report.md, report.svg, samples.csv and timing.csv into {@code out}. */
    static void write(RunReport report, Path out) throws IOException {
        Files.writeString(out.resolve("report.md"), MarkdownReport.write(report), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("report.svg"), SvgChart.write(report), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("samples.csv"), Sample.CSV_HEADER + "\n" + report.samples().stream()
                .map(Sample::csv).collect(Collectors.joining("\n")) + "\n", StandardCharsets.UTF_8);
        StringBuilder timing = new StringBuilder("seconds,invite_p99_ms,bridge_p99_ms,rtp_dev_p99_ms,rtp_dev_max_ms\n");
        for (RunReport.TimingSample t : report.timing()) {
            timing.append(String.join(",", Format.number(t.seconds(), 0), Format.number(t.inviteP99(), 3),
                    Format.number(t.bridgeP99(), 3), Format.number(t.rtpDeviationP99(), 3),
                    Format.number(t.rtpDeviationMax(), 3))).append('\n');
        }
        Files.writeString(out.resolve("timing.csv"), timing.toString(), StandardCharsets.UTF_8);
    }

    /** Returns the targets table as plain text, for the console. */
    static String summary(RunReport report) {
        StringBuilder text = new StringBuilder("\ncti4j load run: ").append(Format.number(report.seconds(), 1))
                .append(" s; report in ").append(report.options().out().resolve("report.md")).append("\n\n");
        for (Targets.Row row : Targets.rows(report)) {
            text.append(String.format(Locale.ROOT, "  %-60s %s%n      %s -> %s%n", row.figure(), row.target(),
                    row.measured(), row.verdict()));
        }
        text.append("  leaks: ").append(report.leaks().clean() ? "none" : "SOMETHING WAS LEFT (see the report)")
                .append('\n');
        return text.toString();
    }
}
