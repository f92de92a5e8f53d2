package org.cti4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.DialOptions;
import org.cti4j.core.testing.Await;
import org.cti4j.examples.Ports;
import org.cti4j.rpc.RemoteCtiEngine;
import org.cti4j.testkit.TestPhone;
import org.junit.jupiter.api.Test;

/**
 * {@code --metrics-port}: {@code /metrics} in Prometheus's text format with the engine's, the RPC server's and the
 * JVM's meters, moving as calls are made; {@code /health} ready, draining while the server drains, and nothing once
 * it stopped.
 */
class MetricsEndpointTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

    private HttpResponse<String> get(URI base, String path) {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void metricsMoveWithTheCallsAndHealthFollowsTheServersState() throws Exception {
        int sipPort = Ports.freeSipPort();
        int rtp = 40000 + 2 * ThreadLocalRandom.current().nextInt(5000);
        String[] args = {"--sip-port", Integer.toString(sipPort), "--rpc-port", "0", "--rtp-ports",
            rtp + "-" + (rtp + 99), "--metrics-port", "0", "--drain-seconds", "30"};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CtiServer server = CtiServer.start(args, Map.of(), print(out), print(new ByteArrayOutputStream()));
        URI base;
        try (TestPhone busy = TestPhone.start("busy").busy();
                TestPhone ringing = TestPhone.start("ringing").ringWithoutAnswer();
                RemoteCtiEngine client = RemoteCtiEngine.builder(server.rpcUri()).build()) {
            base = server.metricsUri().orElseThrow();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("metrics " + base);
            HttpResponse<String> health = get(base, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("ready\n");
            HttpResponse<String> metrics = get(base, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain"));
            assertThat(metrics.body()).contains("cti4j_calls_live 0.0", "cti4j_rpc_sessions 1.0",
                    "cti4j_rpc_events_waiting 0.0", "cti4j_rpc_events_lost_total 0.0", "cti4j_rtp_sessions 0.0",
                    "cti4j_rtp_sessions_opened_total 0.0", "cti4j_rtp_packets_received_total 0.0",
                    "cti4j_rtp_packets_lost_total 0.0", "cti4j_sip_responses_received_total 0.0",
                    "cti4j_sip_retransmissions_sent_total 0.0", "cti4j_sip_responses_dropped_total 0.0",
                    "jvm_memory_used_bytes", "jvm_gc_",
                    "process_uptime_seconds");

            // A call to a busy phone: one leg, counted as started and as ended unanswered with cause 486.
            CompletableFuture<CallEvent.Released> released = new CompletableFuture<>();
            client.dial(DialOptions.builder().fromUri("sip:1@127.0.0.1").toUri(busy.uri())
                    .maxAnswerSeconds(60).build(), new CallListener() {
                        @Override
                        public void onReleased(Call call, CallEvent.Released event) {
                            released.complete(event);
                        }
                    });
            assertThat(released.get(WAIT.toSeconds(), TimeUnit.SECONDS).cause()).isEqualTo(486);
            Await.until("the leg counted", WAIT, () -> {
                String body = get(base, "/metrics").body();
                return body.contains("cti4j_legs_started_total{direction=\"outbound\"} 1.0")
                        && body.lines().anyMatch(line -> line.startsWith("cti4j_legs_ended_total{")
                                && line.contains("answered=\"false\"") && line.contains("cause=\"486\"")
                                && line.contains("direction=\"outbound\"") && line.endsWith(" 1.0"));
            });
            // The leg had an RTP session, and its INVITE got at least the busy phone's 486.
            String counted = get(base, "/metrics").body();
            assertThat(value(counted, "cti4j_rtp_sessions_opened_total")).isEqualTo(1.0);
            assertThat(value(counted, "cti4j_sip_responses_received_total")).isGreaterThanOrEqualTo(1.0);

            assertThat(get(base, "/nothing").statusCode()).isEqualTo(404);
            assertThat(http.send(HttpRequest.newBuilder(base.resolve("/health"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(405);

            // A call left ringing keeps the drain going while /health says so.
            Call live = client.dial(DialOptions.builder().fromUri("sip:1@127.0.0.1").toUri(ringing.uri())
                    .maxAnswerSeconds(60).maxRingSeconds(60).build(), new CallListener() { });
            ringing.awaitCall(WAIT);
            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            Await.until("/health says draining", WAIT, () -> get(base, "/health").statusCode() == 503
                    && get(base, "/health").body().equals("draining\n"));
            live.drop();
            closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            server.close();
        }
        URI stopped = base;
        Await.until("/metrics and /health gone with the server", WAIT, () -> {
            try {
                get(stopped, "/health");
                return false;
            } catch (java.io.UncheckedIOException e) {
                return true;
            }
        });
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    /** Returns the value of the sample {@code name} (without labels) in a Prometheus text body. */
    private static double value(String body, String name) {
        return body.lines().filter(line -> line.startsWith(name + " ")).mapToDouble(
                line -> Double.parseDouble(line.substring(name.length() + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in /metrics"));
    }
}
