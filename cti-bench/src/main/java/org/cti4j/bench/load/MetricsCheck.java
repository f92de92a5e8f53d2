package org.cti4j.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * Sets what the engines' {@code /metrics} said after the run against what the harness itself counted over the whole
 * run (warm-up and steady phase included, as the meters count from the engines' start).
 *
 * <p>{@code CtiMetrics} counts CDR events: a leg is started when it is dialled, answered when it is, ended when its
 * CDR is written, after the release. A duo callback has two legs, a call one; one the engine refused has none. When
 * every admitted one succeeded, each count is exact. A failed duo callback may have started none, one or both legs
 * and answered as many: the harness's figure is then a range.
 */
final class MetricsCheck {

    private MetricsCheck() {
    }

    /**
     * What the harness counted over the whole run.
     *
     * @param legsPerCall 2 for duo callbacks, 1 for calls
     * @param launched duo callbacks (calls) offered
     * @param refused those the engines refused
     * @param connected those bridged (answered)
     * @param failed those that failed (could not start, never bridged, or ended in error)
     * @param callsLive {@code Call} resources live in the engines at the final scrape
     * @param duoCallbacksLive {@code DuoCallback} resources live in the engines at the final scrape
     */
    record HarnessCounts(int legsPerCall, int launched, int refused, int connected, int failed, int callsLive,
            int duoCallbacksLive) {

        int admitted() {
            return launched - refused;
        }
    }

    /** Returns one row per compared figure, the final scrape {@code last} against {@code harness}. */
    static List<RunReport.MetricsRow> rows(MetricsSample last, HarnessCounts harness) {
        int per = harness.legsPerCall();
        String noun = per == 2 ? "duo callbacks" : "calls";
        int admitted = harness.admitted();
        int failed = harness.failed();
        String admittedText = admitted + " " + noun + " admitted (" + harness.launched() + " offered, "
                + harness.refused() + " refused)";
        String failedText = failed == 0 ? "" : "; " + failed + " failed, each with 0 to " + per + " legs";
        long startedLow = (long) per * Math.max(0, admitted - failed);
        long startedHigh = (long) per * admitted;
        List<RunReport.MetricsRow> rows = new ArrayList<>();
        rows.add(new RunReport.MetricsRow("legs started (`" + PrometheusText.LEGS_STARTED + "`)",
                last.get(PrometheusText.LEGS_STARTED), startedLow, startedHigh,
                per + " × " + admittedText + failedText));
        rows.add(new RunReport.MetricsRow("legs answered (`" + PrometheusText.LEGS_ANSWERED + "`)",
                last.get(PrometheusText.LEGS_ANSWERED), (long) per * harness.connected(),
                (long) per * harness.connected() + (long) per * failed,
                per + " × " + harness.connected() + " " + (per == 2 ? "bridged" : "answered") + failedText));
        rows.add(new RunReport.MetricsRow("legs ended (`" + PrometheusText.LEGS_ENDED + "`, answered \"true\" and"
                + " \"false\" summed)", last.get(PrometheusText.LEGS_ENDED), startedLow, startedHigh,
                "every leg started has ended: " + per + " × " + admittedText + failedText));
        rows.add(new RunReport.MetricsRow("legs ended unanswered, failed set-ups (`answered=\"false\"`)",
                last.get(PrometheusText.LEGS_ENDED_UNANSWERED), 0, (long) per * failed,
                failed == 0 ? "no " + noun + " failed" : failed + " failed, each with 0 to " + per
                        + " unanswered legs"));
        rows.add(new RunReport.MetricsRow("calls live after the drain (`" + PrometheusText.CALLS_LIVE + "`)",
                last.get(PrometheusText.CALLS_LIVE), harness.callsLive(), harness.callsLive(),
                "the engines' own resources() then"));
        rows.add(new RunReport.MetricsRow("duo callbacks live after the drain (`" + PrometheusText.DUO_CALLBACKS_LIVE
                + "`)", last.get(PrometheusText.DUO_CALLBACKS_LIVE), harness.duoCallbacksLive(),
                harness.duoCallbacksLive(), "the engines' own resources() then"));
        return rows;
    }

    /** Returns whether the CDRs have caught up: every leg started has ended, and nothing is live. */
    static boolean settled(MetricsSample scrape) {
        return scrape.get(PrometheusText.LEGS_ENDED) == scrape.get(PrometheusText.LEGS_STARTED)
                && scrape.get(PrometheusText.CALLS_LIVE) == 0 && scrape.get(PrometheusText.DUO_CALLBACKS_LIVE) == 0;
    }
}
