package org.cti4j.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Bad input, frame by frame: each gets the JSON-RPC error PROTOCOL.md gives for it, names what was wrong, changes
 * nothing, and the connection (and every other session) goes on being served.
 */
class ServerBadInputTest {

    private static JsonNode error(JsonNode response, int code) {
        assertThat(response.path("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(response.has("result")).as("a result in %s", response).isFalse();
        JsonNode error = response.path("error");
        assertThat(error.path("code").asInt()).as("%s", response).isEqualTo(code);
        assertThat(error.path("message").isTextual()).isTrue();
        assertThat(error.path("data").isObject()).isTrue();
        return error;
    }

    /** The connection still serves: a request right after gets its answer. */
    private static void stillServes(ServerRawClient client) {
        JsonNode response = client.call(999, "sys.conf.exists", "{\"res_id\":\"1.2.3-sys.conf-1\"}");
        assertThat(response.path("result").path("exists").asBoolean()).isFalse();
    }

    @Test
    void malformedJsonIsAParseErrorWithANullId() {
        try (ServerFixture f = new ServerFixture(); ServerRawClient client = f.client()) {
            for (String frame : new String[] {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":", "not json", "{} {}",
                "{\"jsonrpc\":\"2.0\",\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"sys.conf.exists\"}"}) {
                JsonNode response = client.send(frame).next();
                JsonNode error = error(response, -32700);
                assertThat(response.path("id").isNull()).isTrue();
                assertThat(error.path("message").asText()).startsWith("parse error");
            }
            stillServes(client);
        }
    }

    @Test
    void framesThatAreNotRequestsAreInvalidRequests() {
        try (ServerFixture f = new ServerFixture(); ServerRawClient client = f.client()) {
            assertThat(error(client.send("42").next(), -32600).path("message").asText()).contains("JSON object");
            assertThat(error(client.send("[]").next(), -32600).path("message").asText()).contains("empty batch");
            assertThat(error(client.send("{\"id\":1,\"method\":\"sys.conf.exists\"}").next(), -32600)
                    .path("message").asText()).contains("jsonrpc");
            assertThat(error(client.send("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"sys.conf.exists\"}").next(),
                    -32600).path("message").asText()).contains("2.0");
            JsonNode noMethod = client.send("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":12}").next();
            assertThat(error(noMethod, -32600).path("message").asText()).contains("method");
            assertThat(noMethod.path("id").asInt()).isEqualTo(7);
            assertThat(error(client.send("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"x\"}").next(), -32600)
                    .path("message").asText()).contains("id");
            assertThat(error(client.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"sys.conf.exists\",\"params\":3}")
                    .next(), -32600).path("message").asText()).contains("params");
            assertThat(error(client.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"sys.conf.exists\",\"parms\":{}}")
                    .next(), -32600).path("message").asText()).contains("parms");
            stillServes(client);
        }
    }

    @Test
    void anUnknownMethodIsNamed() {
        try (ServerFixture f = new ServerFixture(); ServerRawClient client = f.client()) {
            JsonNode error = error(client.call(1, "sys.call.teleport", "{}"), -32601);
            assertThat(error.path("message").asText()).contains("sys.call.teleport");
            assertThat(error.path("data").path("method").asText()).isEqualTo("sys.call.teleport");
            stillServes(client);
        }
    }

