package org.cti4j.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The files a load run leaves, and its summary on the console. */
final class ReportFiles {

    private ReportFiles() {
    }

    /** Writes report.md, report.svg, samples.csv, timing.csv and (with {@code --metrics}) metrics.csv into out. */
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
        if (report.metrics() != null) {
            Files.writeString(out.resolve("metrics.csv"), metricsCsv(report.metrics().samples()),
                    StandardCharsets.UTF_8);
        }
    }

    /**
     * Returns the scrapes as CSV: seconds, phase, then one column per {@code cti4j_} series summed over the engines
     * ({@link PrometheusText#order}); a series that had not appeared yet is empty.
     */
    static String metricsCsv(List<MetricsSample> samples) {
        Set<String> names = new LinkedHashSet<>();
        samples.forEach(s -> names.addAll(s.total().keySet()));
        List<String> columns = PrometheusText.order(names);
        StringBuilder csv = new StringBuilder("seconds,phase,").append(String.join(",", columns)).append('\n');
        for (MetricsSample s : samples) {
            csv.append(Format.number(s.seconds(), 3)).append(',').append(s.phase());
            for (String column : columns) {
                Double value = s.total().get(column);
                csv.append(',').append(value == null ? "" : Format.number(value, 3));
            }
            csv.append('\n');
        }
        return csv.toString();
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
        if (report.rate().refused() > 0) {
            text.append("  refused by the engines' admission limits: ").append(report.rate().refused()).append(" of ")
                    .append(report.rate().launched()).append(" offered (not failures)\n");
        }
        if (report.metrics() != null) {
            text.append("  /metrics against the harness: ").append(report.metrics().rows().isEmpty() ? "NOT SCRAPED"
                    : report.metrics().agree() ? "every figure agrees" : "SOME FIGURES DIFFER (see the report)")
                    .append('\n');
        }
        return text.toString();
    }
}
