package org.cti4j.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cti4j.rpc.ClientFixture.WAIT;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.Conference;
import org.cti4j.api.ConferenceEndReason;
import org.cti4j.api.ConferenceEvent;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.EngineFailureException;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Closing the client releases what it holds, like closing the embedded engine, and leaves no thread behind. */
class RemoteShutdownTest {

    private final ClientFixture f = new ClientFixture();
    private final ClientRecorder heard = new ClientRecorder();

    @AfterEach
    void close() {
        f.close();
        assertThat(heard.violations()).isEmpty();
    }

    @Test
    void closeReleasesEveryLiveResourceWaitsForTheirEventsAndEndsTheSession() {
        RemoteCtiEngine remote = f.connect(f.client().incomingCallListener(heard));
        ClientFixture.Dialled connected = f.connectedCall(remote, heard);
        Call ringing = remote.dial(ClientFixture.dialOptions(), heard);
        ScriptedSignaling.Outbound ringingFar = f.sip.nextDialled(WAIT);
        ringingFar.ring();
        heard.next(CallEvent.Ringing.class);
        Conference conference = remote.createConference(ConferenceOptions.builder().maxSeconds(60).build(), heard);
        DuoCallback duo = remote.startDuoCallback(DuoCallbackOptions.builder()
                .from1Uri("sip:400@127.0.0.1").to1Uri("sip:1001@127.0.0.1").from2Uri("sip:401@127.0.0.1")
                .to2Uri("sip:1002@127.0.0.1").maxConnectSeconds(60).build(), heard);
        ScriptedSignaling.Outbound party1 = f.sip.nextDialled(WAIT);
        ScriptedSignaling.Inbound caller = f.sip.incoming("sip:3000@127.0.0.1", "sip:4000@127.0.0.1", true);
        Call inbound = remote.call(heard.next(CallEvent.Incoming.class).resId());
        assertThat(remote.resources()).hasSize(5);
        assertThat(f.server.sessionCount()).isEqualTo(1);

        remote.close();

        assertThat(connected.far().actions()).containsExactly("hangup 200");
        assertThat(ringingFar.actions()).containsExactly("cancel");
        assertThat(party1.actions()).containsExactly("cancel");
        assertThat(caller.actions()).containsExactly("reject 603");
        assertThat(connected.call().whenReleased()).succeedsWithin(WAIT);
        assertThat(ringing.whenReleased()).succeedsWithin(WAIT);
        assertThat(inbound.whenReleased()).succeedsWithin(WAIT);
        assertThat(conference.whenReleased()).succeedsWithin(WAIT).extracting(ConferenceEvent.Released::reason)
                .isEqualTo(ConferenceEndReason.RELEASED);
        assertThat(duo.whenReleased()).succeedsWithin(WAIT).extracting(DuoCallbackEvent.Released::error)
                .isEqualTo("cancelled");
        assertThat(heard.releases()).hasSize(5).allSatisfy((resId, count) -> assertThat(count).isEqualTo(1));
        assertThat(remote.resources()).isEmpty();
        Await.until("the server to end the session", WAIT, () -> f.server.sessionCount() == 0);

        remote.close();
        assertThat(remote.shutdown() == remote.shutdown()).as("the same stage again").isTrue();
        assertThat(remote.shutdown().toCompletableFuture()).isDone();
        assertThatThrownBy(() -> remote.dial(ClientFixture.dialOptions(), heard))
                .isInstanceOf(EngineFailureException.class).hasMessageContaining("shut down");
        assertThat(connected.call().state()).isEqualTo(org.cti4j.api.CallState.RELEASED);
        Await.until("the client's threads to end", WAIT, () -> clientThreads().stream()
                .noneMatch(t -> t.getName().startsWith("cti4j-rpc-events")
                        || t.getName().startsWith("cti4j-rpc-reconnect")));
        assertThat(clientThreads()).allMatch(Thread::isDaemon);
    }

    @Test
    void aListenerMayCloseTheClient() {
        RemoteCtiEngine remote = f.connect(f.client());
        CompletableFuture<Void> closed = new CompletableFuture<>();
        remote.dial(ClientFixture.dialOptions(), new org.cti4j.api.CallListener() {
            @Override
            public void onAnswered(Call call, CallEvent.Answered event) {
                remote.close();
                closed.complete(null);
            }
        });
        ScriptedSignaling.Outbound far = f.sip.nextDialled(WAIT);

        far.answer();

        assertThat(closed).succeedsWithin(WAIT);
        assertThat(far.awaitAction("hangup", WAIT)).isEqualTo("hangup 200");
        Await.until("the server to end the session", WAIT, () -> f.server.sessionCount() == 0);
    }

    private static Set<Thread> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("cti4j-rpc"))
                .collect(java.util.stream.Collectors.toSet());
    }
}