    @Test
    void missingMistypedBadAndUnknownParamsNameTheParameter() {
        try (ServerFixture f = new ServerFixture(); ServerRawClient client = f.client()) {
            JsonNode missing = error(client.call(1, "sys.call.construct",
                    "{\"from_uri\":\"1000@127.0.0.1\",\"to_uri\":\"2000@127.0.0.1\"}"), -32602);
            assertThat(missing.path("data").path("parameter").asText()).isEqualTo("max_answer_seconds");
            assertThat(missing.path("message").asText()).contains("missing").contains("max_answer_seconds");

            JsonNode quoted = error(client.call(2, "sys.call.construct", "{\"from_uri\":\"1000@127.0.0.1\","
                    + "\"to_uri\":\"2000@127.0.0.1\",\"max_answer_seconds\":\"600\"}"), -32602);
            assertThat(quoted.path("message").asText()).contains("max_answer_seconds").contains("integer")
                    .contains("\"600\"");
            JsonNode fraction = error(client.call(3, "sys.call.construct", "{\"from_uri\":\"1000@127.0.0.1\","
                    + "\"to_uri\":\"2000@127.0.0.1\",\"max_answer_seconds\":1.5}"), -32602);
            assertThat(fraction.path("data").path("parameter").asText()).isEqualTo("max_answer_seconds");

            JsonNode badUri = error(client.call(4, "sys.call.construct", "{\"from_uri\":\"not a uri\","
                    + "\"to_uri\":\"2000@127.0.0.1\",\"max_answer_seconds\":60}"), -32602);
            assertThat(badUri.path("data").path("parameter").asText()).isEqualTo("from_uri");
            assertThat(badUri.path("message").asText()).contains("not a uri");

            JsonNode negative = error(client.call(5, "sys.call.construct", "{\"from_uri\":\"1000@127.0.0.1\","
                    + "\"to_uri\":\"2000@127.0.0.1\",\"max_answer_seconds\":-1}"), -32602);
            assertThat(negative.path("data").path("parameter").asText()).isEqualTo("max_answer_seconds");

            JsonNode badMode = error(client.call(6, "ext.duo_callback.construct", "{\"from1_uri\":\"a@127.0.0.1\","
                    + "\"to1_uri\":\"b@127.0.0.1\",\"from2_uri\":\"a@127.0.0.1\",\"to2_uri\":\"c@127.0.0.1\","
                    + "\"max_connect_seconds\":60,\"ring_play_mode\":7}"), -32602);
            assertThat(badMode.path("data").path("parameter").asText()).isEqualTo("ring_play_mode");
            JsonNode badFormat = error(client.call(7, "ext.duo_callback.construct", "{\"from1_uri\":\"a@127.0.0.1\","
                    + "\"to1_uri\":\"b@127.0.0.1\",\"from2_uri\":\"a@127.0.0.1\",\"to2_uri\":\"c@127.0.0.1\","
                    + "\"max_connect_seconds\":60,\"record_format\":9}"), -32602);
            assertThat(badFormat.path("data").path("parameter").asText()).isEqualTo("record_format");

            JsonNode unknown = error(client.call(8, "sys.conf.construct",
                    "{\"max_seconds\":60,\"recordfile\":\"x.wav\"}"), -32602);
            assertThat(unknown.path("data").path("parameter").asText()).isEqualTo("recordfile");
            JsonNode positional = error(client.call(9, "sys.conf.construct", "[60]"), -32602);
            assertThat(positional.path("message").asText()).contains("named");

            assertThat(f.sip.legs()).as("nothing was dialled by the refused requests").isEmpty();
            assertThat(f.engine.resources()).as("nothing was created").isEmpty();
            stillServes(client);
        }
    }

    @Test
    void anUnknownResIdAndAWrongStateGetTheApplicationsCodes() {
        try (ServerFixture f = new ServerFixture(); ServerRawClient client = f.client()) {
            JsonNode unknown = error(client.call(1, "sys.call.drop", "{\"res_id\":\"1.2.3-sys.call-42\"}"), 404);
            assertThat(unknown.path("data").path("res_id").asText()).isEqualTo("1.2.3-sys.call-42");
            assertThat(unknown.path("message").asText()).contains("1.2.3-sys.call-42");

            String resId = client.call(2, "sys.call.construct", "{\"from_uri\":\"1000@127.0.0.1\","
                    + "\"to_uri\":\"2000@127.0.0.1\",\"max_answer_seconds\":60}").path("result").path("res_id")
                    .asText();
            f.dirs.sound("a.wav");
            JsonNode refused = error(client.call(3, "sys.call.play_start",
                    "{\"res_id\":\"" + resId + "\",\"play_file\":\"a.wav\"}"), 409);
            assertThat(refused.path("data").path("res_id").asText()).isEqualTo(resId);
            assertThat(refused.path("data").path("state").asText()).isEqualTo("initiated");
            assertThat(refused.path("data").path("operation").asText()).isEqualTo("play_start");
            assertThat(refused.path("message").asText()).contains(resId).contains("INITIATED");
            JsonNode answerOutbound = error(client.call(4, "sys.call.answer", "{\"res_id\":\"" + resId + "\"}"), 409);
            assertThat(answerOutbound.path("data").path("operation").asText()).isEqualTo("answer");

            assertThat(f.engine.call(resId).state().name()).as("the call went on").isEqualTo("INITIATED");
            stillServes(client);
        }
    }

