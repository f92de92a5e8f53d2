package org.cti4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.cti4j.core.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a server started with {@code --drain-seconds}: it drains before it stops. A proxy's OPTIONS probe and
 * new calls get 503 with {@code Retry-After}, a client's construct is refused naming the drain, while the client
 * still reaches its live call over the same connection; when that call ends the server stops at once, long before
 * the drain time, exits 0 and has written the call's CDR.
 */
class ServerDrainIT {

    @TempDir
    Path dir;

    /** Sends an OPTIONS over UDP to the server and returns its answer. */
    private static String options(int sipPort) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String branch = "z9hG4bK-drain" + System.nanoTime();
            String request = "OPTIONS sip:127.0.0.1:" + sipPort + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:"
                    + socket.getLocalPort() + ";branch=" + branch + "\r\nMax-Forwards: 70\r\n"
                    + "From: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:127.0.0.1:" + sipPort + ">\r\nCall-ID: " + branch
                    + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
            byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), sipPort));
            socket.setSoTimeout(5000);
            DatagramPacket answer = new DatagramPacket(new byte[8192], 8192);
            socket.receive(answer);
            return new String(answer.getData(), 0, answer.getLength(), StandardCharsets.US_ASCII);
        }
    }

    private static boolean logged(ServerProcess server, String text) {
        try {
            return server.log().contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void sigtermDrainsTheServerItsLiveCallGoesOnAndItStopsWhenTheCallEnds() throws Exception {
        Path cdrFile = dir.resolve("cdr.jsonl");
        try (AnsweringPeer callee = new AnsweringPeer();
                ServerProcess server = ServerProcess.start(dir, Map.of(), "--cdr-file", cdrFile.toString(),
                        "--drain-seconds", "120");
                RpcTestClient rpc = server.connect()) {
            assertThat(options(server.sipPort())).startsWith("SIP/2.0 200");
            String resId = rpc.request(1, "sys.call.construct", "{\"from_uri\":\"sip:it@127.0.0.1\",\"to_uri\":"
                    + "\"sip:callee@127.0.0.1:" + callee.port() + "\",\"max_answer_seconds\":600}").path("res_id")
                    .asText();
            Await.until("the call answered and acknowledged", Duration.ofSeconds(20), () -> callee.acked() == 1);

            server.signalTerm();

            // The engine's line, logged once it refuses (the server's own "draining" line comes just before that).
            Await.until("the engine drains", Duration.ofSeconds(20), () -> logged(server, "draining: no new calls"));
            String probe = options(server.sipPort());
            assertThat(probe).startsWith("SIP/2.0 503").contains("Retry-After: 60");
            JsonNode refused = rpc.exchange(2, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"sys.call.construct\","
                    + "\"params\":{\"from_uri\":\"sip:it@127.0.0.1\",\"to_uri\":\"sip:callee@127.0.0.1:"
                    + callee.port() + "\",\"max_answer_seconds\":600}}");
            assertThat(refused.path("error").path("message").asText()).contains("draining");
            assertThat(callee.byes()).as("the live call untouched by the drain").isZero();
            assertThat(server.isAlive()).isTrue();

            // The client ends its call over the connection it still has; the server, drained, stops at once.
            rpc.request(3, "sys.call.drop", "{\"res_id\":\"" + resId + "\"}");
            assertThat(server.awaitExit(Duration.ofSeconds(30))).as("exit code, well before the drain time")
                    .isZero();
            assertThat(callee.byes()).isEqualTo(1);
            assertThat(server.log()).contains("drained").contains("CtiServer - stopped");
            assertThat(Files.readAllLines(cdrFile, StandardCharsets.UTF_8)).hasSize(1);
        }
    }
}
