package org.cti4j.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.cti4j.server.MetricsEndpoint;
import org.junit.jupiter.api.Test;

/** Prometheus's text format as the engines' {@code /metrics} writes it, read line by line and summed. */
class PrometheusTextTest {

    @Test
    void aSeriesLineGivesItsNameLabelsAndValue() {
        PrometheusText.Series s = PrometheusText.parseLine(
                "cti4j_legs_ended_total{answered=\"false\",cause=\"486\",direction=\"outbound\"} 3.0");
        assertThat(s.name()).isEqualTo("cti4j_legs_ended_total");
        assertThat(s.labels()).containsExactly(Map.entry("answered", "false"), Map.entry("cause", "486"),
                Map.entry("direction", "outbound"));
        assertThat(s.value()).isEqualTo(3.0);
        assertThat(PrometheusText.parseLine("cti4j_calls_live 12")).isEqualTo(
                new PrometheusText.Series("cti4j_calls_live", Map.of(), 12));
        assertThat(PrometheusText.parseLine("x_total{} 1.5e3 1700000000000").value()).as("with a timestamp")
                .isEqualTo(1500);
        assertThat(PrometheusText.parseLine("x{a=\"b\"} +Inf").value()).isInfinite();
        assertThat(PrometheusText.parseLine("x NaN").value()).isNaN();
    }

    @Test
    void labelValuesMayHoldQuotesBracesCommasAndLineFeeds() {
        PrometheusText.Series s = PrometheusText.parseLine(
                "x{why=\"say \\\"no\\\", {then} a\\\\b\\nc\",b = \"2\",} 7");
        assertThat(s.labels()).containsExactly(Map.entry("why", "say \"no\", {then} a\\b\nc"), Map.entry("b", "2"));
        assertThat(s.value()).isEqualTo(7);
    }

    @Test
    void commentsBlankAndBrokenLinesAreSkipped() {
        assertThat(PrometheusText.parseLine("# HELP cti4j_calls_live calls live now")).isNull();
        assertThat(PrometheusText.parseLine("   ")).isNull();
        assertThat(PrometheusText.parseLine("x{a=\"unterminated} 1")).isNull();
        assertThat(PrometheusText.parseLine("x{a=b} 1")).isNull();
        assertThat(PrometheusText.parseLine("x 1 2 3")).isNull();
        assertThat(PrometheusText.parseLine("x one")).isNull();
        assertThat(PrometheusText.parseLine("9x 1")).isNull();
        assertThat(PrometheusText.series("a 1\n# TYPE a gauge\nbroken{ 2\nb 3\n"))
                .extracting(PrometheusText.Series::name).containsExactly("a", "b");
    }

    @Test
    void theEnginesCountersAndGaugesAreSummedOverLabelsAndEngines() {
        String one = scrape(5, 4, 1, 3);
        String two = scrape(2, 2, 0, 1);
        Map<String, Double> total = PrometheusText.columns(List.of(one, two));
        assertThat(total).containsEntry(PrometheusText.LEGS_STARTED, 7.0)
                .containsEntry(PrometheusText.LEGS_ENDED, 7.0)
                .containsEntry(PrometheusText.LEGS_ENDED_ANSWERED, 6.0)
                .containsEntry(PrometheusText.LEGS_ENDED_UNANSWERED, 1.0)
                .containsEntry(PrometheusText.CALLS_LIVE, 4.0)
                .containsEntry(PrometheusText.LEGS_ANSWERED, 0.0)
                .containsEntry(PrometheusText.DUO_CALLBACKS_LIVE, 0.0)
                .containsEntry("cti4j_rtp_packets_sent_total", 14.0)
                .containsEntry("cti4j_sip_transaction_seconds_max", 0.25)
                .doesNotContainKeys("cti4j_sip_transaction_seconds_count", "cti4j_sip_transaction_seconds_sum",
                        "jvm_threads_live");
        assertThat(PrometheusText.order(total.keySet())).startsWith(PrometheusText.FIXED_COLUMNS.toArray(String[]::new))
                .endsWith("cti4j_rtp_packets_sent_total", "cti4j_sip_transaction_seconds_max");
    }

    @Test
    void histogramAndSummarySeriesAndCreationTimesAreLeftOut() {
        String body = """
                # TYPE cti4j_wait_seconds histogram
                cti4j_wait_seconds_bucket{le="0.1"} 3
                cti4j_wait_seconds_count 3
                cti4j_wait_seconds_sum 0.2
                # TYPE cti4j_size summary
                cti4j_size{quantile="0.5"} 10
                cti4j_size_count 4
                # TYPE cti4j_done counter
                cti4j_done_total 4
                cti4j_done_created 1.7E9
                cti4j_untyped 2
                """;
        assertThat(PrometheusText.columns(List.of(body))).containsEntry("cti4j_done_total", 4.0)
                .containsEntry("cti4j_untyped", 2.0)
                .doesNotContainKeys("cti4j_wait_seconds_bucket", "cti4j_wait_seconds_count", "cti4j_size",
                        "cti4j_size_count", "cti4j_done_created");
    }

    /**
     * Returns what a registry as the harness serves it writes: the meters {@code CtiMetrics} registers (named as it
     * names them), one more counter and a timer as the other engine meters may be, and a JVM meter.
     */
    private static String scrape(int outbound, int endedAnswered, int endedUnanswered, int live) {
        PrometheusMeterRegistry registry = MetricsEndpoint.newRegistry();
        try {
            Counter.builder("cti4j.legs.started").tag("direction", "outbound").register(registry).increment(outbound);
            Counter.builder("cti4j.legs.ended").tag("direction", "outbound").tag("answered", "true")
                    .tag("cause", "200").tag("dropped_by", "usr").register(registry).increment(endedAnswered);
            if (endedUnanswered > 0) {
                Counter.builder("cti4j.legs.ended").tag("direction", "outbound").tag("answered", "false")
                        .tag("cause", "486").tag("dropped_by", "sys").register(registry).increment(endedUnanswered);
            }
            AtomicInteger calls = new AtomicInteger(live);
            Gauge.builder("cti4j.calls.live", calls, AtomicInteger::get).register(registry);
            Counter.builder("cti4j.legs.answered").register(registry);
            Counter.builder("cti4j.rtp.packets.sent").tag("worker", "0").register(registry).increment(outbound);
            Counter.builder("cti4j.rtp.packets.sent").tag("worker", "1").register(registry).increment(outbound);
            Timer.builder("cti4j.sip.transaction").register(registry).record(Duration.ofMillis(250));
            Gauge.builder("jvm.threads.live", () -> 40).register(registry);
            return registry.scrape();
        } finally {
            registry.close();
        }
    }
}