    @Test
    void notificationsAreCarriedOutAndNeverAnsweredEvenWhenTheyFail() throws Exception {
        try (ServerFixture f = new ServerFixture(); ServerRawClient client = f.client()) {
            client.send("{\"jsonrpc\":\"2.0\",\"method\":\"sys.conf.construct\",\"params\":{\"max_seconds\":60}}");
            client.send("{\"jsonrpc\":\"2.0\",\"method\":\"sys.call.teleport\"}");
            assertThat(client.nothingWithin(Duration.ofMillis(300))).isTrue();
            org.cti4j.core.testing.Await.until("the conference made", ServerRawClient.WAIT,
                    () -> f.engine.resources().size() == 1);
        }
    }

    @Test
    void aBatchIsAnsweredInOrderLeavingOutNotifications() {
        try (ServerFixture f = new ServerFixture(); ServerRawClient client = f.client()) {
            JsonNode responses = client.send("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"sys.conf.construct\","
                    + "\"params\":{\"max_seconds\":60}},{\"jsonrpc\":\"2.0\",\"method\":\"sys.conf.construct\","
                    + "\"params\":{\"max_seconds\":60}},7,{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"nope\"}]")
                    .next();
            assertThat(responses.isArray()).isTrue();
            assertThat(responses).hasSize(3);
            assertThat(responses.get(0).path("result").path("res_id").asText()).contains("sys.conf");
            assertThat(responses.get(1).path("error").path("code").asInt()).isEqualTo(-32600);
            assertThat(responses.get(2).path("id").asText()).isEqualTo("x");
            assertThat(responses.get(2).path("error").path("code").asInt()).isEqualTo(-32601);
        }
    }

    @Test
    void binaryFramesAreRefusedAndTheConnectionGoesOn() {
        try (ServerFixture f = new ServerFixture()) {
            // The JDK client sends binary frames through sendBinary; the raw client only sends text, so use it here.
            java.net.http.WebSocket[] socket = new java.net.http.WebSocket[1];
            java.util.concurrent.BlockingQueue<String> texts = new java.util.concurrent.LinkedBlockingQueue<>();
            socket[0] = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(f.uri(), new java.net.http.WebSocket.Listener() {
                        @Override
                        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws,
                                CharSequence data, boolean last) {
                            texts.add(data.toString());
                            ws.request(1);
                            return null;
                        }
                    }).join();
            socket[0].sendBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
            org.cti4j.core.testing.Await.until("the refusal", ServerRawClient.WAIT,
                    () -> texts.stream().anyMatch(t -> t.contains("binary frames")));
            socket[0].abort();
        }
    }

    @Test
    void aConnectionWhoseRequestTargetCannotBeReadIsRefusedAndOthersGoOn() throws Exception {
        try (ServerFixture f = new ServerFixture(); ServerRawClient other = f.client()) {
            try (ServerRawClient notANumber = ServerRawClient.connect(URI.create(f.uri()
                    + "?last_seq=abc"))) {
                JsonNode refusal = notANumber.next();
                assertThat(refusal.path("error").path("code").asInt()).isEqualTo(-32600);
                assertThat(refusal.path("error").path("message").asText()).contains("last_seq 'abc'");
                assertThat(notANumber.awaitClose()).isEqualTo(1008);
            }
            // A malformed escape, which no URI class lets a client send (only a raw socket can): refused at the upgrade.
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), f.server.port())) {
                socket.setSoTimeout((int) ServerRawClient.WAIT.toMillis());
                String upgrade = """
                        GET /rpc?last_seq=%zz HTTP/1.1
                        Host: x
                        Upgrade: websocket
                        Connection: Upgrade
                        Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
                        Sec-WebSocket-Version: 13

                        """.replace("\n", "\r\n");
                socket.getOutputStream().write(upgrade.getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                StringBuilder headers = new StringBuilder();
                while (!headers.toString().endsWith("\r\n\r\n")) {
                    int next = in.read();
                    assertThat(next).as("an answer before the end of the stream: " + headers).isNotNegative();
                    headers.append((char) next);
                }
                assertThat(headers.toString()).startsWith("HTTP/1.1 404");
            }
            assertThat(f.server.unexpectedFailures()).isZero();
            stillServes(other);
        }
    }
}
