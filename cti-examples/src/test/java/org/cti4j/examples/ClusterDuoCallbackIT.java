package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackListener;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.EngineFailureException;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.media.RtpMediaConfig;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.rpc.ClusterCtiEngine;
import org.cti4j.rpc.RpcServer;
import org.cti4j.sip.SipConfig;
import org.cti4j.sip.SipSignalingProvider;
import org.cti4j.testkit.TestPhone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The application's side of a cluster: a {@link ClusterCtiEngine} over three engines, each served by its own RPC
 * server (keeping a session 1 s after its connection drops), places duo callbacks between two kit phones over real
 * SIP and RTP. Six go out (two per engine); then the second engine is drained and the third killed (its RPC server
 * and SIP stack closed under it without a word); four more go out. Shown: the first six spread over the three; the
 * drained engine's two are connected and end normally (at {@code max_connect_seconds}), and it stops after them; the
 * killed engine's two are reported lost, not left hanging; the four after go to the one engine left and end normally.
 */
class ClusterDuoCallbackIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<Node> nodes = new ArrayList<>();
    private TestPhone agent;
    private TestPhone customer;
    private ClusterCtiEngine cluster;

    /** One engine with its RPC server. */
    private static final class Node {
        final SipSignalingProvider sip;
        final CoreEngine engine;
        final RpcServer rpc;

        Node(int number) {
            sip = new SipSignalingProvider(SipConfig.builder().host("127.0.0." + (number + 2)).port(0)
                    .closeDrain(Duration.ZERO).build());
            engine = CoreEngine.builder().nodeId("0.0." + (number + 1)).signaling(sip)
                    .media(new RtpMediaProvider(RtpMediaConfig.builder().bindAddress("127.0.0.1")
                            .rtpPorts(40000 + number * 1000, 40999 + number * 1000).build())).build();
            rpc = RpcServer.builder(engine).port(0).sessionGrace(Duration.ofSeconds(1)).build();
        }

        void close() {
            rpc.close();
            engine.close();
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        nodes.forEach(Node::close);
        TestPhone.closeAll(agent, customer);
    }

    private DuoCallback place() {
        return cluster.startDuoCallback(DuoCallbackOptions.builder().from1Uri("sip:400@127.0.0.1")
                .to1Uri(agent.uri().toString()).from2Uri("sip:401@127.0.0.1").to2Uri(customer.uri().toString())
                .maxConnectSeconds(3).maxRingSeconds(10).build(), new DuoCallbackListener() { });
    }

    private static DuoCallbackEvent.Released released(DuoCallback duo) throws Exception {
        return duo.whenReleased().toCompletableFuture().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void duoCallbacksGoOnThroughTheEnginesLeftAndTheKilledEnginesAreReportedLost() throws Exception {
        agent = TestPhone.start("agent");
        customer = TestPhone.start("customer");
        for (int i = 0; i < 3; i++) {
            nodes.add(new Node(i));
        }
        cluster = ClusterCtiEngine.builder().node(nodes.get(0).rpc.uri()).node(nodes.get(1).rpc.uri())
                .node(nodes.get(2).rpc.uri()).client(client -> client.requestTimeout(Duration.ofSeconds(5))
                        .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(500))).build();

        List<DuoCallback> first = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            first.add(place());
        }
        assertThat(first).extracting(duo -> duo.resId().substring(0, 5))
                .containsExactlyInAnyOrder("0.0.1", "0.0.1", "0.0.2", "0.0.2", "0.0.3", "0.0.3");
        Await.until("both parties of all six connected", WAIT, () -> agent.liveCalls().size() == 6
                && customer.liveCalls().size() == 6);

        CompletableFuture<Void> drained = nodes.get(1).engine.drain(WAIT).toCompletableFuture();
        Node killed = nodes.get(2);
        killed.rpc.close();
        killed.sip.close();

        List<DuoCallback> after = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            after.add(place());
        }
        assertThat(after).allMatch(duo -> duo.resId().startsWith("0.0.1-"), "placed on the engine left");

        for (DuoCallback duo : first) {
            if (duo.resId().startsWith("0.0.3-")) {
                assertThat(duo.whenReleased().toCompletableFuture()).as(duo.resId() + " reported lost")
                        .failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                        .havingCause().isInstanceOf(EngineFailureException.class);
            } else {
                DuoCallbackEvent.Released end = released(duo);
                assertThat(end.error()).as(duo.resId() + " ended normally").isNull();
                assertThat(end.connectTime()).as(duo.resId() + " was connected").isNotNull();
            }
        }
        drained.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        for (DuoCallback duo : after) {
            DuoCallbackEvent.Released end = released(duo);
            assertThat(end.error()).as(duo.resId() + " ended normally").isNull();
            assertThat(end.connectTime()).as(duo.resId() + " was connected").isNotNull();
        }
    }
}
