package org.cti4j.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.Test;

/** {@code voice_mode} of {@code sys.call.conf_enter} and {@code sys.call.conf_voice_mode}, frame by frame. */
class ServerConfVoiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DIAL = "{\"from_uri\":\"1000@127.0.0.1\",\"to_uri\":\"sip:2000@127.0.0.1:5062\","
            + "\"max_answer_seconds\":600}";
    private static final ScriptedMedia.Voice LISTEN_ONLY = new ScriptedMedia.Voice(true, false, Optional.empty());

    private static void assertFrame(JsonNode frame, String expected) throws Exception {
        assertThat(frame).isEqualTo(JSON.readTree(expected));
    }

    private static String conference(ServerRawClient client) {
        return client.call(1, "sys.conf.construct", "{\"max_seconds\":600}").path("result").path("res_id").asText();
    }

    private static String answeredCall(ServerFixture f, ServerRawClient client, int id) {
        String resId = client.call(id, "sys.call.construct", DIAL).path("result").path("res_id").asText();
        f.sip.nextDialled(ServerRawClient.WAIT).answer();
        client.next(frame -> frame.path("method").asText().equals("sys.call.on_answered")
                && frame.path("params").path("res_id").asText().equals(resId));
        return resId;
    }

    private static void awaitVoice(ServerFixture f, int session, ScriptedMedia.Voice voice) {
        Await.until("voice " + voice, ServerRawClient.WAIT,
                () -> f.media.mixers().get(0).voice(f.media.sessions().get(session)).equals(voice));
    }

    @Test
    void aSupervisorEntersListeningOnlyThenCoachesTheAgent() throws Exception {
        try (ServerFixture f = new ServerFixture(); ServerRawClient client = f.client()) {
            String conf = conference(client);
            String customer = answeredCall(f, client, 2);
            String agent = answeredCall(f, client, 3);
            String supervisor = answeredCall(f, client, 4);
            String enter = "{\"res_id\":\"%s\",\"conf_res_id\":\"" + conf + "\"%s}";

            assertFrame(client.call(5, "sys.call.conf_enter", enter.formatted(customer, "")),
                    "{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"res_id\":\"" + customer + "\"}}");
            assertFrame(client.call(6, "sys.call.conf_enter", enter.formatted(agent, ",\"voice_mode\":1")),
                    "{\"jsonrpc\":\"2.0\",\"id\":6,\"result\":{\"res_id\":\"" + agent + "\"}}");
            assertFrame(client.call(7, "sys.call.conf_enter", enter.formatted(supervisor, ",\"voice_mode\":2")),
                    "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"res_id\":\"" + supervisor + "\"}}");
            awaitVoice(f, 2, LISTEN_ONLY);
            assertThat(f.media.mixers().get(0).voice(f.media.sessions().get(1))).isEqualTo(ScriptedMedia.Voice.ALL);

            assertFrame(client.call(8, "sys.call.conf_voice_mode",
                    enter.formatted(supervisor, ",\"voice_mode\":4,\"coached_res_id\":\"" + agent + "\"")),
                    "{\"jsonrpc\":\"2.0\",\"id\":8,\"result\":{\"res_id\":\"" + supervisor + "\"}}");
            awaitVoice(f, 2, new ScriptedMedia.Voice(true, false, Optional.of(f.media.sessions().get(1))));
        }
    }

    @Test
    void badVoicesAreRefusedWithClearErrorsAndChangeNothing() throws Exception {
        try (ServerFixture f = new ServerFixture(); ServerRawClient client = f.client()) {
            String conf = conference(client);
            String agent = answeredCall(f, client, 2);
            String supervisor = answeredCall(f, client, 3);
            String enter = "{\"res_id\":\"%s\",\"conf_res_id\":\"" + conf + "\"%s}";
            client.call(4, "sys.call.conf_enter", enter.formatted(agent, ""));

            assertFrame(client.call(5, "sys.call.conf_enter", enter.formatted(supervisor, ",\"voice_mode\":7")),
                    "{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":{\"code\":-32602,\"message\":\"voice_mode 7 is not one"
                            + " of 1 (speak and listen), 2 (listen only), 3 (speak only), 4 (coach)\","
                            + "\"data\":{\"parameter\":\"voice_mode\"}}}");
            assertFrame(client.call(6, "sys.call.conf_enter", enter.formatted(supervisor, ",\"voice_mode\":4")),
                    "{\"jsonrpc\":\"2.0\",\"id\":6,\"error\":{\"code\":-32602,\"message\":\"coached_res_id is "
                            + "missing: voice_mode 4 (coach) names the one member that hears the coach\","
                            + "\"data\":{\"parameter\":\"coached_res_id\"}}}");
            assertFrame(client.call(7, "sys.call.conf_enter",
                    enter.formatted(supervisor, ",\"voice_mode\":4,\"coached_res_id\":\"" + supervisor + "\"")),
                    "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32602,\"message\":\"call " + supervisor
                            + " cannot coach itself\",\"data\":{\"parameter\":\"coached_res_id\"}}}");
            String stranger = "1.2.3-sys.call-42";
            assertFrame(client.call(8, "sys.call.conf_enter",
                    enter.formatted(supervisor, ",\"voice_mode\":4,\"coached_res_id\":\"" + stranger + "\"")),
                    "{\"jsonrpc\":\"2.0\",\"id\":8,\"error\":{\"code\":-32602,\"message\":\"call " + stranger
                            + " is not in this conference: a coach coaches a member of its own conference\","
                            + "\"data\":{\"parameter\":\"coached_res_id\"}}}");
            JsonNode notIn = client.call(9, "sys.call.conf_voice_mode", enter.formatted(supervisor,
                    ",\"voice_mode\":2"));
            assertThat(notIn.path("error").path("code").asInt()).isEqualTo(409);
            assertThat(notIn.path("error").path("message").asText()).contains("it is in no conference");
            assertThat(notIn.path("error").path("data").path("operation").asText()).isEqualTo("conf_voice_mode");
            assertThat(client.call(10, "sys.call.get", "{\"res_id\":\"" + supervisor + "\"}").path("result")
                    .path("state").asText()).as("nothing changed").isEqualTo("idle");
            assertThat(f.media.mixers().get(0).members()).hasSize(1);
        }
    }
}
