package org.cti4j.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.lang.reflect.Proxy;
import java.nio.channels.SelectionKey;
import org.cti4j.api.CtiEngine;
import org.cti4j.core.testing.Await;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.framing.Framedata;
import org.junit.jupiter.api.Test;

/**
 * No request stops the server, whatever its handling throws: the request is answered with an error, its connection
 * and every other one go on, and new clients still connect.
 */
class ServerRobustnessTest {

    private static final String DIAL = "{\"from_uri\":\"1000@127.0.0.1\",\"to_uri\":\"2000@127.0.0.1\","
            + "\"max_answer_seconds\":600}";

    /** The real engine, except that creating a conference throws {@code error}, as a deep bug would. */
    private static CtiEngine failingConferences(CtiEngine engine, Error error) {
        return (CtiEngine) Proxy.newProxyInstance(CtiEngine.class.getClassLoader(), new Class<?>[] {CtiEngine.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("createConference")) {
                        throw error;
                    }
                    try {
                        return method.invoke(engine, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aCallToAHundredThousandCharacterUriIsAnsweredAndTheServerGoesOn() {
        try (ServerFixture f = new ServerFixture(b -> b.maxFrameBytes(1024 * 1024));
                ServerRawClient victim = f.client(); ServerRawClient other = f.client()) {
            String longUri = "sip:" + "1".repeat(100_000) + "@127.0.0.1";
            JsonNode answer = victim.call(1, "sys.call.construct", "{\"from_uri\":\"1000@127.0.0.1\",\"to_uri\":\""
                    + longUri + "\",\"max_answer_seconds\":60}");
            assertThat(answer.path("error").path("code").asInt()).as(answer.toString()).isEqualTo(-32602);
            assertThat(answer.path("error").path("data").path("parameter").asText()).isEqualTo("to_uri");

            assertServing(f, victim, other);
        }
    }

    @Test
    void anErrorThrownByTheEngineIsAnsweredWithAnInternalErrorAndTheServerGoesOn() {
        try (ServerFixture f = new ServerFixture(engine -> failingConferences(engine, new StackOverflowError()),
                b -> b); ServerRawClient victim = f.client(); ServerRawClient other = f.client()) {
            JsonNode answer = victim.call(1, "sys.conf.construct", "{\"max_seconds\":60}");
            assertThat(answer.path("error").path("code").asInt()).as(answer.toString()).isEqualTo(-32603);
            assertThat(answer.path("error").path("message").asText()).contains("sys.conf.construct")
                    .contains("StackOverflowError");
            // In a batch, the failing request is answered and the others are carried out.
            victim.send("[{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"sys.conf.construct\","
                    + "\"params\":{\"max_seconds\":1}},{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"sys.conf.exists\","
                    + "\"params\":{\"res_id\":\"x\"}}]");
            JsonNode batch = victim.next(node -> node.isArray());
            assertThat(batch).hasSize(2);
            assertThat(batch.get(0).path("error").path("code").asInt()).isEqualTo(-32603);
            assertThat(batch.get(1).path("result").path("exists").asBoolean()).isFalse();

            assertServing(f, victim, other);
        }
    }

    @Test
    void anOutOfMemoryErrorOfOneRequestLeavesTheServerServing() {
        try (ServerFixture f = new ServerFixture(engine -> failingConferences(engine,
                new OutOfMemoryError("Java heap space (simulated)")), b -> b);
                ServerRawClient victim = f.client(); ServerRawClient other = f.client()) {
            JsonNode answer = victim.call(1, "sys.conf.construct", "{\"max_seconds\":60}");
            assertThat(answer.path("error").path("code").asInt()).as(answer.toString()).isEqualTo(-32603);
            assertServing(f, victim, other);
        }
    }

    @Test
    void aFrameWhoseWriteJavaWebSocketForgotIsStillSent() {
        try (ServerFixture f = new ServerFixture(); ServerRawClient client = f.client()) {
            assertThat(client.call(1, "sys.conf.exists", "{\"res_id\":\"x\"}").has("result")).isTrue();
            WebSocketImpl conn = (WebSocketImpl) f.server.admission().connections().iterator().next();
            // The client can read the answer before the selector thread has taken back its interest in writing.
            Await.until("the selector done writing the answer", Duration.ofSeconds(10),
                    () -> (conn.getSelectionKey().interestOps() & SelectionKey.OP_WRITE) == 0);
            // The state Java-WebSocket's race leaves: a frame queued, the key marked for reading only.
            Draft draft = conn.getDraft();
            for (Framedata frame : draft.createFrames("{\"jsonrpc\":\"2.0\",\"method\":\"test.forgotten\","
                    + "\"params\":{}}", false)) {
                conn.outQueue.add(draft.createBinaryFrame(frame));
            }

            // The client sends nothing that would make the server write: the frame goes out all the same.
            assertThat(client.event("test.forgotten").path("method").asText()).isEqualTo("test.forgotten");
        }
    }

    /** The connection that failed, another one and a new one all work, and the listener never stopped. */
    private static void assertServing(ServerFixture f, ServerRawClient victim, ServerRawClient other) {
        assertThat(victim.call(10, "sys.call.construct", DIAL).path("result").path("res_id").asText())
                .startsWith("1.2.3-sys.call-");
        assertThat(other.call(10, "sys.conf.exists", "{\"res_id\":\"x\"}").has("result")).isTrue();
        try (ServerRawClient late = f.client()) {
            JsonNode made = late.call(1, "sys.call.construct", DIAL);
            String resId = made.path("result").path("res_id").asText();
            assertThat(late.call(2, "sys.call.drop", "{\"res_id\":\"" + resId + "\"}").has("result")).isTrue();
        }
        assertThat(f.server.isListening()).isTrue();
        assertThat(f.server.fatalFailure()).isNull();
    }
}
