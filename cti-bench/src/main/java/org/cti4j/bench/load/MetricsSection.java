package org.cti4j.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the report's section "/metrics against the harness" ({@code --metrics}): the final scraped totals beside
 * the harness's own counts, row by row, and the counters at the end of each phase.
 */
final class MetricsSection {

    private MetricsSection() {
    }

    static void write(StringBuilder md, RunReport r) {
        RunReport.MetricsFigures m = r.metrics();
        int engines = r.engines().size();
        md.append("## /metrics against the harness\n\n")
                .append("Each engine counts its legs with `CtiMetrics` (its CDR listener) on a Prometheus registry of")
                .append(" its own, served by `MetricsEndpoint` on loopback; the harness read every engine's")
                .append(" `/metrics` once a second (").append(m.samples().size()).append(" scrapes, ")
                .append(m.failedScrapes()).append(" failed). `CtiMetrics` counts CDR events, which come after the")
                .append(" release: the totals are from a final scrape after the drain, ")
                .append(m.settled() ? "once every leg started had ended and nothing was live."
                        : "taken when the 10 s wait for every leg to end ran out (not settled).")
                .append("\n\n");
        if (m.rows().isEmpty()) {
            md.append("The final scrape failed: nothing to compare.\n\n");
            return;
        }
        md.append("| figure | `/metrics`, summed over ").append(engines).append(engines == 1 ? " engine" : " engines")
                .append(" | harness | how the harness counts | agreement |\n|---|--:|--:|---|---|\n");
        for (RunReport.MetricsRow row : m.rows()) {
            String harness = row.low() == row.high() ? String.valueOf(row.low()) : row.low() + "–" + row.high();
            md.append("| ").append(cell(row.figure())).append(" | ").append(Format.number(row.scraped(), 0))
                    .append(" | ").append(harness).append(" | ").append(cell(row.basis())).append(" | ")
                    .append(row.agreement()).append(" |\n");
        }
        md.append('\n');
        md.append("**The counters over the run**: the last scrape of each phase, summed over the engines (every")
                .append(" second is in `metrics.csv`, and in the chart's last panel).\n\n")
                .append("| phase | s | legs started | answered | ended | ended unanswered | calls live |")
                .append(" duo callbacks live |\n|---|--:|--:|--:|--:|--:|--:|--:|\n");
        for (MetricsSample s : lastOfEachPhase(m.samples())) {
            md.append("| ").append(s.phase()).append(" | ").append(Format.number(s.seconds(), 0));
            for (String column : List.of(PrometheusText.LEGS_STARTED, PrometheusText.LEGS_ANSWERED,
                    PrometheusText.LEGS_ENDED, PrometheusText.LEGS_ENDED_UNANSWERED, PrometheusText.CALLS_LIVE,
                    PrometheusText.DUO_CALLBACKS_LIVE)) {
                md.append(" | ").append(Format.number(s.get(column), 0));
            }
            md.append(" |\n");
        }
        md.append('\n');
        MetricsSample last = m.samples().get(m.samples().size() - 1);
        List<String> others = new ArrayList<>();
        for (Map.Entry<String, Double> e : last.total().entrySet()) {
            if (!PrometheusText.FIXED_COLUMNS.contains(e.getKey())) {
                others.add("`" + e.getKey() + "` " + Format.number(e.getValue(), 2));
            }
        }
        if (!others.isEmpty()) {
            md.append("The other `cti4j_` series at the end, summed over the engines: ")
                    .append(String.join(", ", others)).append(".\n\n");
        }
    }

    /** Returns the last sample of each run of samples with one phase, in order. */
    static List<MetricsSample> lastOfEachPhase(List<MetricsSample> samples) {
        List<MetricsSample> last = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            if (i == samples.size() - 1 || !samples.get(i + 1).phase().equals(samples.get(i).phase())) {
                last.add(samples.get(i));
            }
        }
        return last;
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
