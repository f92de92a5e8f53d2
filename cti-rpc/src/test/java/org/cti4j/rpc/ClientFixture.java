package org.cti4j.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallState;
import org.cti4j.api.DialOptions;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ManualScheduler;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;

/**
 * A real engine over scripted SIP and media and a manual clock, tapped ({@link ClientTapEngine}), served by an
 * {@link RpcServer} on a free port, and the remote clients a test connects to it.
 */
final class ClientFixture implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration WAIT = ClientRecorder.WAIT;

    final ScriptedSignaling sip = new ScriptedSignaling();
    final ScriptedMedia media = new ScriptedMedia();
    final ManualScheduler clock = new ManualScheduler(T0);
    final CoreEngine core;
    final ClientTapEngine tap;
    final RpcServer server;
    private final List<RemoteCtiEngine> clients = new CopyOnWriteArrayList<>();

    ClientFixture() {
        this(builder -> builder);
    }

    ClientFixture(UnaryOperator<RpcServer.Builder> settings) {
        core = CoreEngine.builder().nodeId("1.2.3").signaling(sip).media(media).clock(clock).scheduler(clock)
                .inboundAnswerTimeout(Duration.ofSeconds(60)).build();
        tap = new ClientTapEngine(core);
        server = settings.apply(RpcServer.builder(tap).port(0).sessionGrace(Duration.ofSeconds(30))).build();
    }

    /** A client builder for this server, quick to time out and to reconnect. */
    RemoteCtiEngine.Builder client() {
        return RemoteCtiEngine.builder(server.uri()).requestTimeout(Duration.ofSeconds(5))
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200)).pingInterval(Duration.ofMillis(250));
    }

    /** Builds the client and closes it with the fixture. */
    RemoteCtiEngine connect(RemoteCtiEngine.Builder builder) {
        RemoteCtiEngine client = builder.build();
        clients.add(client);
        return client;
    }

    static DialOptions dialOptions() {
        return DialOptions.builder().fromUri("sip:1000@127.0.0.1").toUri("sip:2000@127.0.0.1:5062")
                .maxAnswerSeconds(600).maxRingSeconds(30).userData("ticket-7").build();
    }

    /** A remote call and its scripted far end. */
    record Dialled(Call call, ScriptedSignaling.Outbound far) {
    }

    /** Dials through {@code client} and lets the far end answer; takes the dial's two events. */
    Dialled connectedCall(RemoteCtiEngine client, ClientRecorder heard) {
        Call call = client.dial(dialOptions(), heard);
        ScriptedSignaling.Outbound far = sip.nextDialled(WAIT);
        far.answer();
        assertThat(heard.next(CallEvent.DialCompleted.class).resId()).isEqualTo(call.resId());
        assertThat(heard.next(CallEvent.Answered.class).resId()).isEqualTo(call.resId());
        awaitState(call, CallState.IDLE);
        return new Dialled(call, far);
    }

    /** The media session of the {@code index}-th call leg the engine created. */
    ScriptedMedia.Session session(int index) {
        return media.sessions().get(index);
    }

    static void awaitState(Call call, CallState state) {
        Await.until(call.resId() + " in state " + state, WAIT, () -> call.state() == state);
    }

    /** Checks the client heard exactly the events the embedded engine gave about {@code resId}, in order. */
    void assertSameEvents(ClientRecorder heard, String resId) {
        Await.until("the events of " + resId, WAIT, () -> heard.all().stream()
                .filter(e -> tap.events(resId).contains(e)).count() == tap.events(resId).size());
        List<Object> remote = heard.all().stream().filter(e -> resIdOf(e).equals(resId)).toList();
        assertThat(remote).as("the events of %s the client heard", resId).isEqualTo(tap.events(resId));
    }

    private static String resIdOf(Object event) {
        if (event instanceof CallEvent e) {
            return e.resId();
        }
        if (event instanceof org.cti4j.api.DuoCallbackEvent e) {
            return e.resId();
        }
        return ((org.cti4j.api.ConferenceEvent) event).resId();
    }

    @Override
    public void close() {
        clients.forEach(RemoteCtiEngine::close);
        server.close();
        core.close();
    }
}
