package org.cti4j.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.cti4j.api.CallState;
import org.cti4j.core.testing.Await;
import org.junit.jupiter.api.Test;

/** A session operates only on its own resources, unless the server shares them; resuming needs the resume token. */
class ServerOwnershipTest {

    private static final String DIAL = "{\"from_uri\":\"1000@127.0.0.1\",\"to_uri\":\"2000@127.0.0.1\","
            + "\"max_answer_seconds\":600}";

    /** What session A made: a call (answered), a conference and a duo callback. */
    private record Owned(String call, String conference, String duo) {
    }

    private static Owned makeResources(ServerFixture f, ServerRawClient a) {
        String call = a.call(1, "sys.call.construct", DIAL).path("result").path("res_id").asText();
        f.sip.nextDialled(ServerRawClient.WAIT).answer();
        a.event("sys.call.on_answered");
        String conference = a.call(2, "sys.conf.construct", "{\"max_seconds\":600}").path("result").path("res_id")
                .asText();
        String duo = a.call(3, "ext.duo_callback.construct", "{\"from1_uri\":\"400@127.0.0.1\","
                + "\"to1_uri\":\"1001@127.0.0.1\",\"from2_uri\":\"400@127.0.0.1\",\"to2_uri\":\"1002@127.0.0.1\","
                + "\"max_connect_seconds\":600}").path("result").path("res_id").asText();
        return new Owned(call, conference, duo);
    }

    /** Every operation B could try on A's resources, as method and params. */
    private static List<String[]> foreignOperations(Owned a, String ownConference, String ownCall) {
        String call = "{\"res_id\":\"" + a.call() + "\"";
        return List.of(
                new String[] {"sys.call.get", call + "}"},
                new String[] {"sys.call.play_start", call + ",\"play_file\":\"/tmp/x.wav\"}"},
                new String[] {"sys.call.play_stop", call + "}"},
                new String[] {"sys.call.record_start", call + ",\"record_file\":\"/tmp/x.wav\"}"},
                new String[] {"sys.call.record_stop", call + "}"},
                new String[] {"sys.call.answer", call + "}"},
                new String[] {"sys.call.redirect", call + ",\"redirect_uri\":\"3000@127.0.0.1\"}"},
                new String[] {"sys.call.conf_enter", call + ",\"conf_res_id\":\"" + ownConference + "\"}"},
                new String[] {"sys.call.conf_enter", "{\"res_id\":\"" + ownCall + "\",\"conf_res_id\":\""
                        + a.conference() + "\"}"},
                new String[] {"sys.call.conf_exit", call + ",\"conf_res_id\":\"" + a.conference() + "\"}"},
                new String[] {"sys.call.drop", call + "}"},
                new String[] {"sys.conf.get_parts", "{\"res_id\":\"" + a.conference() + "\"}"},
                new String[] {"sys.conf.release", "{\"res_id\":\"" + a.conference() + "\"}"},
                new String[] {"ext.duo_callback.get", "{\"res_id\":\"" + a.duo() + "\"}"},
                new String[] {"ext.duo_callback.cancel", "{\"res_id\":\"" + a.duo() + "\"}"},
                new String[] {"ext.duo_callback.release", "{\"res_id\":\"" + a.duo() + "\"}"});
    }

    @Test
    void anotherSessionsResourcesAreNotFoundAndStayUntouched() {
        try (ServerFixture f = new ServerFixture(); ServerRawClient a = f.client(); ServerRawClient b = f.client()) {
            Owned owned = makeResources(f, a);
            String ownConference = b.call(1, "sys.conf.construct", "{\"max_seconds\":600}").path("result")
                    .path("res_id").asText();
            String ownCall = b.call(2, "sys.call.construct", DIAL).path("result").path("res_id").asText();

            int id = 10;
            for (String[] operation : foreignOperations(owned, ownConference, ownCall)) {
                JsonNode answer = b.call(id++, operation[0], operation[1]);
                assertThat(answer.path("error").path("code").asInt()).as(operation[0] + " " + answer).isEqualTo(404);
                assertThat(answer.path("error").path("message").asText()).startsWith("no ");
            }
            // No existence oracle: a foreign res_id answers exactly as one that never existed.
            String unknown = owned.conference().substring(0, owned.conference().length() - 3) + "999";
            JsonNode foreign = b.call(id++, "sys.conf.get_parts", "{\"res_id\":\"" + owned.conference() + "\"}");
            JsonNode missing = b.call(id++, "sys.conf.get_parts", "{\"res_id\":\"" + unknown + "\"}");
            assertThat(foreign.path("error").path("message").asText().replace(owned.conference(), "X"))
                    .isEqualTo(missing.path("error").path("message").asText().replace(unknown, "X"));
            assertThat(b.call(id++, "sys.conf.exists", "{\"res_id\":\"" + owned.conference() + "\"}")
                    .path("result").path("exists").asBoolean()).isFalse();

            // A's resources are as they were, and A still operates on them.
            assertThat(f.engine.call(owned.call()).state()).isEqualTo(CallState.IDLE);
            assertThat(f.engine.find(owned.conference())).isPresent();
            assertThat(f.engine.find(owned.duo())).isPresent();
            assertThat(a.call(20, "sys.conf.exists", "{\"res_id\":\"" + owned.conference() + "\"}").path("result")
                    .path("exists").asBoolean()).isTrue();
            assertThat(a.call(21, "sys.call.conf_enter", "{\"res_id\":\"" + owned.call() + "\",\"conf_res_id\":\""
                    + owned.conference() + "\"}").has("result")).isTrue();
            assertThat(a.call(22, "sys.call.drop", "{\"res_id\":\"" + owned.call() + "\"}").has("result")).isTrue();
            assertThat(a.call(23, "ext.duo_callback.release", "{\"res_id\":\"" + owned.duo() + "\"}")
                    .has("result")).isTrue();
        }
    }

