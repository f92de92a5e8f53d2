package org.cti4j.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cti4j.rpc.ClientFakeServer.WAIT;
import static org.cti4j.rpc.ClientFakeServer.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallState;
import org.cti4j.api.DialError;
import org.cti4j.api.EngineFailureException;
import org.cti4j.api.PlayEndReason;
import org.cti4j.core.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against a scripted server: the wire details a real server rarely shows on demand. */
class ClientWireTest {

    private static final String CALL = "9.9.9-sys.call-1767225600000000";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final ClientFakeServer server = new ClientFakeServer();
    private final ClientRecorder heard = new ClientRecorder();
    private RemoteCtiEngine client;

    @AfterEach
    void close() {
        server.refuseReleases = true;
        if (client != null) {
            client.close();
        }
        server.close();
        assertThat(heard.violations()).isEmpty();
    }

    private RemoteCtiEngine.Builder builder() {
        return RemoteCtiEngine.builder(server.uri()).requestTimeout(Duration.ofSeconds(3))
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(100));
    }

    /** Dials and answers the construct; the server's result names {@link #CALL}. */
    private Call dial() {
        CompletableFuture<Call> dialled = CompletableFuture.supplyAsync(
                () -> client.dial(ClientFixture.dialOptions(), heard));
        JsonNode request = server.nextRequest();
        assertThat(request.path("method").asText()).isEqualTo("sys.call.construct");
        server.send("{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":{\"res_id\":\"" + CALL
                + "\",\"ipsc_info\":{\"process_id\":1767225600000000},\"to_uri\":\"sip:2000@127.0.0.1:5062\","
                + "\"user_data\":\"ticket-7\"}}");
        assertThat(dialled).succeedsWithin(WAIT);
        return dialled.join();
    }

    private static String dtmf(char digit, int seq) {
        return event("sys.call.on_dtmf", "{\"res_id\":\"" + CALL + "\",\"digit\":\"" + digit + "\",\"seq\":" + seq
                + "}");
    }

    @Test
    void framesInPartsArePutTogetherAndEveryParameterIsSentByItsName() {
        server.greet = false;
        CompletableFuture<RemoteCtiEngine> building = CompletableFuture.supplyAsync(() -> builder().build());
        assertThat(server.nextConnection()).isEqualTo("/rpc");
        server.sendInParts("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.on_session\",\"params\":{\"session_id\":\"S1\","
                + "\"resumed\":false,\"node_id\":\"9.9.9\",\"last_seq\":0,\"lost\":0,\"reason\":null}}", 4);
        assertThat(building).succeedsWithin(WAIT);
        client = building.join();
        assertThat(client.nodeId()).isEqualTo("9.9.9");

        CompletableFuture<Call> dialled = CompletableFuture.supplyAsync(
                () -> client.dial(ClientFixture.dialOptions(), heard));
        JsonNode request = server.nextRequest();
        assertThat(request.path("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(request.path("id").isNumber()).isTrue();
        assertThat(request.path("params")).isEqualTo(ClientCodec.JSON.createObjectNode()
                .put("from_uri", "sip:1000@127.0.0.1").put("to_uri", "sip:2000@127.0.0.1:5062")
                .put("max_answer_seconds", 600).put("max_ring_seconds", 30).put("user_data", "ticket-7"));
        server.sendInParts("{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":{\"res_id\":\"" + CALL
                + "\",\"ipsc_info\":{\"process_id\":1767225600000000}}}", 3);
        // The result's first event follows at once: the call is known by then.
        server.sendInParts(event("sys.call.on_dial_completed", "{\"res_id\":\"" + CALL + "\",\"begin_time\":"
                + T0.getEpochSecond() + ",\"answer_time\":null,\"end_time\":" + (T0.getEpochSecond() + 3)
                + ",\"error\":\"486 Busy Here\",\"seq\":1}"), 5);

        assertThat(dialled).succeedsWithin(WAIT);
        Call call = dialled.join();
        assertThat(call.resId()).isEqualTo(CALL);
        assertThat(call.beginTime()).isEqualTo(T0);
        assertThat(heard.next(CallEvent.DialCompleted.class)).isEqualTo(new CallEvent.DialCompleted(CALL, T0, null,
                T0.plusSeconds(3), new DialError(486, "Busy Here")));
        assertThat(call.whenDialCompleted()).succeedsWithin(WAIT).extracting(CallEvent.DialCompleted::error)
                .isEqualTo(new DialError(486, "Busy Here"));
    }

    @Test
    void aCallTheServerNoLongerKnowsAnswersReleasedToQueriesAndRefusesOperations() {
        client = builder().build();
        Call call = dial();
        String notFound = "\"error\":{\"code\":404,\"message\":\"no call " + CALL + "\",\"data\":{\"res_id\":\""
                + CALL + "\"}}";

        CompletableFuture<org.cti4j.api.CallState> state = CompletableFuture.supplyAsync(call::state);
        JsonNode get = server.nextRequest();
        assertThat(get.path("method").asText()).isEqualTo("sys.call.get");
        server.send("{\"jsonrpc\":\"2.0\",\"id\":" + get.get("id") + "," + notFound + "}");
        assertThat(state).succeedsWithin(WAIT).isEqualTo(org.cti4j.api.CallState.RELEASED);
        assertThat(call.isReleased()).isTrue();

        assertThatThrownBy(() -> call.playStart("a.wav"))
                .isInstanceOfSatisfying(org.cti4j.api.InvalidStateException.class, e -> {
                    assertThat(e.resId()).isEqualTo(CALL);
                    assertThat(e.state()).isEqualTo("RELEASED");
                });

        // Its on_released, which the server sends after its 404s, is still heard, once.
        server.send(event("sys.call.on_released", "{\"res_id\":\"" + CALL + "\",\"call_dir\":\"outbound\","
                + "\"from_uri\":\"sip:1000@127.0.0.1\",\"to_uri\":\"sip:2000@127.0.0.1:5062\",\"begin_time\":"
                + T0.getEpochSecond() + ",\"answer_time\":null,\"end_time\":" + T0.getEpochSecond()
                + ",\"dropped_by\":\"usr\",\"cause\":487,\"user_data\":\"ticket-7\",\"seq\":1}"));
        assertThat(heard.next(CallEvent.Released.class).cause()).isEqualTo(487);
        assertThat(call.whenReleased()).succeedsWithin(WAIT);
    }

    @Test
    void eventsReplayedAfterAResumeAreHeardOnce() {
        client = builder().build();
        Call call = dial();
        server.send(dtmf('1', 1));
        server.send(dtmf('2', 2));
        assertThat(heard.next(CallEvent.Dtmf.class).digit()).isEqualTo('1');
        assertThat(heard.next(CallEvent.Dtmf.class).digit()).isEqualTo('2');
        assertThat(server.nextConnection()).isEqualTo("/rpc");

        server.cut();

        assertThat(server.nextConnection()).isEqualTo("/rpc?session_id=S1&last_seq=2");
        server.send(dtmf('2', 2));
        server.send(dtmf('3', 3));
        server.send(event("sys.call.on_released", "{\"res_id\":\"" + CALL + "\",\"call_dir\":\"outbound\","
                + "\"from_uri\":\"sip:1000@127.0.0.1\",\"to_uri\":\"sip:2000@127.0.0.1:5062\",\"begin_time\":"
                + T0.getEpochSecond() + ",\"answer_time\":null,\"end_time\":" + T0.getEpochSecond()
                + ",\"dropped_by\":\"usr\",\"cause\":487,\"user_data\":\"ticket-7\",\"seq\":4}"));
        assertThat(heard.next(CallEvent.Dtmf.class).digit()).isEqualTo('3');
        CallEvent.Released released = heard.next(CallEvent.Released.class);
        assertThat(released.cause()).isEqualTo(487);
        assertThat(call.whenReleased()).succeedsWithin(WAIT).isEqualTo(released);
        assertThat(heard.all()).hasSize(4);
        assertThat(call.state()).isEqualTo(CallState.RELEASED);
    }

    @Test
    void aRequestInFlightWhenTheConnectionDropsFailsSayingItMayHaveBeenApplied() {
        // JDK 17's WebSocket client now and then misses a peer's abrupt close; the heartbeat is what catches it
        // then, so it runs here often enough to do so well within the wait, and the request timeout stays out of it.
        client = builder().pingInterval(Duration.ofSeconds(1)).requestTimeout(WAIT.multipliedBy(2)).build();
        Call call = dial();
        CompletableFuture<CompletionStage<CallEvent.PlayCompleted>> playing = CompletableFuture.supplyAsync(
                () -> call.playStart("/sounds/a.wav"));
        assertThat(server.nextRequest().path("method").asText()).isEqualTo("sys.call.play_start");

        server.cut();

        assertThat(playing).failsWithin(WAIT).withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOf(EngineFailureException.class)
                .withMessageContaining("sys.call.play_start")
                .withMessageContaining("the connection to " + server.uri() + " was lost")
                .withMessageContaining("may or may not have been applied");
        Await.until("the client to reconnect", WAIT, () -> client.connection().isConnected());
    }

    @Test
    void aRequestWithoutAResponseTimesOutNamingTheMethodAndTheTimeout() {
        client = builder().requestTimeout(Duration.ofMillis(300)).build();
        CompletableFuture<Call> dialled = CompletableFuture.supplyAsync(
                () -> client.dial(ClientFixture.dialOptions(), heard));
        server.nextRequest();

        assertThat(dialled).failsWithin(WAIT).withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOf(EngineFailureException.class)
                .withMessage("sys.call.construct: no response from " + server.uri()
                        + " within the request timeout of 300 ms");
    }

    @Test
    void aPlaybackThatEndsBeforeItsResponseArrivesStillCompletesItsStage() {
        client = builder().build();
        Call call = dial();
        CompletableFuture<CompletionStage<CallEvent.PlayCompleted>> playing = CompletableFuture.supplyAsync(
                () -> call.playStart("/sounds/missing.wav"));
        JsonNode request = server.nextRequest();
        server.send(event("sys.call.on_play_completed", "{\"res_id\":\"" + CALL + "\",\"play_file\":"
                + "\"/sounds/missing.wav\",\"reason\":\"failed\",\"error\":\"no such file\",\"seq\":1}"));
        server.send("{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":{\"res_id\":\"" + CALL
                + "\"}}");

        assertThat(playing).succeedsWithin(WAIT);
        CallEvent.PlayCompleted expected = new CallEvent.PlayCompleted(CALL, "/sounds/missing.wav",
                PlayEndReason.FAILED, "no such file");
        assertThat(playing.join()).succeedsWithin(WAIT).isEqualTo(expected);
        assertThat(heard.next(CallEvent.PlayCompleted.class)).isEqualTo(expected);
    }

    @Test
    void eventsStayInOrderOnAnApplicationsExecutorOfManyThreads() {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            client = builder().eventExecutor(pool).build();
            dial();
            StringBuilder sent = new StringBuilder();
            for (int seq = 1; seq <= 300; seq++) {
                char digit = "0123456789*#".charAt(seq % 12);
                sent.append(digit);
                server.send(dtmf(digit, seq));
            }
            Await.until("300 digits", WAIT, () -> heard.all().size() == 300);
            StringBuilder got = new StringBuilder();
            heard.all().forEach(e -> got.append(((CallEvent.Dtmf) e).digit()));
            assertThat(got.toString()).isEqualTo(sent.toString());
        } finally {
            server.refuseReleases = true;
            client.close();
            client = null;
            pool.shutdown();
        }
    }

    @Test
    void eventsOfAResourceTheClientHasNoHandleOfGetItReleased() {
        client = builder().build();
        server.send(event("ext.duo_callback.on_state_changed", "{\"res_id\":\"9.9.9-ext.duo_callback-77\","
                + "\"from\":\"initiated\",\"to\":\"answered\",\"time\":1767225600,\"seq\":1}"));

        JsonNode release = server.nextRequest();
        assertThat(release.path("method").asText()).isEqualTo("ext.duo_callback.release");
        assertThat(release.has("id")).as("a notification").isFalse();
        assertThat(release.path("params").path("res_id").asText()).isEqualTo("9.9.9-ext.duo_callback-77");
        assertThat(heard.all()).isEmpty();
    }

    @Test
    void aRefusedTokenIsNeverRetried() {
        server.greet = false;
        CompletableFuture<RemoteCtiEngine> building = CompletableFuture.supplyAsync(
                () -> builder().token("wrong").build());
        server.nextConnection();
        server.send("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":401,\"message\":\"the bearer token is not"
                + " the server's\",\"data\":{}}}");
        server.closeWith(1008, "unauthorized");

        assertThat(building).failsWithin(WAIT).withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOf(EngineFailureException.class)
                .withMessage("the server at " + server.uri() + " refused the token (401 the bearer token is not the"
                        + " server's)");
    }

    @Test
    void aSessionTakenOverByAnotherConnectionReleasesTheResourcesWithTheReason() {
        client = builder().build();
        Call call = dial();

        server.closeWith(4000, "session S1 taken over by another connection");

        assertThat(call.whenReleased()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(EngineFailureException.class).withMessageContaining("taken over");
        assertThat(call.isReleased()).isTrue();
        assertThat(client.resources()).isEmpty();
    }
}
