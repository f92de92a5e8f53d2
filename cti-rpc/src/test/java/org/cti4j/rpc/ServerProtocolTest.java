package org.cti4j.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Drives the server with raw JSON frames, as a client in another language would, through every method, and checks
 * every result and event frame against the specification's names and types.
 */
class ServerProtocolTest {

    private static final String DIAL = "{\"from_uri\":\"1000@127.0.0.1\",\"to_uri\":\"sip:2000@127.0.0.1:5062\","
            + "\"max_answer_seconds\":600,\"max_ring_seconds\":30,\"user_data\":\"ticket-7\"}";

    /** Checks the frame is a notification of {@code method} with exactly {@code names} (and seq) in its params. */
    private static JsonNode assertEvent(JsonNode frame, String method, String... names) {
        assertThat(frame.path("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(frame.has("id")).as("a notification has no id").isFalse();
        assertThat(frame.path("method").asText()).isEqualTo(method);
        JsonNode params = frame.path("params");
        List<String> fields = new ArrayList<>();
        params.fieldNames().forEachRemaining(fields::add);
        List<String> expected = new ArrayList<>(List.of(names));
        expected.add("seq");
        assertThat(fields).as(method + " params").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(params.path("seq").isIntegralNumber()).isTrue();
        return params;
    }

    private static JsonNode result(JsonNode response) {
        assertThat(response.has("error")).as("error in %s", response).isFalse();
        return response.path("result");
    }

    @Test
    void greetsEveryConnectionWithItsSession() {
        try (ServerFixture f = new ServerFixture();
                ServerRawClient client = ServerRawClient.connect(f.uri())) {
            JsonNode session = client.next();
            assertThat(session.path("method").asText()).isEqualTo("rpc.on_session");
            JsonNode p = session.path("params");
            assertThat(p.path("session_id").asText()).matches("[0-9a-f]{32}");
            assertThat(p.path("resumed").asBoolean()).isFalse();
            assertThat(p.path("node_id").asText()).isEqualTo("1.2.3");
            assertThat(p.path("last_seq").asLong()).isZero();
            assertThat(p.path("lost").asLong()).isZero();
            assertThat(p.path("reason").isNull()).isTrue();
        }
    }

    @Nested
    class Calls {

        @Test
        void anOutboundCallThroughEveryOperationAndEvent() {
            try (ServerFixture f = new ServerFixture(); ServerRawClient client = f.client()) {
                JsonNode constructed = result(client.call(1, "sys.call.construct", DIAL));
                String resId = constructed.path("res_id").asText();
                assertThat(resId).matches("1\\.2\\.3-sys\\.call-\\d+");
                assertThat(constructed.path("ipsc_info").path("process_id").isIntegralNumber()).isTrue();
                assertThat(resId).endsWith("-" + constructed.path("ipsc_info").path("process_id").asLong());
                assertThat(constructed.path("to_uri").asText()).isEqualTo("sip:2000@127.0.0.1:5062");
                assertThat(constructed.path("user_data").asText()).isEqualTo("ticket-7");

                ScriptedSignaling.Outbound far = f.sip.nextDialled(ServerRawClient.WAIT);
                far.answer();
                JsonNode dialled = assertEvent(client.event("sys.call.on_dial_completed"),
                        "sys.call.on_dial_completed", "res_id", "begin_time", "answer_time", "end_time", "error");
                assertThat(dialled.path("res_id").asText()).isEqualTo(resId);
                assertThat(dialled.path("begin_time").isIntegralNumber()).isTrue();
                assertThat(dialled.path("answer_time").isIntegralNumber()).isTrue();
                assertThat(dialled.path("end_time").isIntegralNumber()).isTrue();
                assertThat(dialled.path("error").isNull()).isTrue();
                JsonNode answered = assertEvent(client.event("sys.call.on_answered"), "sys.call.on_answered",
                        "res_id", "answer_time");
                assertThat(answered.path("seq").asLong()).isEqualTo(dialled.path("seq").asLong() + 1);
                Await.until("idle", ServerRawClient.WAIT, () -> state(client, resId).equals("idle"));

                JsonNode got = result(client.call(2, "sys.call.get", "{\"res_id\":\"" + resId + "\"}"));
                assertThat(got.path("call_dir").asText()).isEqualTo("outbound");
                assertThat(got.path("from_uri").asText()).isEqualTo("sip:1000@127.0.0.1");
                assertThat(got.path("playing").isBoolean()).isTrue();
                assertThat(got.path("conf_res_id").isNull()).isTrue();
                assertThat(got.path("user_data").asText()).isEqualTo("ticket-7");

                f.dirs.sound("prompt.wav");
                assertThat(result(client.call(3, "sys.call.play_start",
                        "{\"res_id\":\"" + resId + "\",\"play_file\":\"prompt.wav\"}")).path("res_id").asText())
                        .isEqualTo(resId);
                assertThat(state(client, resId)).isEqualTo("play");
                ScriptedMedia.Session media = f.media.sessions().get(0);
                media.last("play").finish();
                JsonNode played = assertEvent(client.event("sys.call.on_play_completed"),
                        "sys.call.on_play_completed", "res_id", "play_file", "reason", "finish_key", "error");
                assertThat(played.path("play_file").asText()).as("the name, not the server's path")
                        .isEqualTo("prompt.wav");
                assertThat(played.path("reason").asText()).isEqualTo("finished");

                result(client.call(4, "sys.call.play_start",
                        "{\"res_id\":\"" + resId + "\",\"play_file\":\"prompt.wav\"}"));
                result(client.call(5, "sys.call.play_stop", "{\"res_id\":\"" + resId + "\"}"));
                assertThat(client.event("sys.call.on_play_completed").path("params").path("reason").asText())
                        .isEqualTo("stopped");
                result(client.call(41, "sys.call.play_start", "{\"res_id\":\"" + resId
                        + "\",\"play_file\":[\"prompt.wav\",\"prompt.wav\"],\"play_repeat\":3,\"finish_key\":\"*#\"}"));
                assertThat(media.last("play").what()).startsWith("play /").endsWith("/prompt.wav repeat 3");
                media.dtmf('#');
                client.event("sys.call.on_dtmf");
                JsonNode keyed = client.event("sys.call.on_play_completed").path("params");
                assertThat(keyed.path("reason").asText()).isEqualTo("finish_key");
                assertThat(keyed.path("finish_key").asText()).isEqualTo("#");
                assertThat(keyed.path("play_file").asText()).isEqualTo("prompt.wav");
                for (String bad : List.of("[]", "[1]", "{}", "[\"prompt.wav\",null]", "42")) {
                    JsonNode refused = client.call(42, "sys.call.play_start", "{\"res_id\":\"" + resId
                            + "\",\"play_file\":" + bad + "}");
                    assertThat(refused.path("error").path("code").asInt()).as(bad).isEqualTo(-32602);
                    assertThat(refused.path("error").path("data").path("parameter").asText()).as(bad)
                            .isEqualTo("play_file");
                }
                JsonNode tooMany = client.call(43, "sys.call.play_start", "{\"res_id\":\"" + resId
                        + "\",\"play_file\":[" + String.join(",", java.util.Collections.nCopies(33, "\"prompt.wav\""))
                        + "]}");
                assertThat(tooMany.path("error").path("message").asText()).contains("1 to 32");
                JsonNode repeat = client.call(44, "sys.call.play_start", "{\"res_id\":\"" + resId
                        + "\",\"play_file\":\"prompt.wav\",\"play_repeat\":100}");
                assertThat(repeat.path("error").path("data").path("parameter").asText()).isEqualTo("play_repeat");
                JsonNode key = client.call(45, "sys.call.play_start", "{\"res_id\":\"" + resId
                        + "\",\"play_file\":\"prompt.wav\",\"finish_key\":\"x\"}");
                assertThat(key.path("error").path("data").path("parameter").asText()).isEqualTo("finish_key");
                assertThat(state(client, resId)).as("nothing played by the refused requests").isEqualTo("idle");

                result(client.call(6, "sys.call.record_start", "{\"res_id\":\"" + resId
                        + "\",\"record_file\":\"r.wav\",\"finish_key\":\"#\",\"record_format\":2}"));
                media.dtmf('5');
                JsonNode dtmf = assertEvent(client.event("sys.call.on_dtmf"), "sys.call.on_dtmf", "res_id", "digit");
                assertThat(dtmf.path("digit").asText()).isEqualTo("5");
                media.dtmf('#');
                JsonNode recorded = assertEvent(client.event("sys.call.on_record_completed"),
                        "sys.call.on_record_completed", "res_id", "record_file", "reason", "finish_key", "error");
                assertThat(recorded.path("reason").asText()).isEqualTo("finish_key");
                assertThat(recorded.path("finish_key").asText()).isEqualTo("#");
                result(client.call(7, "sys.call.record_start",
                        "{\"res_id\":\"" + resId + "\",\"record_file\":\"r2.wav\"}"));
                result(client.call(8, "sys.call.record_stop", "{\"res_id\":\"" + resId + "\"}"));
                assertThat(client.event("sys.call.on_record_completed").path("params").path("reason").asText())
                        .isEqualTo("stopped");

                result(client.call(9, "sys.call.drop", "{\"res_id\":\"" + resId + "\",\"cause\":486}"));
                JsonNode released = assertEvent(client.event("sys.call.on_released"), "sys.call.on_released",
                        "res_id", "call_dir", "from_uri", "to_uri", "begin_time", "answer_time", "end_time",
                        "dropped_by", "cause", "user_data");
                assertThat(released.path("call_dir").asText()).isEqualTo("outbound");
                assertThat(released.path("dropped_by").asText()).isEqualTo("sys");
                assertThat(released.path("cause").asInt()).isEqualTo(486);
                assertThat(released.path("user_data").asText()).isEqualTo("ticket-7");
                assertThat(far.awaitAction("hangup", ServerRawClient.WAIT)).isEqualTo("hangup 486");
            }
        }

        @Test
        void digitsAreCollectedAfterAPromptAndStoppedByEitherName() {
            try (ServerFixture f = new ServerFixture(); ServerRawClient client = f.client()) {
                String resId = result(client.call(1, "sys.call.construct", DIAL)).path("res_id").asText();
                f.sip.nextDialled(ServerRawClient.WAIT).answer();
                client.event("sys.call.on_answered");
                f.dirs.sound("menu.wav");

                result(client.call(2, "sys.call.receive_dtmf_start", "{\"res_id\":\"" + resId + "\",\"valid_keys\":"
                        + "\"0123456789\",\"max_keys\":4,\"finish_keys\":\"#\",\"first_key_timeout\":20,"
                        + "\"continues_keys_timeout\":5,\"play_file\":\"menu.wav\",\"play_repeat\":1,"
                        + "\"breaking_on_key\":true,\"including_finish_key\":false}"));
                assertThat(state(client, resId)).as("the prompt plays").isEqualTo("play");
                ScriptedMedia.Session media = f.media.sessions().get(0);
                assertThat(media.last("play").what()).contains("menu.wav");
                media.dtmf('4');
                media.dtmf('2');
                media.dtmf('#');
                JsonNode done = assertEvent(client.event("sys.call.on_receive_dtmf_completed"),
                        "sys.call.on_receive_dtmf_completed", "res_id", "error", "begin_time", "end_time", "keys",
                        "reason");
                assertThat(done.path("keys").asText()).isEqualTo("42");
                assertThat(done.path("reason").asText()).isEqualTo("finish_key");
                assertThat(done.path("error").isNull()).isTrue();
                assertThat(done.path("begin_time").isIntegralNumber()).isTrue();
                assertThat(done.path("end_time").isIntegralNumber()).isTrue();

                result(client.call(3, "sys.call.receive_dtmf_start", "{\"res_id\":\"" + resId + "\"}"));
                media.dtmf('7');
                result(client.call(4, "sys.call.receive_dtmf_stop", "{\"res_id\":\"" + resId + "\"}"));
                JsonNode stopped = client.event("sys.call.on_receive_dtmf_completed").path("params");
                assertThat(stopped.path("keys").asText()).isEqualTo("7");
                assertThat(stopped.path("reason").asText()).isEqualTo("stopped");
                result(client.call(5, "sys.call.receive_dtmf_start", "{\"res_id\":\"" + resId + "\"}"));
                result(client.call(6, "sys.call.stop_receive_dtmf_start", "{\"res_id\":\"" + resId + "\"}"));
                assertThat(client.event("sys.call.on_receive_dtmf_completed").path("params").path("reason")
                        .asText()).isEqualTo("stopped");

                JsonNode refused = client.call(7, "sys.call.receive_dtmf_start", "{\"res_id\":\"" + resId
                        + "\",\"max_keys\":0}");
                assertThat(refused.path("error").path("message").asText()).contains("max_keys 0");
                JsonNode notRunning = client.call(8, "sys.call.receive_dtmf_stop", "{\"res_id\":\"" + resId + "\"}");
                assertThat(notRunning.path("error").path("message").asText()).contains("no digit collection runs");
                assertThat(client.kept()).as("a prompt is no playback: no on_play_completed")
                        .noneMatch(frame -> frame.path("method").asText().equals("sys.call.on_play_completed"));
            }
        }

        @Test
        void aRingingCalleeSendsOnRingingAndAnUnansweredInboundCallCanBeRejected() {
            try (ServerFixture f = new ServerFixture(); ServerRawClient client = f.client()) {
                String resId = result(client.call(1, "sys.call.construct", DIAL)).path("res_id").asText();
                ScriptedSignaling.Outbound far = f.sip.nextDialled(ServerRawClient.WAIT);
                far.ring();
                JsonNode ringing = assertEvent(client.event("sys.call.on_ringing"), "sys.call.on_ringing", "res_id",
                        "ring_time");
                assertThat(ringing.path("res_id").asText()).isEqualTo(resId);
                assertThat(ringing.path("ring_time").isIntegralNumber()).isTrue();
                JsonNode outbound = client.call(2, "sys.call.reject", "{\"res_id\":\"" + resId + "\",\"cause\":486}");
                assertThat(outbound.path("error").path("code").asInt()).isEqualTo(409);

                result(client.call(3, "sys.call.subscribe_incoming", "{}"));
                ScriptedSignaling.Inbound caller = f.sip.incoming("sip:100@127.0.0.1", "sip:200@127.0.0.1", true);
                String inbound = client.event("sys.call.on_incoming").path("params").path("res_id").asText();
                result(client.call(4, "sys.call.reject", "{\"res_id\":\"" + inbound + "\",\"cause\":486}"));
                assertThat(caller.awaitAction("reject", ServerRawClient.WAIT)).isEqualTo("reject 486");
                assertThat(client.next(frame -> frame.path("method").asText().equals("sys.call.on_released")
                        && frame.path("params").path("res_id").asText().equals(inbound)).path("params")
                        .path("cause").asInt()).isEqualTo(486);
            }
        }

        @Test
        void keysAreSentAndTheirCompletionReported() {
            try (ServerFixture f = new ServerFixture(); ServerRawClient client = f.client()) {
                String resId = result(client.call(1, "sys.call.construct", DIAL)).path("res_id").asText();
                f.sip.nextDialled(ServerRawClient.WAIT).answer();
                client.event("sys.call.on_answered");
                result(client.call(2, "sys.call.send_dtmf_start", "{\"res_id\":\"" + resId + "\",\"keys\":\"1,#\"}"));
                ScriptedMedia.Session media = f.media.sessions().get(0);
                media.last("dtmf 1,#").finish();
                JsonNode sent = assertEvent(client.event("sys.call.on_send_dtmf_completed"),
                        "sys.call.on_send_dtmf_completed", "res_id", "keys", "reason", "error");
                assertThat(sent.path("keys").asText()).isEqualTo("1,#");
                assertThat(sent.path("reason").asText()).isEqualTo("finished");
                assertThat(sent.path("error").isNull()).isTrue();
                JsonNode refused = client.call(3, "sys.call.send_dtmf_start", "{\"res_id\":\"" + resId
                        + "\",\"keys\":\"1x\"}");
                assertThat(refused.path("error").path("code").asInt()).isEqualTo(-32602);
                assertThat(refused.path("error").path("message").asText()).contains("'x'");

                JsonNode notSending = client.call(4, "sys.call.send_dtmf_stop", "{\"res_id\":\"" + resId + "\"}");
                assertThat(notSending.path("error").path("code").asInt()).isEqualTo(409);
                assertThat(notSending.path("error").path("message").asText()).contains("no keys are being sent");
                result(client.call(5, "sys.call.send_dtmf_start", "{\"res_id\":\"" + resId + "\",\"keys\":\"123\"}"));
                result(client.call(6, "sys.call.send_dtmf_stop", "{\"res_id\":\"" + resId + "\"}"));
                JsonNode stopped = assertEvent(client.event("sys.call.on_send_dtmf_completed"),
                        "sys.call.on_send_dtmf_completed", "res_id", "keys", "reason", "error");
                assertThat(stopped.path("keys").asText()).isEqualTo("123");
                assertThat(stopped.path("reason").asText()).isEqualTo("stopped");
                assertThat(media.last("dtmf 123").isStoppedByEngine()).isTrue();
            }
        }

        @Test
        void twoCallsAreConnectedOneWayRecordedStoppedFromTheSecondAndBadRequestsRefused() {
            try (ServerFixture f = new ServerFixture(); ServerRawClient client = f.client()) {
                String first = answeredCall(f, client, 1);
                String second = answeredCall(f, client, 2);

                JsonNode self = client.call(3, "sys.call.connect_start", "{\"res_id\":\"" + first
                        + "\",\"call_res_id\":\"" + first + "\"}");
                assertThat(self.path("error").path("code").asInt()).isEqualTo(-32602);
                assertThat(self.path("error").path("message").asText()).contains("itself");
                JsonNode mode = client.call(4, "sys.call.connect_start", "{\"res_id\":\"" + first
                        + "\",\"call_res_id\":\"" + second + "\",\"connect_mode\":4}");
                assertThat(mode.path("error").path("message").asText()).contains("connect_mode 4");
                JsonNode negative = client.call(5, "sys.call.connect_start", "{\"res_id\":\"" + first
                        + "\",\"call_res_id\":\"" + second + "\",\"max_seconds\":-1}");
                assertThat(negative.path("error").path("message").asText()).contains("max_seconds -1");
                JsonNode unknown = client.call(6, "sys.call.connect_start", "{\"res_id\":\"" + first
                        + "\",\"call_res_id\":\"1.2.3-sys.call-1\"}");
                assertThat(unknown.path("error").path("code").asInt()).isEqualTo(404);
                JsonNode notConnected = client.call(7, "sys.call.connect_stop", "{\"res_id\":\"" + first + "\"}");
                assertThat(notConnected.path("error").path("code").asInt()).isEqualTo(409);

                assertThat(result(client.call(8, "sys.call.connect_start", "{\"res_id\":\"" + first
                        + "\",\"call_res_id\":\"" + second + "\",\"connect_mode\":2,\"max_seconds\":60,"
                        + "\"record_file\":\"pair.wav\",\"record_format\":3}")).path("res_id").asText())
                        .isEqualTo(first);
                Await.until("the connection made", ServerRawClient.WAIT, () -> f.media.openConnections().size() == 1);
                ScriptedMedia.Connection flow = f.media.openConnections().get(0);
                assertThat(flow.source()).isSameAs(f.media.sessions().get(0));
                assertThat(flow.sink()).isSameAs(f.media.sessions().get(1));
                JsonNode state = result(client.call(9, "sys.call.get", "{\"res_id\":\"" + second + "\"}"));
                assertThat(state.path("state").asText()).isEqualTo("connect");
                JsonNode again = client.call(10, "sys.call.connect_start", "{\"res_id\":\"" + second
                        + "\",\"call_res_id\":\"" + first + "\"}");
                assertThat(again.path("error").path("code").asInt()).isEqualTo(409);
                assertThat(again.path("error").path("message").asText()).contains("already");

                result(client.call(11, "sys.call.connect_stop", "{\"res_id\":\"" + second + "\"}"));
                JsonNode done = assertEvent(client.event("sys.call.on_connect_completed"),
                        "sys.call.on_connect_completed", "res_id", "call_res_id", "reason", "begin_time", "end_time",
                        "record_file", "error");
                assertThat(done.path("res_id").asText()).isEqualTo(first);
                assertThat(done.path("call_res_id").asText()).isEqualTo(second);
                assertThat(done.path("reason").asText()).isEqualTo("stopped");
                assertThat(done.path("record_file").asText()).isEqualTo("pair.wav");
                assertThat(done.path("error").isNull()).isTrue();
                assertThat(done.path("begin_time").isIntegralNumber()).isTrue();
                assertThat(f.media.sessions().get(0).last("record ").what()).contains("ULAW");
                assertThat(result(client.call(12, "sys.call.get", "{\"res_id\":\"" + first + "\"}"))
                        .path("state").asText()).isEqualTo("idle");
            }
        }

        @Test
        void aFailedDialReportsItsErrorAsText() {
            try (ServerFixture f = new ServerFixture(); ServerRawClient client = f.client()) {
                result(client.call(1, "sys.call.construct", DIAL));
                f.sip.nextDialled(ServerRawClient.WAIT).fail(486, "Busy Here");
                JsonNode dialled = client.event("sys.call.on_dial_completed").path("params");
                assertThat(dialled.path("error").asText()).isEqualTo("486 Busy Here");
                assertThat(dialled.path("answer_time").isNull()).isTrue();
                JsonNode released = client.event("sys.call.on_released").path("params");
                assertThat(released.path("cause").asInt()).isEqualTo(486);
                assertThat(released.path("answer_time").isNull()).isTrue();
            }
        }

        @Test
        void inboundCallsAreOfferedRoundRobinToSubscribedSessionsAndAnsweredOrRedirected() {
            try (ServerFixture f = new ServerFixture(); ServerRawClient a = f.client();
                    ServerRawClient b = f.client()) {
                assertThat(result(a.call(1, "sys.call.subscribe_incoming", "{}")).path("subscribed").asBoolean())
                        .isTrue();
                result(b.call(1, "sys.call.subscribe_incoming", "{}"));

                ScriptedSignaling.Inbound first = f.sip.incoming("sip:100@127.0.0.1", "sip:200@127.0.0.1", true);
                ScriptedSignaling.Inbound second = f.sip.incoming("sip:101@127.0.0.1", "sip:200@127.0.0.1", true);
                JsonNode toA = assertEvent(a.event("sys.call.on_incoming"), "sys.call.on_incoming", "res_id",
                        "from_uri", "to_uri", "begin_time");
                JsonNode toB = assertEvent(b.event("sys.call.on_incoming"), "sys.call.on_incoming", "res_id",
                        "from_uri", "to_uri", "begin_time");
                assertThat(List.of(toA.path("from_uri").asText(), toB.path("from_uri").asText()))
                        .containsExactlyInAnyOrder("sip:100@127.0.0.1", "sip:101@127.0.0.1");

                String callA = toA.path("res_id").asText();
                result(a.call(2, "sys.call.answer", "{\"res_id\":\"" + callA + "\",\"user_data\":\"agent a\"}"));
                ScriptedSignaling.Inbound legA = toA.path("from_uri").asText().contains("100") ? first : second;
                ScriptedSignaling.Inbound legB = legA == first ? second : first;
                assertThat(legA.awaitAction("answer", ServerRawClient.WAIT)).startsWith("answer");
                result(b.call(2, "sys.call.redirect", "{\"res_id\":\"" + toB.path("res_id").asText()
                        + "\",\"redirect_uri\":\"300@127.0.0.1\"}"));
                assertThat(legB.awaitAction("redirect", ServerRawClient.WAIT)).contains("300@127.0.0.1");
                assertThat(b.event("sys.call.on_released").path("params").path("cause").asInt()).isEqualTo(302);

                assertThat(result(b.call(3, "sys.call.unsubscribe_incoming", "{}")).path("subscribed").asBoolean())
                        .isFalse();
                f.sip.incoming("sip:102@127.0.0.1", "sip:200@127.0.0.1", true);
                assertThat(a.event("sys.call.on_incoming").path("params").path("from_uri").asText())
                        .isEqualTo("sip:102@127.0.0.1");
            }
        }

        @Test
        // The client only has to be connected (subscribed to nothing) while the call comes in.
        @SuppressWarnings("try")
        void inboundCallsAreRefusedWith480WhenNoSessionSubscribed() {
            try (ServerFixture f = new ServerFixture(); ServerRawClient client = f.client()) {
                ScriptedSignaling.Inbound caller = f.sip.incoming("sip:100@127.0.0.1", "sip:200@127.0.0.1", true);
                assertThat(caller.awaitAction("reject", ServerRawClient.WAIT)).isEqualTo("reject 480");
            }
        }
    }

    @Nested
    class DuoCallbacksAndConferences {

        @Test
        void aDuoCallbacksTimedPromptIsNamedInTheSoundsDirectoryAndPlaysToBothParties() {
            try (ServerFixture f = new ServerFixture(); ServerRawClient client = f.client()) {
                String duo = "{\"from1_uri\":\"400@127.0.0.1\",\"to1_uri\":\"1001@127.0.0.1:5071\","
                        + "\"from2_uri\":\"400@127.0.0.1\",\"to2_uri\":\"1002@127.0.0.1:5072\","
                        + "\"max_connect_seconds\":60,";
                JsonNode late = client.call(1, "ext.duo_callback.construct", duo
                        + "\"prompt_file\":\"minute.wav\",\"prompt_before_end_seconds\":60}");
                assertThat(late.path("error").path("code").asInt()).isEqualTo(-32602);
                assertThat(late.path("error").path("data").path("parameter").asText())
                        .isEqualTo("prompt_before_end_seconds");
                JsonNode unnamed = client.call(2, "ext.duo_callback.construct", duo
                        + "\"prompt_after_seconds\":5}");
                assertThat(unnamed.path("error").path("data").path("parameter").asText())
                        .isEqualTo("prompt_after_seconds");
                JsonNode missing = client.call(3, "ext.duo_callback.construct", duo
                        + "\"prompt_file\":\"minute.wav\"}");
                assertThat(missing.path("error").path("data").path("parameter").asText()).isEqualTo("prompt_file");
                assertThat(f.sip.legs()).as("nothing dialled by the refused requests").isEmpty();

                f.dirs.sound("minute.wav");
                String resId = result(client.call(4, "ext.duo_callback.construct", duo
                        + "\"prompt_file\":\"minute.wav\",\"prompt_after_seconds\":0}")).path("res_id").asText();
                f.sip.nextDialled(ServerRawClient.WAIT).answer();
                f.sip.nextDialled(ServerRawClient.WAIT).answer();
                String path = f.dirs.sounds.resolve("minute.wav").toString();
                for (int party = 0; party < 2; party++) {
                    ScriptedMedia.Session session = f.media.sessions().get(party);
                    Await.until("the prompt to party " + (party + 1), ServerRawClient.WAIT,
                            () -> session.last("play") != null);
                    assertThat(session.last("play").what()).isEqualTo("play " + path);
                }
                result(client.call(5, "ext.duo_callback.release", "{\"res_id\":\"" + resId + "\"}"));
                assertThat(client.event("ext.duo_callback.on_released").path("params").path("error").isNull())
                        .isTrue();
            }
        }

        @Test
        void recordStereoAsksForTwoChannelsInEveryRecordingAndAMonoOnlyFormatIsRefused() {
            try (ServerFixture f = new ServerFixture(); ServerRawClient client = f.client()) {
                String first = answeredCall(f, client, 1);
                String second = answeredCall(f, client, 2);
                ScriptedMedia.Session session = f.media.sessions().get(0);

                JsonNode gsm = client.call(3, "sys.call.record_start", "{\"res_id\":\"" + first
                        + "\",\"record_file\":\"a.gsm\",\"record_stereo\":true}");
                assertThat(gsm.path("error").path("code").asInt()).isEqualTo(-32602);
                assertThat(gsm.path("error").path("data").path("parameter").asText()).isEqualTo("record_stereo");
                assertThat(gsm.path("error").path("message").asText()).contains("GSM");
                JsonNode adpcm = client.call(4, "sys.call.connect_start", "{\"res_id\":\"" + first
                        + "\",\"call_res_id\":\"" + second + "\",\"record_file\":\"p.wav\",\"record_format\":4,"
                        + "\"record_stereo\":true}");
                assertThat(adpcm.path("error").path("data").path("parameter").asText()).isEqualTo("record_stereo");
                JsonNode fileless = client.call(5, "sys.call.connect_start", "{\"res_id\":\"" + first
                        + "\",\"call_res_id\":\"" + second + "\",\"record_stereo\":true}");
                assertThat(fileless.path("error").path("message").asText()).contains("without a record_file");
                assertThat(session.last("record")).as("nothing recorded by the refused requests").isNull();
                assertThat(f.media.openConnections()).as("nothing connected by the refused requests").isEmpty();

                result(client.call(6, "sys.call.record_start", "{\"res_id\":\"" + first
                        + "\",\"record_file\":\"s.wav\",\"record_format\":2,\"record_stereo\":true}"));
                assertThat(session.last("record").what())
                        .startsWith("record /").endsWith("/s.wav ALAW new stereo");
                result(client.call(7, "sys.call.record_stop", "{\"res_id\":\"" + first + "\"}"));
                client.event("sys.call.on_record_completed");
                result(client.call(8, "sys.call.record_start", "{\"res_id\":\"" + first
                        + "\",\"record_file\":\"m.wav\",\"record_stereo\":false}"));
                assertThat(session.last("record").what()).startsWith("record /").endsWith("/m.wav PCM_16BIT new");
                result(client.call(9, "sys.call.record_stop", "{\"res_id\":\"" + first + "\"}"));
                client.event("sys.call.on_record_completed");

                result(client.call(10, "sys.call.connect_start", "{\"res_id\":\"" + first
                        + "\",\"call_res_id\":\"" + second + "\",\"record_file\":\"pair.wav\","
                        + "\"record_stereo\":true}"));
                Await.until("the pair recorded", ServerRawClient.WAIT,
                        () -> session.last("record") != null && session.last("record").what().contains("pair.wav"));
                assertThat(session.last("record").what())
                        .startsWith("record /").endsWith("/pair.wav PCM_16BIT new stereo");

                String duo = "{\"from1_uri\":\"400@127.0.0.1\",\"to1_uri\":\"1001@127.0.0.1:5071\","
                        + "\"from2_uri\":\"400@127.0.0.1\",\"to2_uri\":\"1002@127.0.0.1:5072\","
                        + "\"max_connect_seconds\":60,\"record_stereo\":true";
                JsonNode mp3 = client.call(11, "ext.duo_callback.construct", duo + ",\"record_file\":\"d.mp3\"}");
                assertThat(mp3.path("error").path("data").path("parameter").asText()).isEqualTo("record_stereo");
                JsonNode none = client.call(12, "ext.duo_callback.construct", duo + "}");
                assertThat(none.path("error").path("data").path("parameter").asText()).isEqualTo("record_stereo");
                assertThat(f.sip.legs()).as("nothing dialled by the refused duo callbacks").hasSize(2);
                result(client.call(13, "ext.duo_callback.construct", duo + ",\"record_file\":\"d.wav\"}"));
                f.sip.nextDialled(ServerRawClient.WAIT).answer();
                f.sip.nextDialled(ServerRawClient.WAIT).answer();
                ScriptedMedia.Session party1 = f.media.sessions().get(2);
                Await.until("the duo callback recorded", ServerRawClient.WAIT, () -> party1.last("record") != null);
                assertThat(party1.last("record").what())
                        .startsWith("record /").endsWith("/d.wav PCM_16BIT new stereo");
            }
        }

        @Test
        void aDuoCallbackFromConstructToReleaseWithItsStateChanges() {
            try (ServerFixture f = new ServerFixture(); ServerRawClient client = f.client()) {
                JsonNode constructed = result(client.call(1, "ext.duo_callback.construct",
                        "{\"from1_uri\":\"400@127.0.0.1\",\"to1_uri\":\"1001@127.0.0.1:5071\","
                                + "\"from2_uri\":\"400@127.0.0.1\",\"to2_uri\":\"1002@127.0.0.1:5072\","
                                + "\"max_connect_seconds\":600,\"max_ring_seconds\":20,\"ring_play_file\":null,"
                                + "\"ring_play_mode\":1,\"record_file\":\"\",\"record_mode\":0,\"record_format\":5,"
                                + "\"user_data1\":\"u1\",\"user_data2\":\"u2\"}"));
                String resId = constructed.path("res_id").asText();
                assertThat(resId).matches("1\\.2\\.3-ext\\.duo_callback-\\d+");
                assertThat(constructed.path("ipsc_info").path("process_id").isIntegralNumber()).isTrue();

                f.sip.nextDialled(ServerRawClient.WAIT).answer();
                JsonNode changed = assertEvent(client.event("ext.duo_callback.on_state_changed"),
                        "ext.duo_callback.on_state_changed", "res_id", "from", "to", "time");
                assertThat(changed.path("from").asText()).isEqualTo("initiated");
                assertThat(changed.path("to").asText()).isEqualTo("answered");
                assertThat(changed.path("time").isIntegralNumber()).isTrue();
                JsonNode cancelRefusedLater;
                f.sip.nextDialled(ServerRawClient.WAIT).answer();
                assertThat(client.event("ext.duo_callback.on_state_changed").path("params").path("to").asText())
                        .isEqualTo("connected");
                JsonNode got = result(client.call(2, "ext.duo_callback.get", "{\"res_id\":\"" + resId + "\"}"));
                assertThat(got.path("state").asText()).isEqualTo("connected");

                cancelRefusedLater = client.call(3, "ext.duo_callback.cancel", "{\"res_id\":\"" + resId + "\"}");
                assertThat(cancelRefusedLater.path("error").path("code").asInt()).isEqualTo(409);
                assertThat(cancelRefusedLater.path("error").path("data").path("state").asText())
                        .isEqualTo("connected");
                assertThat(cancelRefusedLater.path("error").path("data").path("operation").asText())
                        .isEqualTo("cancel");

                result(client.call(4, "ext.duo_callback.release", "{\"res_id\":\"" + resId + "\"}"));
                JsonNode released = assertEvent(client.event("ext.duo_callback.on_released"),
                        "ext.duo_callback.on_released", "res_id", "error", "begin_time", "answer_time",
                        "connect_time", "end_time", "user_data", "user_data2", "record_file", "record_error");
                assertThat(released.path("error").isNull()).isTrue();
                assertThat(released.path("connect_time").isIntegralNumber()).isTrue();
                assertThat(released.path("user_data").asText()).isEqualTo("u1");
                assertThat(released.path("user_data2").asText()).isEqualTo("u2");
            }
        }

        @Test
        void aCancelledDuoCallbackSaysSo() {
            try (ServerFixture f = new ServerFixture(); ServerRawClient client = f.client()) {
                String resId = result(client.call(1, "ext.duo_callback.construct",
                        "{\"from1_uri\":\"400@127.0.0.1\",\"to1_uri\":\"1001@127.0.0.1\",\"from2_uri\":\"400@127.0.0.1\","
                                + "\"to2_uri\":\"1002@127.0.0.1\",\"max_connect_seconds\":60}"))
                        .path("res_id").asText();
                result(client.call(2, "ext.duo_callback.cancel", "{\"res_id\":\"" + resId + "\"}"));
                JsonNode released = client.event("ext.duo_callback.on_released").path("params");
                assertThat(released.path("error").asText()).isEqualTo("cancelled");
                assertThat(released.path("answer_time").isNull()).isTrue();
            }
        }

        @Test
        void aConferenceWithAMemberFromConstructToRelease() {
            try (ServerFixture f = new ServerFixture(); ServerRawClient client = f.client()) {
                JsonNode conf = result(client.call(1, "sys.conf.construct",
                        "{\"max_seconds\":600,\"user_data\":\"standup\"}"));
                String confId = conf.path("res_id").asText();
                assertThat(confId).matches("1\\.2\\.3-sys\\.conf-\\d+");
                String callId = result(client.call(2, "sys.call.construct", DIAL)).path("res_id").asText();
                f.sip.nextDialled(ServerRawClient.WAIT).answer();
                client.event("sys.call.on_answered");
                Await.until("idle", ServerRawClient.WAIT, () -> state(client, callId).equals("idle"));

                result(client.call(3, "sys.call.conf_enter",
                        "{\"res_id\":\"" + callId + "\",\"conf_res_id\":\"" + confId + "\"}"));
                JsonNode entered = assertEvent(client.event("sys.conf.on_member_entered"),
                        "sys.conf.on_member_entered", "res_id", "call_res_id");
                assertThat(entered.path("call_res_id").asText()).isEqualTo(callId);
                assertThat(result(client.call(4, "sys.conf.get_parts", "{\"res_id\":\"" + confId + "\"}"))
                        .path("parts")).extracting(JsonNode::asText).containsExactly(callId);
                assertThat(result(client.call(5, "sys.conf.exists", "{\"res_id\":\"" + confId + "\"}"))
                        .path("exists").asBoolean()).isTrue();
                assertThat(result(client.call(6, "sys.call.get", "{\"res_id\":\"" + callId + "\"}"))
                        .path("conf_res_id").asText()).isEqualTo(confId);
                result(client.call(7, "sys.call.conf_exit",
                        "{\"res_id\":\"" + callId + "\",\"conf_res_id\":\"" + confId + "\"}"));
                assertEvent(client.event("sys.conf.on_member_exited"), "sys.conf.on_member_exited", "res_id",
                        "call_res_id");
                JsonNode released = assertEvent(client.event("sys.conf.on_released"), "sys.conf.on_released",
                        "res_id", "begin_time", "end_time", "reason", "user_data", "record_error");
                assertThat(released.path("reason").asText()).isEqualTo("empty");
                assertThat(released.path("user_data").asText()).isEqualTo("standup");
                assertThat(result(client.call(8, "sys.conf.exists", "{\"res_id\":\"" + confId + "\"}"))
                        .path("exists").asBoolean()).isFalse();

                String second = result(client.call(9, "sys.conf.construct", "{\"max_seconds\":60}"))
                        .path("res_id").asText();
                result(client.call(10, "sys.conf.release", "{\"res_id\":\"" + second + "\"}"));
                assertThat(client.event("sys.conf.on_released").path("params").path("reason").asText())
                        .isEqualTo("released");
            }
        }
    }

    /** Dials a call with request {@code id}, lets the far end answer, and returns its res_id once answered. */
    private static String answeredCall(ServerFixture f, ServerRawClient client, int id) {
        String resId = result(client.call(id, "sys.call.construct", DIAL)).path("res_id").asText();
        f.sip.nextDialled(ServerRawClient.WAIT).answer();
        client.event("sys.call.on_answered");
        return resId;
    }

    private static String state(ServerRawClient client, String resId) {
        return client.call(1000, "sys.call.get", "{\"res_id\":\"" + resId + "\"}").path("result").path("state")
                .asText();
    }
}