    @Test
    void aServerThatSharesResourcesLetsAnySessionOperateOnAnyResource() {
        try (ServerFixture f = new ServerFixture(builder -> builder.shareResources(true));
                ServerRawClient a = f.client(); ServerRawClient b = f.client()) {
            Owned owned = makeResources(f, a);
            assertThat(b.call(1, "sys.call.get", "{\"res_id\":\"" + owned.call() + "\"}").path("result")
                    .path("state").asText()).isEqualTo("idle");
            assertThat(b.call(2, "sys.call.conf_enter", "{\"res_id\":\"" + owned.call() + "\",\"conf_res_id\":\""
                    + owned.conference() + "\"}").has("result")).isTrue();
            assertThat(b.call(3, "sys.conf.exists", "{\"res_id\":\"" + owned.conference() + "\"}").path("result")
                    .path("exists").asBoolean()).isTrue();
            assertThat(b.call(4, "sys.call.drop", "{\"res_id\":\"" + owned.call() + "\"}").has("result")).isTrue();
            assertThat(b.call(5, "ext.duo_callback.release", "{\"res_id\":\"" + owned.duo() + "\"}").has("result"))
                    .isTrue();
            // The events still go to the owner.
            assertThat(a.event("sys.call.on_released").path("params").path("res_id").asText())
                    .isEqualTo(owned.call());
        }
    }

    @Test
    void aSessionCannotBeResumedWithItsIdAloneNorWithAWrongToken() {
        try (ServerFixture f = new ServerFixture(); ServerRawClient a = ServerRawClient.connect(f.uri())) {
            JsonNode started = a.event("rpc.on_session").path("params");
            String sessionId = started.path("session_id").asText();
            String token = started.path("resume_token").asText();
            assertThat(token).matches("[0-9a-f]{64}");
            String call = a.call(1, "sys.call.construct", DIAL).path("result").path("res_id").asText();

            String wrong = (token.charAt(0) == '0' ? "1" : "0") + token.substring(1);
            for (String uri : List.of(f.uri() + "?session_id=" + sessionId + "&last_seq=0",
                    ServerSessionsTest.resume(f, sessionId, wrong, 0).toString())) {
                try (ServerRawClient thief = ServerRawClient.connect(java.net.URI.create(uri))) {
                    JsonNode session = thief.next().path("params");
                    assertThat(session.path("resumed").asBoolean()).isFalse();
                    assertThat(session.path("session_id").asText()).isNotEqualTo(sessionId);
                    assertThat(session.path("resume_token").asText()).isNotEqualTo(token);
                    assertThat(session.path("reason").asText()).contains(sessionId).contains("resume_token");
                    assertThat(thief.call(2, "sys.call.drop", "{\"res_id\":\"" + call + "\"}").path("error")
                            .path("code").asInt()).isEqualTo(404);
                }
            }
            // A was neither closed nor robbed of its events.
            f.sip.nextDialled(ServerRawClient.WAIT).answer();
            assertThat(a.event("sys.call.on_answered").path("params").path("res_id").asText()).isEqualTo(call);
            assertThat(f.engine.call(call).state()).isEqualTo(CallState.IDLE);
            a.abort();
            Await.until("the server noticed A left", ServerRawClient.WAIT,
                    () -> !f.server.sessions().isConnected(sessionId));
            try (ServerRawClient back = ServerRawClient.connect(ServerSessionsTest.resume(f, sessionId, token, 0))) {
                assertThat(back.next().path("params").path("resumed").asBoolean()).isTrue();
                assertThat(back.call(3, "sys.call.drop", "{\"res_id\":\"" + call + "\"}").has("result")).isTrue();
            }
        }
    }
}
