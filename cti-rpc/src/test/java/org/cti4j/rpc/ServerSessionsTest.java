package org.cti4j.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.Test;

/** Sessions outlive connections: resume with every missed event exactly once, grace, goodbye, takeover, re-offer. */
class ServerSessionsTest {

    private static final String DIAL = "{\"from_uri\":\"1000@127.0.0.1\",\"to_uri\":\"2000@127.0.0.1\","
            + "\"max_answer_seconds\":600}";

    static URI resume(ServerFixture f, String sessionId, String token, long lastSeq) {
        return URI.create(f.uri() + "?session_id=" + sessionId + "&resume_token=" + token + "&last_seq=" + lastSeq);
    }

    /** Connects, dials, lets the far end answer; returns what the test needs. */
    private record Connected(ServerRawClient client, String sessionId, String token, String resId,
            ScriptedSignaling.Outbound far, ScriptedMedia.Session media, long lastSeq) {
    }

    private static Connected connectedCall(ServerFixture f) {
        ServerRawClient client = ServerRawClient.connect(f.uri());
        JsonNode started = client.event("rpc.on_session").path("params");
        String sessionId = started.path("session_id").asText();
        String token = started.path("resume_token").asText();
        String resId = client.call(1, "sys.call.construct", DIAL).path("result").path("res_id").asText();
        ScriptedSignaling.Outbound far = f.sip.nextDialled(ServerRawClient.WAIT);
        far.answer();
        long lastSeq = client.event("sys.call.on_answered").path("params").path("seq").asLong();
        Await.until("the call connected", ServerRawClient.WAIT, () -> f.engine.call(resId).state().isConnected());
        return new Connected(client, sessionId, token, resId, far, f.media.sessions().get(0), lastSeq);
    }

