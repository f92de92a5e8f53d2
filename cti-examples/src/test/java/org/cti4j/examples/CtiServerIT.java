package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the server jar ({@code target/cti-server.jar}, made by {@code package}) as a process, as an operator would,
 * and drives it over JSON-RPC/WebSocket with the JDK's client.
 */
class CtiServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final String TOKEN = "it-token-" + ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);

    @TempDir
    Path dir;

    private Process process;
    private Path stderr;

    @AfterEach
    void stopTheServer() throws IOException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
        if (stderr != null && Files.exists(stderr)) {
            System.out.println("---- cti-server's log ----");
            System.out.println(Files.readString(stderr, StandardCharsets.UTF_8));
        }
    }

    @Test
    void theJarServesTheEngineOverWebSocketAndStopsCleanlyOnSigterm() throws Exception {
        int sipPort = freeUdpAndTcpPort();
        int rpcPort = freeTcpPort();
        int rtpFirst = 40000 + 2 * ThreadLocalRandom.current().nextInt(5000);
        Path cdrFile = dir.resolve("cdr.jsonl");
        ProcessBuilder builder = new ProcessBuilder(javaCommand(), "-jar", serverJar().toString(),
                "--sip-port", Integer.toString(sipPort), "--rpc-port", Integer.toString(rpcPort),
                "--rtp-ports", rtpFirst + "-" + (rtpFirst + 99), "--cdr-file", cdrFile.toString(),
                "--node-id", "1.2.3");
        // the token from the environment, as the README recommends, so that it does not show in ps
        builder.environment().put("CTI4J_TOKEN", TOKEN);
        stderr = dir.resolve("stderr.log");
        builder.redirectError(stderr.toFile());
        process = builder.start();
        BlockingQueue<String> stdout = linesOf(process);

        String listening = awaitLine(stdout, CtiServer.LISTENING, START_TIMEOUT);
        assertThat(listening).contains("127.0.0.1:" + sipPort, "ws://127.0.0.1:" + rpcPort + "/rpc",
                rtpFirst + "-" + (rtpFirst + 99), "node 1.2.3", cdrFile.toString(), "token required");
        assertThat(cdrFile).exists();

        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + TOKEN)
                .connectTimeout(REPLY_TIMEOUT)
                .buildAsync(URI.create("ws://127.0.0.1:" + rpcPort + "/rpc"), new Frames(frames))
                .get(REPLY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        JsonNode session = awaitFrame(frames, System.nanoTime() + REPLY_TIMEOUT.toNanos());
        assertThat(session.path("method").asText()).isEqualTo("rpc.on_session");
        assertThat(session.path("params").path("node_id").asText()).isEqualTo("1.2.3");

        JsonNode conference = request(socket, frames, 1, "sys.conf.construct", "{\"max_seconds\":60}");
        assertThat(conference.path("res_id").asText()).startsWith("1.2.3-sys.conf-");
        assertThat(conference.path("ipsc_info").path("process_id").isIntegralNumber()).isTrue();

        // A call still ringing when SIGTERM comes must be released, and its CDR written, before the process exits.
        // The callee is a UDP socket that receives the INVITE and never answers.
        try (DatagramSocket callee = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            callee.setSoTimeout((int) REPLY_TIMEOUT.toMillis());
            JsonNode call = request(socket, frames, 2, "sys.call.construct", "{\"from_uri\":\"sip:it@127.0.0.1\","
                    + "\"to_uri\":\"sip:nobody@127.0.0.1:" + callee.getLocalPort() + "\",\"max_answer_seconds\":60,"
                    + "\"user_data\":\"ticket 42\"}");
            String resId = call.path("res_id").asText();
            DatagramPacket invite = new DatagramPacket(new byte[65536], 65536);
            callee.receive(invite);
            assertThat(new String(invite.getData(), 0, invite.getLength(), StandardCharsets.UTF_8))
                    .startsWith("INVITE sip:nobody@127.0.0.1:" + callee.getLocalPort());

            process.destroy();

            assertThat(process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("the server stops within %s of SIGTERM", STOP_TIMEOUT).isTrue();
            assertThat(process.exitValue()).isZero();
            assertThat(Files.readString(stderr, StandardCharsets.UTF_8)).contains("CtiServer - stopped");
            List<String> lines = Files.readAllLines(cdrFile, StandardCharsets.UTF_8);
            assertThat(lines).hasSize(1);
            JsonNode cdr = JSON.readTree(lines.get(0));
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

    /** Sends a request and returns its result, skipping the notifications that come first. */
    private static JsonNode request(WebSocket socket, BlockingQueue<String> frames, int id, String method,
            String params) throws Exception {
        socket.sendText("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":"
                + params + "}", true).get(REPLY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        long deadline = System.nanoTime() + REPLY_TIMEOUT.toNanos();
        while (true) {
            JsonNode frame = awaitFrame(frames, deadline);
            if (frame.has("method")) {
                continue;
            }
            assertThat(frame.path("id").asInt()).as("reply %s", frame).isEqualTo(id);
            assertThat(frame.has("error")).as("reply to %s: %s", method, frame).isFalse();
            return frame.path("result");
        }
    }

    /** Collects the process's standard output, line by line, on a thread of its own. */
    private static BlockingQueue<String> linesOf(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    System.out.println("cti-server> " + line);
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(stdout unreadable: " + e + ")");
            }
        }, "cti-server-stdout");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private String awaitLine(BlockingQueue<String> lines, String prefix, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null) {
                String why = process.isAlive() ? "no '" + prefix + "' line within " + timeout
                        : "the server exited with " + process.exitValue() + " before saying it listens";
                return fail(why + "; its log:%n%s", Files.readString(stderr, StandardCharsets.UTF_8));
            }
        }
    }

    private static JsonNode awaitFrame(BlockingQueue<String> frames, long deadline) throws Exception {
        String frame = frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        assertThat(frame).as("a frame within %s", REPLY_TIMEOUT).isNotNull();
        return JSON.readTree(frame);
    }

    /** Puts every text message (its parts joined) in a queue. */
    private static final class Frames implements WebSocket.Listener {
        private final BlockingQueue<String> frames;
        private final StringBuilder partial = new StringBuilder();

        Frames(BlockingQueue<String> frames) {
            this.frames = frames;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }

    private static Path serverJar() {
        Path jar = Path.of(System.getProperty("cti.server.jar", "target/cti-server.jar"));
        assertThat(jar).as("the server jar (made by mvn package)").exists();
        return jar;
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A port free for both UDP and TCP, as SIP listens on both. */
    private static int freeUdpAndTcpPort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                    DatagramSocket udp = new DatagramSocket(tcp.getLocalPort(), InetAddress.getLoopbackAddress())) {
                return udp.getLocalPort();
            } catch (IOException e) {
                // that UDP port is taken; try another
            }
        }
        throw new IOException("no port free for both UDP and TCP after 50 attempts");
    }
}
