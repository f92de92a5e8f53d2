package org.cti4j.server;

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
 * are still being dialled, or ringing, when the server dies) and places an inbound call to the server, offered to the
 * test's session, which does not answer it.
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
            String ringing;
            int firstSipPort;
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
                ringing = call(rpc, 6, "sip:ringing" + unanswered, "r");
                rpc.request(7, "sys.call.subscribe_incoming", "{}");
                firstSipPort = server.sipPort();
                silent.invite(firstSipPort);
                Await.until("3 calls answered", WAIT, () -> callee.acked() == 3);
                Await.until("3 INVITEs unanswered", WAIT, () -> silent.invites() == 3);
                rpc.request(5, "sys.call.drop", "{\"res_id\":\"" + ended + "\"}");
                Await.until("the ended call's CDR", WAIT, () -> text(cdrFile).contains(ended));
                try {
                    Await.until("every leg journalled, with its answer", WAIT, () -> {
                        String text = text(journal);
                        return text.contains("\"answer\",\"res_id\":\"" + answered + "\"")
                                && text.contains("\"answer\",\"res_id\":\"" + duo + "\",\"leg\":1")
                                && text.contains("\"start\",\"res_id\":\"" + duo + "\",\"leg\":2")
                                && text.contains("\"start\",\"res_id\":\"" + dialling + "\"")
                                && text.contains("\"start\",\"res_id\":\"" + ringing + "\"")
                                && text.contains("\"call_dir\":\"inbound\"");
                    });
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; the journal:\n" + text(journal), e);
                }

                assertThat(server.kill()).as("the exit code of a process ended by SIGKILL").isEqualTo(137);
                killed = Instant.now();
                assertThat(server.log()).doesNotContain("stopping");
            }
            assertThat(Files.readAllLines(cdrFile)).as("CDR lines before the restart").hasSize(1);

            try (ServerProcess server = ServerProcess.start(dir, Map.of(), "--cdr-file", cdrFile.toString());
                    RpcTestClient rpc = server.connect()) {
                assertThat(server.log()).contains("6 legs the server had when it stopped last had no CDR");
                Map<String, JsonNode> byLeg = byLeg(cdrFile);
                List<String> inbound = byLeg.entrySet().stream()
                        .filter(e -> e.getValue().path("call_dir").asText().equals("inbound")).map(Map.Entry::getKey)
                        .collect(Collectors.toList());
                assertThat(inbound).as("inbound legs").hasSize(1);
                assertThat(byLeg).containsOnlyKeys(answered + "/0", ended + "/0", dialling + "/0", duo + "/1",
                        duo + "/2", ringing + "/0", inbound.get(0));
                assertThat(byLeg.get(ended + "/0").has("crash")).as("the ended call's own CDR").isFalse();
                assertThat(byLeg.get(ended + "/0").path("cause").asInt()).isEqualTo(200);
                for (String leg : List.of(answered + "/0", dialling + "/0", duo + "/1", duo + "/2", ringing + "/0",
                        inbound.get(0))) {
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
                assertThat(byLeg.get(ringing + "/0").path("answer_time").isNull()).isTrue();
                JsonNode offered = byLeg.get(inbound.get(0));
                assertThat(offered.path("answer_time").isNull()).isTrue();
                assertThat(offered.path("from_uri").asText()).isEqualTo("sip:caller@127.0.0.1");
                assertThat(offered.path("to_uri").asText()).isEqualTo("sip:cti@127.0.0.1:" + firstSipPort);

                // The restarted server works, and appends to the same file.
                String after = call(rpc, 1, "sip:after" + answering, "e");
                Await.until("the new call answered", WAIT, () -> callee.acked() == 4);
                rpc.request(2, "sys.call.drop", "{\"res_id\":\"" + after + "\"}");
                Await.until("the new call's CDR", WAIT, () -> text(cdrFile).contains(after));
                assertThat(server.terminate()).isZero();
                assertThat(byLeg(cdrFile)).hasSize(8).containsKey(after + "/0");
                assertThat(Files.readAllLines(cdrFile)).hasSize(8);
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

    /**
     * A UDP socket that takes INVITEs and never answers them: it rings (180) for a user whose name starts with
     * {@code ringing}, and stays silent for the others. Counts the calls (by Call-ID) it got. Also places one inbound
     * call.
     */
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

        /** Sends an INVITE from {@code sip:caller@127.0.0.1} to the server, as a caller would. */
        void invite(int serverPort) throws IOException {
            int port = port();
            String sdp = "v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                    + "m=audio " + (port + 2) + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
            String invite = "INVITE sip:cti@127.0.0.1:" + serverPort + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bKcrash1;rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:caller@127.0.0.1>;tag=c1\r\n"
                    + "To: <sip:cti@127.0.0.1:" + serverPort + ">\r\n"
                    + "Call-ID: crash-inbound@127.0.0.1\r\n"
                    + "CSeq: 1 INVITE\r\n"
                    + "Contact: <sip:caller@127.0.0.1:" + port + ">\r\n"
                    + "Content-Type: application/sdp\r\n"
                    + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
            send(invite, serverPort);
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
                        if (message.startsWith("INVITE sip:ringing")) {
                            send(ringing(message), packet.getPort());
                        }
                    }
                }
            } catch (IOException closed) {
                // close() ends it.
            }
        }

        private static String ringing(String invite) {
            StringBuilder response = new StringBuilder("SIP/2.0 180 Ringing\r\n");
            for (String name : List.of("Via", "From", "Call-ID", "CSeq")) {
                response.append(name).append(": ").append(AnsweringPeer.header(invite, name)).append("\r\n");
            }
            return response.append("To: ").append(AnsweringPeer.header(invite, "To")).append(";tag=ring\r\n")
                    .append("Contact: <sip:ringing@127.0.0.1>\r\nContent-Length: 0\r\n\r\n").toString();
        }

        private void send(String message, int port) throws IOException {
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
        }

        @Override
        public void close() {
            socket.close();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
