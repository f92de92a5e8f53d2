package org.cti4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cti4j.core.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the server jar with 50 answered calls: every call gets its BYE out before the SIP stack stops, and every
 * call's CDR is written. The callee is one UDP peer that answers every INVITE and counts the BYEs it receives.
 */
class ShutdownByesIT {

    private static final int CALLS = 50;

    @TempDir
    Path dir;

    @Test
    void sigtermWithFiftyAnsweredCallsSendsEveryByeAndWritesEveryCdr() throws Exception {
        Path cdrFile = dir.resolve("cdr.jsonl");
        try (AnsweringPeer callee = new AnsweringPeer();
                ServerProcess server = ServerProcess.start(dir, Map.of(),
                        "--cdr-file", cdrFile.toString());
                RpcTestClient rpc = server.connect()) {
            for (int i = 1; i <= CALLS; i++) {
                rpc.request(i, "sys.call.construct", "{\"from_uri\":\"sip:it@127.0.0.1\",\"to_uri\":\"sip:callee" + i
                        + "@127.0.0.1:" + callee.port() + "\",\"max_answer_seconds\":600}");
            }
            Await.until(CALLS + " calls answered and acknowledged", Duration.ofSeconds(60),
                    () -> callee.acked() == CALLS);
            assertThat(callee.byes()).as("BYEs before SIGTERM").isZero();

            assertThat(server.terminate()).isZero();

            // The server waits for the 200s to its BYEs before it stops: they have all arrived by now.
            assertThat(callee.byes()).as("calls that got their BYE").isEqualTo(CALLS);
            assertThat(server.log()).doesNotContain("Could not create message channel").contains("CtiServer - stopped");
            List<String> cdrs = Files.readAllLines(cdrFile, StandardCharsets.UTF_8);
            assertThat(cdrs).hasSize(CALLS).allSatisfy(line -> {
                assertThat(RpcTestClient.JSON.readTree(line).path("dropped_by").asText()).isEqualTo("sys");
                assertThat(RpcTestClient.JSON.readTree(line).path("answer_time").isIntegralNumber()).isTrue();
            });
        }
    }
}
