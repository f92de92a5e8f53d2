package org.cti4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cti4j.core.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded mutation run against the live server jar: a fixed, seeded set of mutated SIP requests over UDP and TCP
 * (every header 1k, 10k and 60k long, including the user parts of the From and To URIs and the Request-URI; every
 * header emptied, duplicated or left out; deep nesting; random byte damage) and of mutated JSON-RPC requests (every
 * method with each parameter 1k to 100k long, of every wrong type, deeply nested). After each case the server must
 * still answer an OPTIONS over UDP (SIP cases) or a JSON-RPC request on a new connection when the old one was
 * closed (RPC cases); a case after which it does not is a crash: it is recorded and the server restarted, so that
 * every case is tried. At the end the server must be alive, answer OPTIONS over UDP and TCP and a JSON-RPC request,
 * and complete a normal call end to end. The counts are printed.
 */
class ServerMutationIT {

    private static final long SEED = 18;
    private static final int[] LENGTHS = {1_000, 10_000, 60_000};
    /**
     * The cases stop being tried after this long (those left are counted as not run), so that the run is bounded
     * whatever the machine; {@code -Dmutation.budget.seconds=N} changes it, to try every case against a server that
     * still crashes and restarts often.
     */
    private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("mutation.budget.seconds", 80));
    private static final Duration PROBE_WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private ServerProcess server;
    private RpcTestClient rpc;
    private DatagramSocket udp;
    private DatagramSocket sink;
    private final List<String> crashes = new ArrayList<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private int sequence;
    private int rpcId = 1000;

    @AfterEach
    void cleanUp() throws IOException {
        if (rpc != null) {
            rpc.close();
        }
        if (server != null) {
            server.close();
        }
        if (udp != null) {
            udp.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void mutatedSipAndRpcRequestsCrashNothing() throws Exception {
        udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        // Where constructed calls ring: a socket nobody reads, so that they never answer.
        sink = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        start();
        long started = System.nanoTime();
        long deadline = started + BUDGET.toNanos();

        List<Case> sipCases = sipCases();
        for (String transport : List.of("udp", "tcp")) {
            for (Case c : sipCases) {
                if (System.nanoTime() - deadline > 0) {
                    count("not run: out of time");
                    continue;
                }
                runSip(transport, c);
            }
            System.out.printf("mutation run: SIP over %s done after %d ms%n", transport,
                    (System.nanoTime() - started) / 1_000_000);
        }
        for (Case c : rpcCases()) {
            if (System.nanoTime() - deadline > 0) {
                count("not run: out of time");
                continue;
            }
            runRpc(c);
        }

        System.out.printf("mutation run: %s after %d ms; crashes: %d%n", counts,
                (System.nanoTime() - started) / 1_000_000, crashes.size());
        crashes.forEach(crash -> System.out.println("  crash: " + crash));
        // The server after the run (restarted if a case crashed it) must serve as ever.
        assertThat(server.isAlive()).isTrue();
        assertThat(optionsOverUdp()).as("OPTIONS over UDP answered").isTrue();
        assertThat(optionsOverTcp()).as("OPTIONS over TCP answered").isTrue();
        try (RpcTestClient fresh = server.connect()) {
            assertThat(fresh.request(1, "sys.call.subscribe_incoming", "{}").path("subscribed").asBoolean())
                    .isTrue();
        }
        aNormalCallCompletes();
        assertThat(crashes).as("cases after which the server stopped answering").isEmpty();
        assertThat(counts).doesNotContainKey("not run: out of time");
    }

    // ---- SIP ----

    /** One mutation: a name and the request (or frame) it makes from the case's serial number. */
    private record Case(String name, java.util.function.IntFunction<String> message) {
    }

    private List<Case> sipCases() {
        List<Case> cases = new ArrayList<>();
        List<String> headers = List.of("Via", "Max-Forwards", "From", "To", "Call-ID", "CSeq", "Contact",
                "Content-Type", "Content-Length", "User-Agent", "Subject");
        for (int length : LENGTHS) {
            String a = "a".repeat(length);
            String digits = "1".repeat(length);
            cases.add(new Case("long Request-URI user " + length, n -> invite(n, Map.of(), a)));
            cases.add(new Case("long From user " + length, n -> invite(n, Map.of("From",
                    "<sip:" + a + "@127.0.0.1>;tag=f" + n), null)));
            cases.add(new Case("long To user " + length, n -> invite(n, Map.of("To",
                    "<sip:" + a + "@127.0.0.1>"), null)));
            cases.add(new Case("long From display name " + length, n -> invite(n, Map.of("From",
                    "\"" + a + "\" <sip:fuzz@127.0.0.1>;tag=f" + n), null)));
            cases.add(new Case("long Via branch " + length, n -> invite(n, Map.of("Via",
                    "SIP/2.0/UDP 127.0.0.1:" + udp.getLocalPort() + ";branch=z9hG4bK" + a), null)));
            cases.add(new Case("long Via host " + length, n -> invite(n, Map.of("Via",
                    "SIP/2.0/UDP " + a + ".example;branch=z9hG4bK" + n), null)));
            cases.add(new Case("long Max-Forwards " + length, n -> invite(n, Map.of("Max-Forwards", digits), null)));
            cases.add(new Case("long To tag " + length, n -> invite(n, Map.of("To",
                    "<sip:cti@127.0.0.1>;tag=" + a), null)));
            cases.add(new Case("long Call-ID " + length, n -> invite(n, Map.of("Call-ID", a + n), null)));
            cases.add(new Case("long CSeq " + length, n -> invite(n, Map.of("CSeq", digits + " INVITE"), null)));
            cases.add(new Case("long Contact user " + length, n -> invite(n, Map.of("Contact",
                    "<sip:" + a + "@127.0.0.1:" + udp.getLocalPort() + ">"), null)));
            cases.add(new Case("long Content-Type " + length, n -> invite(n, Map.of("Content-Type",
                    "application/" + a), null)));
            cases.add(new Case("long Content-Length " + length, n -> invite(n, Map.of("Content-Length", digits),
                    null)));
            cases.add(new Case("long User-Agent " + length, n -> invite(n, Map.of("User-Agent", a), null)));
            cases.add(new Case("long Subject " + length, n -> invite(n, Map.of("Subject", a), null)));
        }
        for (String header : headers) {
            cases.add(new Case("empty " + header, n -> invite(n, Map.of(header, ""), null)));
            cases.add(new Case("duplicated " + header, n -> duplicate(invite(n, Map.of(), null), header)));
            cases.add(new Case("missing " + header, n -> invite(n, Map.of(header, "(remove)"), null)));
        }
        for (int depth : new int[] {1_000, 10_000}) {
            cases.add(new Case("nested User-Agent comments " + depth, n -> invite(n, Map.of("User-Agent",
                    "(".repeat(depth) + ")".repeat(depth)), null)));
            cases.add(new Case("nested angle brackets in Contact " + depth, n -> invite(n, Map.of("Contact",
                    "<".repeat(depth) + "sip:fuzz@127.0.0.1" + ">".repeat(depth)), null)));
            cases.add(new Case("nested quotes in From " + depth, n -> invite(n, Map.of("From",
                    "\"\\\"".repeat(depth) + "\" <sip:fuzz@127.0.0.1>;tag=f" + n), null)));
            cases.add(new Case("nested URI in To parameter " + depth, n -> invite(n, Map.of("To",
                    "<sip:cti@127.0.0.1;x=" + "<sip:a@b;y=".repeat(depth / 10) + ">".repeat(depth / 10) + ">"),
                    null)));
            cases.add(new Case("many Via parameters " + depth, n -> invite(n, Map.of("Via",
                    "SIP/2.0/UDP 127.0.0.1:" + udp.getLocalPort() + ";branch=z9hG4bK" + n
                    + ";p=1".repeat(depth / 2)), null)));
        }
        Random random = new Random(SEED);
        for (int i = 0; i < 30; i++) {
            long seed = random.nextLong();
            cases.add(new Case("random damage " + i, n -> damage(invite(n, Map.of(), null), new Random(seed))));
        }
        return cases;
    }

    /**
     * Returns an INVITE to the server; {@code headers} replaces the named headers' values ({@code (remove)} leaves
     * the header out), {@code requestUser} the Request-URI's user part.
     */
    private String invite(int n, Map<String, String> headers, String requestUser) {
        String sdp = "v=0\r\no=fuzz 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + sink.getLocalPort() + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Via", "SIP/2.0/UDP 127.0.0.1:" + udp.getLocalPort() + ";branch=z9hG4bKmut" + n + ";rport");
        all.put("Max-Forwards", "70");
        all.put("From", "<sip:fuzz@127.0.0.1>;tag=f" + n);
        all.put("To", "<sip:cti@127.0.0.1:" + server.sipPort() + ">");
        all.put("Call-ID", "mut-" + n + "@127.0.0.1");
        all.put("CSeq", "1 INVITE");
        all.put("Contact", "<sip:fuzz@127.0.0.1:" + udp.getLocalPort() + ">");
        all.put("Content-Type", "application/sdp");
        all.put("User-Agent", "cti4j-mutation-test");
        all.put("Subject", "mutation " + n);
        all.put("Content-Length", Integer.toString(sdp.length()));
        all.putAll(headers);
        StringBuilder out = new StringBuilder("INVITE sip:").append(requestUser != null ? requestUser : "cti")
                .append("@127.0.0.1:").append(server.sipPort()).append(" SIP/2.0\r\n");
        all.forEach((name, value) -> {
            if (!value.equals("(remove)")) {
                out.append(name).append(": ").append(value).append("\r\n");
            }
        });
        return out.append("\r\n").append(sdp).toString();
    }

    private static String duplicate(String message, String header) {
        int at = message.indexOf("\r\n" + header + ":");
        int end = message.indexOf("\r\n", at + 2);
        return message.substring(0, end) + message.substring(at, end) + message.substring(end);
    }

    /** Overwrites, inserts or deletes a few bytes at random places. */
    private static String damage(String message, Random random) {
        StringBuilder out = new StringBuilder(message);
        for (int i = 0, edits = 1 + random.nextInt(8); i < edits; i++) {
            int at = random.nextInt(out.length());
            char junk = (char) random.nextInt(256);
            switch (random.nextInt(3)) {
                case 0 -> out.setCharAt(at, junk);
                case 1 -> out.insert(at, junk);
                default -> out.deleteCharAt(at);
            }
        }
        return out.toString();
    }

    private void runSip(String transport, Case c) throws Exception {
        String name = "SIP over " + transport + ": " + c.name();
        byte[] bytes = c.message().apply(++sequence).replace("SIP/2.0/UDP", "SIP/2.0/" + transport.toUpperCase(
                java.util.Locale.ROOT)).getBytes(StandardCharsets.ISO_8859_1);
        count("SIP cases");
        ProbeResult probe;
        boolean answered;
        // The stack parses messages on several threads before its one event thread sees them: a long case may reach
        // it after a short probe sent next. Each case is given time to be seen first (its response, or at most
        // 0.5 s for a long one), so that a crash is put down to the case that caused it.
        if (transport.equals("udp")) {
            String mark = "mut" + sequence;
            udp.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), server.sipPort()));
            answered = bytes.length > 5_000 && receive(mark, Duration.ofMillis(500)) > 0;
            probe = probeOverUdp(mark);
            answered |= probe.otherResponses() > 0;
        } else {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.sipPort())) {
                answered = send(socket, bytes) && responseOrClose(socket);
                probe = probeOverUdp(null);
            }
        }
        if (answered) {
            count("SIP cases answered");
        }
        if (!probe.answered()) {
            crashed(name);
        }
    }

    private boolean send(Socket socket, byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return true;
        } catch (IOException e) {
            count("SIP over tcp: closed while sending");
            return false;
        }
    }

    /** Returns whether a response comes on the connection; counts what else happened: closed, reset, or neither. */
    private boolean responseOrClose(Socket socket) throws IOException {
        socket.setSoTimeout(500);
        InputStream in = socket.getInputStream();
        byte[] head = new byte[8];
        int read = 0;
        try {
            while (read < head.length) {
                int n = in.read(head, read, head.length - read);
                if (n < 0) {
                    count("SIP over tcp: closed without a response");
                    return false;
                }
                read += n;
            }
        } catch (SocketTimeoutException e) {
            count("SIP over tcp: neither a response nor a close");
            return false;
        } catch (IOException e) {
            count("SIP over tcp: connection reset");
            return false;
        }
        return new String(head, StandardCharsets.ISO_8859_1).startsWith("SIP/2.0 ");
    }

    /** Whether the probe OPTIONS was answered, and how many other responses came first. */
    private record ProbeResult(boolean answered, int otherResponses) {
    }

    /** Sends an OPTIONS over UDP and waits for its 200, counting the responses that mention {@code caseMark}. */
    private ProbeResult probeOverUdp(String caseMark) throws IOException {
        String callId = "probe-" + ++sequence + "@127.0.0.1";
        byte[] options = options(callId, "UDP", udp.getLocalPort()).getBytes(StandardCharsets.ISO_8859_1);
        udp.send(new DatagramPacket(options, options.length, InetAddress.getLoopbackAddress(), server.sipPort()));
        return receive(caseMark, callId, PROBE_WAIT);
    }

    /** Returns how many responses mentioning {@code caseMark} arrive within {@code wait} (stops at the first). */
    private int receive(String caseMark, Duration wait) throws IOException {
        return receive(caseMark, null, wait).otherResponses();
    }

    /**
     * Reads responses for up to {@code wait}: until the 200 to the probe {@code callId}, or if that is
     * {@code null} until the first response mentioning {@code caseMark}.
     */
    private ProbeResult receive(String caseMark, String callId, Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        byte[] buffer = new byte[65536];
        int others = 0;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return new ProbeResult(false, others);
            }
            udp.setSoTimeout((int) left);
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (SocketTimeoutException e) {
                return new ProbeResult(false, others);
            }
            String response = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.ISO_8859_1);
            if (callId != null && response.startsWith("SIP/2.0 200") && response.contains(callId)) {
                return new ProbeResult(true, others);
            }
            if (caseMark != null && response.startsWith("SIP/2.0 ") && (response.contains(caseMark + ";")
                    || response.contains("mut-" + caseMark.substring(3) + "@"))) {
                others++;
                if (callId == null) {
                    return new ProbeResult(false, others);
                }
            }
        }
    }

    private String options(String callId, String transport, int localPort) {
        return "OPTIONS sip:cti@127.0.0.1:" + server.sipPort() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " 127.0.0.1:" + localPort + ";branch=z9hG4bK" + callId.hashCode()
                + "x" + sequence + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=p" + sequence + "\r\n"
                + "To: <sip:cti@127.0.0.1>\r\nCall-ID: " + callId + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
    }

    private boolean optionsOverUdp() throws IOException {
        return probeOverUdp(null).answered();
    }

    private boolean optionsOverTcp() throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.sipPort())) {
            socket.setSoTimeout((int) PROBE_WAIT.toMillis());
            String callId = "probe-tcp-" + ++sequence + "@127.0.0.1";
            socket.getOutputStream().write(options(callId, "TCP", socket.getLocalPort())
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] head = socket.getInputStream().readNBytes(11);
            return new String(head, StandardCharsets.ISO_8859_1).equals("SIP/2.0 200");
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    // ---- JSON-RPC ----

    private List<Case> rpcCases() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        String sinkUri = "sip:sink@127.0.0.1:" + sink.getLocalPort();
        String callId = "0.0.0-sys.call-1";
        Map<String, ObjectNode> methods = new LinkedHashMap<>();
        methods.put("sys.call.construct", json.objectNode().put("from_uri", "sip:fuzz@127.0.0.1")
                .put("to_uri", sinkUri).put("max_answer_seconds", 60).put("max_ring_seconds", 5)
                .put("user_data", "u"));
        for (String method : List.of("answer", "play_stop", "record_stop", "conf_exit", "get")) {
            methods.put("sys.call." + method, json.objectNode().put("res_id", callId));
        }
        methods.put("sys.call.drop", json.objectNode().put("res_id", callId).put("cause", 200));
        methods.put("sys.call.redirect", json.objectNode().put("res_id", callId)
                .put("redirect_uri", "sip:elsewhere@127.0.0.1"));
        methods.put("sys.call.play_start", json.objectNode().put("res_id", callId).put("play_file", "a.wav"));
        methods.put("sys.call.record_start", json.objectNode().put("res_id", callId).put("record_file", "r.wav")
                .put("finish_key", "#").put("record_format", 1));
        methods.put("sys.call.conf_enter", json.objectNode().put("res_id", callId)
                .put("conf_res_id", "0.0.0-sys.conf-1"));
        methods.put("sys.call.subscribe_incoming", json.objectNode());
        methods.put("sys.call.unsubscribe_incoming", json.objectNode());
        methods.put("ext.duo_callback.construct", json.objectNode().put("from1_uri", "sip:fuzz@127.0.0.1")
                .put("to1_uri", sinkUri).put("from2_uri", "sip:fuzz@127.0.0.1").put("to2_uri", sinkUri)
                .put("max_connect_seconds", 60).put("max_ring_seconds", 5).put("user_data1", "u")
                .put("user_data2", "u"));
        for (String method : List.of("cancel", "release", "get")) {
            methods.put("ext.duo_callback." + method, json.objectNode().put("res_id", "0.0.0-ext.duo_callback-1"));
        }
        methods.put("sys.conf.construct", json.objectNode().put("max_seconds", 60).put("user_data", "u"));
        for (String method : List.of("release", "exists", "get_parts")) {
            methods.put("sys.conf." + method, json.objectNode().put("res_id", "0.0.0-sys.conf-1"));
        }

        List<Case> cases = new ArrayList<>();
        List<JsonNode> wrongTypes = List.of(json.numberNode(12345), json.textNode("12345"), json.arrayNode(),
                json.objectNode().put("x", 1), json.nullNode(), json.booleanNode(true));
        for (Map.Entry<String, ObjectNode> method : methods.entrySet()) {
            ObjectNode base = method.getValue();
            for (Iterator<String> keys = base.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                boolean uri = key.endsWith("uri");
                for (int length : new int[] {1_000, 10_000, 60_000, 100_000}) {
                    String value = uri ? "sip:" + "a".repeat(length) + "@127.0.0.1" : "a".repeat(length);
                    cases.add(rpcCase(method.getKey() + " with a " + length + "-character " + key,
                            method.getKey(), base.deepCopy().put(key, value)));
                }
                for (JsonNode wrong : wrongTypes) {
                    if (wrong.getNodeType() != base.get(key).getNodeType()) {
                        ObjectNode params = base.deepCopy();
                        params.set(key, wrong);
                        cases.add(rpcCase(method.getKey() + " with " + key + " = " + wrong, method.getKey(),
                                params));
                    }
                }
            }
            cases.add(new Case(method.getKey() + " with params nested 500 deep", n -> frame(n, method.getKey(),
                    base.deepCopy().toString().replaceFirst("^\\{", "{\"deep\":" + "[".repeat(500)
                            + "]".repeat(500) + ","))));
            cases.add(new Case(method.getKey() + " with params an array", n -> frame(n, method.getKey(), "[1,2]")));
        }
        cases.add(new Case("params nested 10000 deep", n -> frame(n, "sys.call.get", "[".repeat(10_000)
                + "]".repeat(10_000))));
        cases.add(new Case("a 60000-character method name", n -> frame(n, "a".repeat(60_000), "{}")));
        cases.add(new Case("a frame that is not JSON", n -> "{\"jsonrpc\":\"2.0\",\"id\":" + n + ",\"method\":"));
        cases.add(new Case("a frame 100000 characters long", n -> frame(n, "sys.call.get", "{\"res_id\":\""
                + "a".repeat(100_000) + "\"}")));
        return cases;
    }

    private static Case rpcCase(String name, String method, ObjectNode params) {
        String text = params.toString();
        return new Case(name, n -> frame(n, method, text));
    }

    private static String frame(int id, String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    private void runRpc(Case c) throws Exception {
        String name = "RPC: " + c.name();
        count("RPC cases");
        int id = ++rpcId;
        JsonNode reply = rpc.tryExchange(id, c.message().apply(id), PROBE_WAIT);
        if (reply != null) {
            count(reply.has("error") ? "RPC error replies" : "RPC results");
            return;
        }
        count("RPC cases without a reply");
        rpc.close();
        try {
            rpc = server.connect();
            JsonNode probe = rpc.tryExchange(1, frame(1, "sys.call.subscribe_incoming", "{}"), PROBE_WAIT);
            if (probe == null) {
                crashed(name + " (a new connection gets no reply)");
            }
        } catch (Exception | AssertionError e) {
            crashed(name + " (no new connection: " + e + ")");
        }
    }

    // ---- the server ----

    private void start() throws Exception {
        server = ServerProcess.start(dir, Map.of());
        rpc = server.connect();
    }

    /** Records a crash and restarts the server, so that the next cases are tried against a live one. */
    private void crashed(String name) throws Exception {
        crashes.add(name);
        count("server restarts");
        rpc.close();
        server.close();
        start();
    }

    private void count(String what) {
        counts.merge(what, 1, Integer::sum);
    }

    private void aNormalCallCompletes() throws Exception {
        try (AnsweringPeer callee = new AnsweringPeer()) {
            JsonNode call = rpc.request(2, "sys.call.construct", "{\"from_uri\":\"sip:it@127.0.0.1\","
                    + "\"to_uri\":\"sip:callee@127.0.0.1:" + callee.port() + "\",\"max_answer_seconds\":60}");
            Await.until("the normal call answered", Duration.ofSeconds(20), () -> callee.acked() == 1);
            rpc.request(3, "sys.call.drop", "{\"res_id\":\"" + call.path("res_id").asText() + "\"}");
            Await.until("the normal call's BYE", Duration.ofSeconds(20), () -> callee.byes() == 1);
        }
    }
}
