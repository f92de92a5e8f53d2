package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.cti4j.core.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL to the server jar in the middle of its calls, then a restart on the same CDR file: every leg has exactly one
 * CDR line, the legs that had ended their own, the others a crash line ({@code "crash":true}, {@code dropped_by}
 * {@code sys}, {@code cause} 0) with their begin and answer times, ended no earlier than they began and no later than
 * the kill. The restarted server then places a call as usual.
 *
 * <p>The far ends: an {@link AnsweringPeer} that answers every INVITE, and a UDP socket that never answers (its calls
 * are still being dialled when the server dies).
 */
class CrashCdrIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void afterSigkillTheRestartedServerWritesOneCdrForEveryLegItHad() throws Exception {
        Path cdrFile = dir.resolve("cdr.jsonl");
        Path journal = dir.resolve("cdr.jsonl.journal");
        try (AnsweringPeer callee = new AnsweringPeer(); SilentPeer silent = new SilentPeer()) {
            String answering = "@127.0.0.1:" + callee.port();
            String unanswered = "@127.0.0.1:" + silent.port();
            Instant before = Instant.now().minusSeconds(1);
            String answered;
            String ended;
            String dialling;
            String duo;
            Instant killed;
            try (ServerProcess server = ServerProcess.start(dir, Map.of(), "--cdr-file", cdrFile.toString());
                    RpcTestClient rpc = server.connect()) {
                answered = call(rpc, 1, "sip:answered" + answering, "a");
                ended = call(rpc, 2, "sip:ended" + answering, "b");
                dialling = call(rpc, 3, "sip:dialling" + unanswered, "c");
                duo = rpc.request(4, "ext.duo_callback.construct", "{\"from1_uri\":\"sip:it@127.0.0.1\","
                        + "\"to1_uri\":\"sip:party1" + answering + "\",\"from2_uri\":\"sip:it@127.0.0.1\","
                        + "\"to2_uri\":\"sip:party2" + unanswered + "\",\"max_connect_seconds\":600,"
                        + "\"max_ring_seconds\":60,\"user_data1\":\"d1\",\"user_data2\":\"d2\"}")
                        .path("res_id").asText();
                Await.until("3 calls answered", WAIT, () -> callee.acked() == 3);
                Await.until("2 INVITEs unanswered", WAIT, () -> silent.invites() == 2);
                rpc.request(5, "sys.call.drop", "{\"res_id\":\"" + ended + "\"}");
                Await.until("the ended call's CDR", WAIT, () -> text(cdrFile).contains(ended));
                Await.until("every leg journalled, with its answer", WAIT, () -> {
                    String text = text(journal);
                    return text.contains("\"answer\",\"res_id\":\"" + answered + "\"")
                            && text.contains("\"answer\",\"res_id\":\"" + duo + "\",\"leg\":1")
                            && text.contains("\"start\",\"res_id\":\"" + duo + "\",\"leg\":2")
                            && text.contains("\"start\",\"res_id\":\"" + dialling + "\"");
                });

                assertThat(server.kill()).as("the exit code of a process ended by SIGKILL").isEqualTo(137);
                killed = Instant.now();
                assertThat(server.log()).doesNotContain("stopping");
            }
            assertThat(Files.readAllLines(cdrFile)).as("CDR lines before the restart").hasSize(1);

            try (ServerProcess server = ServerProcess.start(dir, Map.of(), "--cdr-file", cdrFile.toString());
                    RpcTestClient rpc = server.connect()) {
                assertThat(server.log()).contains("4 legs the server had when it stopped last had no CDR");
                Map<String, JsonNode> byLeg = byLeg(cdrFile);
                assertThat(byLeg).containsOnlyKeys(answered + "/0", ended + "/0", dialling + "/0", duo + "/1",
                        duo + "/2");
                assertThat(byLeg.get(ended + "/0").has("crash")).as("the ended call's own CDR").isFalse();
                assertThat(byLeg.get(ended + "/0").path("cause").asInt()).isEqualTo(200);
                for (String leg : List.of(answered + "/0", dialling + "/0", duo + "/1", duo + "/2")) {
                    JsonNode cdr = byLeg.get(leg);
                    assertThat(cdr.path("crash").asBoolean()).as(leg).isTrue();
                    assertThat(cdr.path("dropped_by").asText()).as(leg).isEqualTo("sys");
                    assertThat(cdr.path("cause").asInt()).as(leg).isZero();
                    long begin = cdr.path("begin_time").asLong();
                    assertThat(begin).as(leg).isBetween(before.getEpochSecond(), killed.getEpochSecond());
                    assertThat(cdr.path("end_time").asLong()).as(leg).isBetween(begin, killed.getEpochSecond());
                }
                assertThat(byLeg.get(answered + "/0").path("answer_time").isIntegralNumber()).isTrue();
                assertThat(byLeg.get(answered + "/0").path("end_time").asLong())
                        .isGreaterThanOrEqualTo(byLeg.get(answered + "/0").path("answer_time").asLong());
                assertThat(byLeg.get(answered + "/0").path("user_data").asText()).isEqualTo("a");
                assertThat(byLeg.get(dialling + "/0").path("answer_time").isNull()).isTrue();
                assertThat(byLeg.get(dialling + "/0").path("to_uri").asText()).isEqualTo("sip:dialling" + unanswered);
                assertThat(byLeg.get(duo + "/1").path("answer_time").isIntegralNumber()).isTrue();
                assertThat(byLeg.get(duo + "/1").path("user_data").asText()).isEqualTo("d1");
                assertThat(byLeg.get(duo + "/2").path("answer_time").isNull()).isTrue();
                assertThat(byLeg.get(duo + "/2").path("user_data").asText()).isEqualTo("d2");

                // The restarted server works, and appends to the same file.
                String after = call(rpc, 1, "sip:after" + answering, "e");
                Await.until("the new call answered", WAIT, () -> callee.acked() == 4);
                rpc.request(2, "sys.call.drop", "{\"res_id\":\"" + after + "\"}");
                Await.until("the new call's CDR", WAIT, () -> text(cdrFile).contains(after));
                assertThat(server.terminate()).isZero();
                assertThat(byLeg(cdrFile)).hasSize(6).containsKey(after + "/0");
                assertThat(Files.readAllLines(cdrFile)).hasSize(6);
            }
        }
    }

    private static String call(RpcTestClient rpc, int id, String to, String userData) throws Exception {
        return rpc.request(id, "sys.call.construct", "{\"from_uri\":\"sip:it@127.0.0.1\",\"to_uri\":\"" + to
                + "\",\"max_answer_seconds\":600,\"user_data\":\"" + userData + "\"}").path("res_id").asText();
    }

    private static String text(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Returns the CDR file's lines by {@code res_id/leg}; fails if a leg has two. */
    private static Map<String, JsonNode> byLeg(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(line -> {
            try {
                return RpcTestClient.JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }).collect(Collectors.toMap(node -> node.path("res_id").asText() + "/" + node.path("leg").asInt(),
                Function.identity()));
    }

    /** A UDP socket that takes INVITEs and never answers; counts the calls (by Call-ID) it got. */
    private static final class SilentPeer implements AutoCloseable {
        private final DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        private final Set<String> callIds = ConcurrentHashMap.newKeySet();
        private final Thread thread = new Thread(this::receive, "silent-peer");

        SilentPeer() throws SocketException {
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int invites() {
            return callIds.size();
        }

        private void receive() {
            byte[] buffer = new byte[65_536];
            try {
                while (true) {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    String message = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                    if (message.startsWith("INVITE ")) {
                        callIds.add(String.valueOf(AnsweringPeer.header(message, "Call-ID")));
                    }
                }
            } catch (IOException closed) {
                // close() ends it.
            }
        }

        @Override
        public void close() throws InterruptedException {
            socket.close();
            thread.join(5_000);
        }
    }
}