    @Test
    void aClientThatComesBackGetsEveryEventItMissedInOrderExactlyOnceThenLiveOnes() {
        try (ServerFixture f = new ServerFixture()) {
            Connected c = connectedCall(f);
            c.client().abort();
            Await.until("the server noticed", ServerRawClient.WAIT,
                    () -> f.server.sessionCount() == 1 && !f.engine.call(c.resId()).isReleased());
            // Events while the client is away.
            c.media().dtmf('1');
            c.media().dtmf('2');
            c.media().dtmf('3');
            Await.until("three keys numbered", ServerRawClient.WAIT,
                    () -> f.server.sessions().lastSeq(c.sessionId()) == c.lastSeq() + 3);

            try (ServerRawClient back = ServerRawClient.connect(resume(f, c.sessionId(), c.token(), c.lastSeq()))) {
                JsonNode session = back.next().path("params");
                assertThat(session.path("session_id").asText()).isEqualTo(c.sessionId());
                assertThat(session.path("resumed").asBoolean()).isTrue();
                assertThat(session.path("lost").asLong()).isZero();
                assertThat(session.path("last_seq").asLong()).isEqualTo(c.lastSeq() + 3);
                List<String> digits = new ArrayList<>();
                List<Long> seqs = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    JsonNode event = back.next();
                    assertThat(event.path("method").asText()).isEqualTo("sys.call.on_dtmf");
                    digits.add(event.path("params").path("digit").asText());
                    seqs.add(event.path("params").path("seq").asLong());
                }
                assertThat(digits).containsExactly("1", "2", "3");
                assertThat(seqs).containsExactly(c.lastSeq() + 1, c.lastSeq() + 2, c.lastSeq() + 3);

                c.far().remoteHangup(200);
                JsonNode released = back.next();
                assertThat(released.path("method").asText()).isEqualTo("sys.call.on_released");
                assertThat(released.path("params").path("seq").asLong()).isEqualTo(c.lastSeq() + 4);
            }
        }
    }

    @Test
    void eventsThatFellOutOfTheBufferAreCountedAsLost() {
        try (ServerFixture f = new ServerFixture(b -> b.eventBuffer(16))) {
            Connected c = connectedCall(f);
            c.client().abort();
            Await.until("the server noticed", ServerRawClient.WAIT,
                    () -> !f.server.sessions().isConnected(c.sessionId()));
            for (int i = 0; i < 20; i++) {
                c.media().dtmf((char) ('0' + i % 10));
            }
            Await.until("the 20 keys numbered", ServerRawClient.WAIT,
                    () -> f.server.sessions().lastSeq(c.sessionId()) == c.lastSeq() + 20);
            // The server's counters: what waits for the client is at most the buffer; nothing is lost yet.
            assertThat(f.server.eventsWaiting()).isEqualTo(16);
            assertThat(f.server.eventsLost()).isZero();
            try (ServerRawClient back = ServerRawClient.connect(resume(f, c.sessionId(), c.token(), c.lastSeq()))) {
                JsonNode session = back.next().path("params");
                assertThat(session.path("lost").asLong()).isEqualTo(4);
                assertThat(back.next().path("params").path("seq").asLong()).isEqualTo(c.lastSeq() + 5);
                assertThat(f.server.eventsLost()).as("the 4 the client was told it missed").isEqualTo(4);
                assertThat(f.server.eventsWaiting()).as("the client is back").isZero();
            }
        }
    }

    @Test
    void aSessionWhoseClientDoesNotComeBackWithinTheGraceHasItsResourcesReleased() {
        try (ServerFixture f = new ServerFixture(b -> b.sessionGrace(Duration.ofMillis(300)))) {
            ServerRawClient client = f.client();
            String sessionId = client.call(1, "sys.conf.construct", "{\"max_seconds\":600}").path("result")
                    .path("res_id").asText();
            client.call(2, "sys.call.construct", DIAL);
            ScriptedSignaling.Outbound far = f.sip.nextDialled(ServerRawClient.WAIT);
            client.abort();

            assertThat(far.awaitAction("cancel", ServerRawClient.WAIT)).isEqualTo("cancel");
            Await.until("every resource released", ServerRawClient.WAIT, () -> f.engine.resources().isEmpty());
            Await.until("the session forgotten", ServerRawClient.WAIT, () -> f.server.sessionCount() == 0);
            assertThat(sessionId).isNotEmpty();
        }
    }

    @Test
    void eventsWaitingForAClientThatDoesNotComeBackAreLostWithItsSession() {
        try (ServerFixture f = new ServerFixture(b -> b.sessionGrace(Duration.ofSeconds(3)))) {
            Connected c = connectedCall(f);
            c.client().abort();
            Await.until("the server noticed", ServerRawClient.WAIT,
                    () -> !f.server.sessions().isConnected(c.sessionId()));
            c.media().dtmf('1');
            c.media().dtmf('2');
            Await.until("two events waiting", ServerRawClient.WAIT, () -> f.server.eventsWaiting() == 2);
            assertThat(f.server.eventsLost()).isZero();
            Await.until("the session forgotten", ServerRawClient.WAIT, () -> f.server.sessionCount() == 0);
            assertThat(f.server.eventsLost()).isEqualTo(2);
            assertThat(f.server.eventsWaiting()).isZero();
        }
    }

    @Test
    void anExpiredSessionCannotBeResumedAndTheClientIsToldWhy() {
        try (ServerFixture f = new ServerFixture(b -> b.sessionGrace(Duration.ZERO))) {
            ServerRawClient client = ServerRawClient.connect(f.uri());
            JsonNode started = client.event("rpc.on_session").path("params");
            String sessionId = started.path("session_id").asText();
            client.abort();
            Await.until("the session forgotten", ServerRawClient.WAIT, () -> f.server.sessionCount() == 0);
            try (ServerRawClient back = ServerRawClient.connect(resume(f, sessionId,
                    started.path("resume_token").asText(), 0))) {
                JsonNode session = back.next().path("params");
                assertThat(session.path("resumed").asBoolean()).isFalse();
                assertThat(session.path("session_id").asText()).isNotEqualTo(sessionId);
                assertThat(session.path("reason").asText()).contains(sessionId).contains("expired");
            }
        }
    }

    @Test
    void aClientThatSaysGoodbyeEndsItsSessionAtOnce() {
        try (ServerFixture f = new ServerFixture()) {
            ServerRawClient client = f.client();
            client.call(1, "sys.conf.construct", "{\"max_seconds\":600}");
            assertThat(f.engine.resources()).hasSize(1);
            client.close();
            Await.until("the conference released", ServerRawClient.WAIT, () -> f.engine.resources().isEmpty());
            Await.until("the session ended", ServerRawClient.WAIT, () -> f.server.sessionCount() == 0);
        }
    }

    @Test
    void aSecondConnectionResumingASessionTakesItOver() {
        try (ServerFixture f = new ServerFixture()) {
            ServerRawClient first = ServerRawClient.connect(f.uri());
            JsonNode started = first.event("rpc.on_session").path("params");
            String sessionId = started.path("session_id").asText();
            try (ServerRawClient second = ServerRawClient.connect(resume(f, sessionId,
                    started.path("resume_token").asText(), 0))) {
                assertThat(second.next().path("params").path("resumed").asBoolean()).isTrue();
                assertThat(first.awaitClose()).isEqualTo(4000);
                assertThat(first.closeReason()).contains("taken over");
                assertThat(second.call(1, "sys.conf.construct", "{\"max_seconds\":60}").has("result")).isTrue();
            }
        }
    }

    @Test
    void anUnansweredInboundCallIsOfferedAgainWhenItsSessionLosesItsConnection() {
        try (ServerFixture f = new ServerFixture()) {
            ServerRawClient a = ServerRawClient.connect(f.uri());
            JsonNode startedA = a.event("rpc.on_session").path("params");
            String sessionA = startedA.path("session_id").asText();
            ServerRawClient b = ServerRawClient.connect(f.uri());
            JsonNode startedB = b.event("rpc.on_session").path("params");
            String sessionB = startedB.path("session_id").asText();
            a.call(1, "sys.call.subscribe_incoming", "{}");
            b.call(1, "sys.call.subscribe_incoming", "{}");
            ScriptedSignaling.Inbound caller = f.sip.incoming("sip:100@127.0.0.1", "sip:200@127.0.0.1", true);
            Await.until("the call offered", ServerRawClient.WAIT, () -> f.server.sessions().lastSeq(sessionA)
                    + f.server.sessions().lastSeq(sessionB) == 1);
            boolean toA = f.server.sessions().lastSeq(sessionA) == 1;
            ServerRawClient offered = toA ? a : b;
            ServerRawClient other = toA ? b : a;
            String offeredSession = toA ? sessionA : sessionB;
            String offeredToken = (toA ? startedA : startedB).path("resume_token").asText();
            String resId = offered.event("sys.call.on_incoming").path("params").path("res_id").asText();
            offered.abort();

            JsonNode again = other.event("sys.call.on_incoming").path("params");
            assertThat(again.path("res_id").asText()).isEqualTo(resId);
            assertThat(again.path("from_uri").asText()).isEqualTo("sip:100@127.0.0.1");
            other.call(2, "sys.call.answer", "{\"res_id\":\"" + resId + "\"}");
            assertThat(caller.awaitAction("answer", ServerRawClient.WAIT)).startsWith("answer");

            try (ServerRawClient back = ServerRawClient.connect(resume(f, offeredSession, offeredToken, 1))) {
                assertThat(back.next().path("params").path("resumed").asBoolean()).isTrue();
                JsonNode withdrawn = back.next();
                assertThat(withdrawn.path("method").asText()).isEqualTo("sys.call.on_withdrawn");
                assertThat(withdrawn.path("params").path("res_id").asText()).isEqualTo(resId);
                assertThat(withdrawn.path("params").path("seq").asLong()).isEqualTo(2);
            }
            other.close();
        }
    }
}
