package org.cti4j.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cti4j.rpc.ClientFixture.WAIT;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallState;
import org.cti4j.api.EngineFailureException;
import org.cti4j.api.PlayEndReason;
import org.cti4j.core.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The connection drops mid-call; the client reconnects, resumes its session and hears every event exactly once and
 * in order — or learns that the server forgot the session.
 */
class RemoteReconnectTest {

    private final ClientRecorder heard = new ClientRecorder();
    private ClientFixture f;
    private ClientTcpRelay relay;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
        if (relay != null) {
            relay.close();
        }
        assertThat(heard.violations()).isEmpty();
    }

    private RemoteCtiEngine.Builder viaRelay() {
        relay = new ClientTcpRelay(f.server.port());
        return RemoteCtiEngine.builder(relay.uri()).requestTimeout(Duration.ofSeconds(5))
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(100)).pingInterval(Duration.ofMillis(250));
    }

    @Test
    void eventsOfACallWhileTheNetworkIsDownArriveOnceAndInOrderAfterTheReconnect() {
        f = new ClientFixture();
        RemoteCtiEngine remote = f.connect(viaRelay());
        ClientFixture.Dialled d = f.connectedCall(remote, heard);
        Call call = d.call();
        String resId = call.resId();
        CompletionStage<CallEvent.PlayCompleted> play = call.playStart(f.dirs.sound("menu.wav"));
        String session = remote.connection().sessionId();

        relay.block(true);
        relay.cut();
        Await.until("the client to see the connection lost", WAIT, () -> !remote.connection().isConnected());
        f.session(0).dtmf('1');
        d.far().infoDtmf('2');
        f.session(0).dtmf('3');
        f.session(0).last("play " + f.soundPath("menu.wav")).finish();
        Await.until("the engine to give the events", WAIT, () -> f.tap.events(resId).size() == 6);
        CompletableFuture<CallState> stateMeanwhile = CompletableFuture.supplyAsync(call::state);
        assertThat(heard.pending()).as("events heard while disconnected").isEmpty();

        relay.block(false);

        assertThat(heard.next(CallEvent.Dtmf.class).digit()).isEqualTo('1');
        assertThat(heard.next(CallEvent.Dtmf.class).digit()).isEqualTo('2');
        assertThat(heard.next(CallEvent.Dtmf.class).digit()).isEqualTo('3');
        assertThat(heard.next(CallEvent.PlayCompleted.class).reason()).isEqualTo(PlayEndReason.FINISHED);
        assertThat(play).succeedsWithin(WAIT).extracting(CallEvent.PlayCompleted::reason)
                .isEqualTo(PlayEndReason.FINISHED);
        assertThat(stateMeanwhile).as("a request made while reconnecting waits for the connection")
                .succeedsWithin(WAIT).isEqualTo(CallState.IDLE);
        assertThat(remote.connection().sessionId()).as("the session resumed").isEqualTo(session);
        assertThat(call.isReleased()).isFalse();

        d.far().remoteHangup(200);
        assertThat(heard.next(CallEvent.Released.class).cause()).isEqualTo(200);
        f.assertSameEvents(heard, resId);
        assertThat(heard.pending()).isEmpty();
        assertThat(remote.connection().lastSeq()).isEqualTo(7);
    }

    @Test
    void anAbortedWebSocketIsReconnectedAndNothingIsLostOrRepeated() {
        f = new ClientFixture();
        RemoteCtiEngine remote = f.connect(f.client());
        ClientFixture.Dialled d = f.connectedCall(remote, heard);
        String resId = d.call().resId();

        for (int round = 0; round < 5; round++) {
            remote.connection().abortForTest();
            f.session(0).dtmf((char) ('0' + round));
            d.far().infoDtmf('#');
            Await.until("the client to reconnect", WAIT, () -> remote.connection().isConnected());
        }
        d.far().remoteHangup(200);

        f.assertSameEvents(heard, resId);
        List<Object> digits = heard.all().stream().filter(CallEvent.Dtmf.class::isInstance)
                .map(e -> ((CallEvent.Dtmf) e).digit()).map(Object.class::cast).toList();
        assertThat(digits).containsExactly('0', '#', '1', '#', '2', '#', '3', '#', '4', '#');
        assertThat(heard.releases()).containsEntry(resId, 1);
    }

    @Test
    void aSessionTheServerForgotReleasesTheClientsResourcesAndTheClientGoesOn() {
        f = new ClientFixture(server -> server.sessionGrace(Duration.ZERO));
        RemoteCtiEngine remote = f.connect(viaRelay().incomingCallListener(heard));
        ClientFixture.Dialled d = f.connectedCall(remote, heard);
        String session = remote.connection().sessionId();

        relay.block(true);
        relay.cut();
        assertThat(d.far().awaitAction("hangup", WAIT)).as("the server released the session's call")
                .isEqualTo("hangup 200");
        relay.block(false);

        Await.until("the call marked released", WAIT, () -> d.call().isReleased());
        assertThat(d.call().whenReleased()).failsWithin(WAIT).withThrowableOfType(
                java.util.concurrent.ExecutionException.class).havingCause()
                .isInstanceOf(EngineFailureException.class).withMessageContaining("forgotten");
        assertThat(d.call().state()).isEqualTo(CallState.RELEASED);
        assertThat(remote.resources()).isEmpty();
        assertThat(remote.connection().sessionId()).isNotEqualTo(session);
        assertThat(heard.releases()).as("no onReleased was heard: none was sent to this session").isEmpty();

        Call next = f.connectedCall(remote, heard).call();
        assertThat(remote.resources()).containsExactly(next);
        f.sip.incoming("sip:3000@127.0.0.1", "sip:4000@127.0.0.1", true);
        assertThat(heard.next(CallEvent.Incoming.class).fromUri().user())
                .as("offered: the client subscribed again in the new session").isEqualTo("3000");
    }

    @Test
    void aClientCutOffLongerThanTheServerKeepsItsSessionCallsItsResourcesLostAndGoesOn() {
        f = new ClientFixture(server -> server.sessionGrace(Duration.ofSeconds(1)));
        RemoteCtiEngine remote = f.connect(viaRelay());
        ClientFixture.Dialled d = f.connectedCall(remote, heard);
        Call call = d.call();

        relay.block(true);
        relay.cut();
        assertThat(call.whenReleased().toCompletableFuture()).as("the call reported lost, not left hanging")
                .failsWithin(WAIT).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(EngineFailureException.class)
                .withMessageContaining("longer than the server keeps a session (1 s)");
        assertThat(call.isReleased()).isTrue();
        assertThatThrownBy(call::drop).isInstanceOf(org.cti4j.api.InvalidStateException.class);
        assertThat(remote.resources()).isEmpty();

        relay.block(false);
        Await.until("the client connected again, in a new session", WAIT, () -> remote.connection().isConnected());
    }
}
