package org.cti4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the server jar ({@code target/cti-server.jar}, made by {@code package}) as a process, as an operator would,
 * and drives it over JSON-RPC/WebSocket with the JDK's client.
 */
class CtiServerIT {


    @TempDir
    Path dir;

    @Test
    void theJarServesTheEngineOverWebSocketAndStopsCleanlyOnSigterm() throws Exception {
        Path cdrFile = dir.resolve("cdr.jsonl");
        // ServerProcess gives the token in the environment, as the README recommends, so that it does not show in ps
        try (ServerProcess server = ServerProcess.start(dir, Map.of(),
                "--cdr-file", cdrFile.toString(), "--node-id", "1.2.3");
                RpcTestClient rpc = server.connect()) {
            assertThat(server.listening()).contains("127.0.0.1:" + server.sipPort(),
                    "ws://127.0.0.1:" + server.rpcPort() + "/rpc", "node 1.2.3", cdrFile.toString(),
                    "token required");
            assertThat(cdrFile).exists();
            assertThat(rpc.session().path("params").path("node_id").asText()).isEqualTo("1.2.3");

            JsonNode conference = rpc.request(1, "sys.conf.construct", "{\"max_seconds\":60}");
            assertThat(conference.path("res_id").asText()).startsWith("1.2.3-sys.conf-");
            assertThat(conference.path("ipsc_info").path("process_id").isIntegralNumber()).isTrue();

            // A call still ringing when SIGTERM comes must be released, and its CDR written, before the process
            // exits. The callee is a UDP socket that receives the INVITE and never answers.
            try (DatagramSocket callee = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                callee.setSoTimeout((int) RpcTestClient.REPLY_TIMEOUT.toMillis());
                JsonNode call = rpc.request(2, "sys.call.construct", "{\"from_uri\":\"sip:it@127.0.0.1\","
                        + "\"to_uri\":\"sip:nobody@127.0.0.1:" + callee.getLocalPort() + "\","
                        + "\"max_answer_seconds\":60,\"user_data\":\"ticket 42\"}");
                String resId = call.path("res_id").asText();
                DatagramPacket invite = new DatagramPacket(new byte[65536], 65536);
                callee.receive(invite);
                assertThat(new String(invite.getData(), 0, invite.getLength(), StandardCharsets.UTF_8))
                        .startsWith("INVITE sip:nobody@127.0.0.1:" + callee.getLocalPort());

                assertThat(server.terminate()).isZero();

                assertThat(server.log()).contains("CtiServer - stopped");
                List<String> lines = Files.readAllLines(cdrFile, StandardCharsets.UTF_8);
                assertThat(lines).hasSize(1);
                JsonNode cdr = RpcTestClient.JSON.readTree(lines.get(0));
                assertThat(cdr.path("res_id").asText()).isEqualTo(resId);
                assertThat(cdr.path("leg").asInt()).isZero();
                assertThat(cdr.path("call_dir").asText()).isEqualTo("outbound");
                assertThat(cdr.path("from_uri").asText()).isEqualTo("sip:it@127.0.0.1");
                assertThat(cdr.path("to_uri").asText()).isEqualTo("sip:nobody@127.0.0.1:" + callee.getLocalPort());
                assertThat(cdr.path("begin_time").isIntegralNumber()).isTrue();
                assertThat(cdr.path("answer_time").isNull()).isTrue();
                assertThat(cdr.path("end_time").isIntegralNumber()).isTrue();
                assertThat(cdr.path("dropped_by").asText()).isEqualTo("sys");
                assertThat(cdr.path("cause").asInt()).isEqualTo(487);
                assertThat(cdr.path("user_data").asText()).isEqualTo("ticket 42");
                assertThat(cdr.path("error").asText()).startsWith("487");
            }
        }
    }
}
