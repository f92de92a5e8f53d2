package org.cti4j.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.DialOptions;
import org.cti4j.api.EngineFailureException;
import org.cti4j.api.EngineUnavailableException;
import org.cti4j.api.Resource;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link ClusterCtiEngine} over three servers (engines with scripted signalling and media, each behind its own RPC
 * server, each keeping a session 1 s after its connection drops): constructs spread over the connected nodes,
 * queries and inbound calls span them, a draining node is skipped, a node that goes away fails its own operations
 * quickly and has its calls reported lost while the others go on, and a node that was down at the start joins once
 * it is up.
 */
class ClusterCtiEngineTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<Server> servers = new ArrayList<>();
    private ClusterCtiEngine cluster;

    /** One engine and its RPC server. */
    private record Server(CoreEngine engine, ScriptedSignaling sip, RpcServer rpc) implements AutoCloseable {
        @Override
        public void close() {
            rpc.close();
            engine.close();
        }
    }

    private Server server(String nodeId, int port) {
        ScriptedSignaling sip = new ScriptedSignaling();
        CoreEngine engine = CoreEngine.builder().nodeId(nodeId).signaling(sip).media(new ScriptedMedia()).build();
        Server server = new Server(engine, sip, RpcServer.builder(engine).port(port)
                .sessionGrace(Duration.ofSeconds(1)).build());
        servers.add(server);
        return server;
    }

    /** The cluster first (while the servers still answer), then the servers. */
    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
        servers.forEach(Server::close);
    }

    private static int freeTcpPort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static DialOptions options() {
        return DialOptions.builder().fromUri("sip:1000@127.0.0.1").toUri("sip:2000@127.0.0.1:5062")
                .maxAnswerSeconds(600).maxRingSeconds(30).build();
    }

    @Test
    void resourcesSpreadOverTheNodesAndTheClusterOutlivesADrainAndALostNode() throws Exception {
        Server one = server("1.0.1", 0);
        Server two = server("1.0.2", 0);
        int laterPort = freeTcpPort();
        CompletableFuture<CallEvent.Incoming> offered = new CompletableFuture<>();
        cluster = ClusterCtiEngine.builder().node(one.rpc().uri()).node(two.rpc().uri())
                .node(URI.create("ws://127.0.0.1:" + laterPort + "/rpc"))
                .client(client -> client.requestTimeout(Duration.ofSeconds(2)).reconnectDelay(Duration.ofMillis(50),
                        Duration.ofMillis(200)))
                .incomingCallListener(new CallListener() {
                    @Override
                    public void onIncoming(Call call, CallEvent.Incoming event) {
                        offered.complete(event);
                    }
                }).build();
        assertThat(cluster.nodeId()).isEqualTo("1.0.1,1.0.2");

        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(cluster.dial(options(), new CallListener() { }));
        }
        assertThat(calls).extracting(call -> call.resId().substring(0, 5))
                .containsExactlyInAnyOrder("1.0.1", "1.0.1", "1.0.2", "1.0.2");
        for (Call call : calls) {
            assertThat(cluster.find(call.resId())).containsSame(call);
        }
        assertThat(cluster.resources()).extracting(Resource::resId)
                .containsExactlyInAnyOrderElementsOf(calls.stream().map(Call::resId).toList());

        two.sip().incoming("sip:7@10.0.0.9", "sip:100@127.0.0.1", true);
        assertThat(offered.get(WAIT.toSeconds(), TimeUnit.SECONDS).resId()).startsWith("1.0.2-");

        // A draining node refuses constructs: they go to the other.
        one.engine().drain(Duration.ofMinutes(1));
        for (int i = 0; i < 2; i++) {
            assertThat(cluster.dial(options(), new CallListener() { }).resId()).startsWith("1.0.2-");
        }

        // The other goes away: its calls' operations fail (not hang), and no node can take a construct.
        two.close();
        Await.until("the lost node seen as not connected", WAIT, () -> cluster.nodeId().equals("1.0.1"));
        Call lost = calls.stream().filter(c -> c.resId().startsWith("1.0.2-")).findFirst().orElseThrow();
        long before = System.nanoTime();
        assertThatThrownBy(lost::drop).isInstanceOf(EngineFailureException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(WAIT);
        assertThatThrownBy(() -> cluster.dial(options(), new CallListener() { }))
                .isInstanceOf(EngineUnavailableException.class)
                .hasMessageContaining("1.0.1 is draining").hasMessageContaining("not connected");
        // Once the node has been gone longer than a server keeps a session, its calls are reported lost.
        assertThat(lost.whenReleased().toCompletableFuture()).failsWithin(WAIT)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(EngineFailureException.class)
                .withMessageContaining("longer than the server keeps a session");
        assertThat(cluster.find(lost.resId())).isEmpty();

        // The node that was down from the start joins once it is up, and takes the next construct.
        Server three = server("1.0.3", laterPort);
        Await.until("the third node joined", WAIT, () -> cluster.nodeId().equals("1.0.1,1.0.3"));
        assertThat(cluster.dial(options(), new CallListener() { }).resId()).startsWith("1.0.3-");
        three.sip().incoming("sip:8@10.0.0.9", "sip:100@127.0.0.1", true);
        Await.until("the third node's inbound call offered", WAIT, () -> cluster.resources().stream()
                .anyMatch(r -> r.resId().startsWith("1.0.3-") && r instanceof Call c && c.direction()
                        == org.cti4j.api.CallDirection.INBOUND));
    }
}
