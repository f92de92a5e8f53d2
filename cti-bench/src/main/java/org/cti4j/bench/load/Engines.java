package org.cti4j.bench.load;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.Resource;
import org.cti4j.metrics.CtiMetrics;
import org.cti4j.rpc.ClusterCtiEngine;
import org.cti4j.rpc.RemoteCtiEngine;
import org.cti4j.rpc.RpcServer;
import org.cti4j.server.MetricsEndpoint;

/**
 * The engines under test, all in the harness's process, and the engine the application side (the launcher and the
 * listeners) works with:
 *
 * <pre>
 *   --via embedded   application = engine 1.0.7 itself
 *   --via rpc        application = RemoteCtiEngine ──ws──▶ RpcServer ─▶ engine 1.0.7
 *   --via cluster    application = ClusterCtiEngine ─┬─ws──▶ RpcServer ─▶ engine 1.0.7  (SIP port a, RTP slice 1)
 *                                                    ├─ws──▶ RpcServer ─▶ engine 1.0.8  (SIP port b, RTP slice 2)
 *                                                    └─ ...  one per --engines
 *   --metrics        each engine: CtiMetrics (its CDR listener) on its own registry ─▶ MetricsEndpoint /metrics
 * </pre>
 *
 * <p>Each engine listens for SIP on 127.0.0.1 at a port of its own and takes RTP ports from its slice of
 * {@code --rtp-ports}; every other property is the same for all ({@code --property}). The RPC servers have the
 * request limit and event buffer raised above what a run needs, so that they never refuse or drop anything that the
 * engine itself would take.
 */
final class Engines implements AutoCloseable {

    /** The node id of the first engine; the others count on from it (1.0.8, 1.0.9, ...). */
    private static final int FIRST_NODE = 7;
    /** How long the cluster client may take to connect to every engine. */
    private static final Duration CONNECT_WAIT = Duration.ofSeconds(15);

    /**
     * What one engine will be, chosen before it starts (the relays need the SIP addresses first).
     *
     * @param nodeId its node id, the prefix of its {@code res_id}s
     * @param sipPort the port it listens for SIP on, on 127.0.0.1
     * @param rtpPorts its RTP port range, {@code first-last}
     */
    record Plan(String nodeId, int sipPort, String rtpPorts) {

        /** Returns where it listens for SIP. */
        InetSocketAddress sipAddress() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), sipPort);
        }
    }

    /**
     * One running engine.
     *
     * @param plan its node id, SIP port and RTP ports
     * @param engine the engine itself
     * @param metrics the base URI of its {@code /metrics}, or null without {@code --metrics}
     */
    record Node(Plan plan, CtiEngine engine, URI metrics) {
    }

    private final List<Node> nodes;
    private final CtiEngine application;
    private final List<AutoCloseable> open;
    private final String[] resIdPrefixes;

    private Engines(List<Node> nodes, CtiEngine application, List<AutoCloseable> open) {
        this.nodes = List.copyOf(nodes);
        this.application = application;
        this.open = open;
        this.resIdPrefixes = nodes.stream().map(n -> n.plan().nodeId() + "-").toArray(String[]::new);
    }

    /**
     * Returns what {@code options} asks for: a node id, a free SIP port and an RTP slice for each engine.
     *
     * @throws IOException if no free port can be found
     */
    static List<Plan> plan(LoadOptions options) throws IOException {
        List<String> slices = options.rtpPortSlices();
        Set<Integer> taken = new HashSet<>();
        List<Plan> plans = new ArrayList<>();
        for (int i = 0; i < options.engines(); i++) {
            int port = options.sipPort();
            while (port == 0 || !taken.add(port)) {
                port = SippFarEnd.freeUdpPort();
            }
            plans.add(new Plan("1.0." + (FIRST_NODE + i), port, slices.get(i)));
        }
        return plans;
    }

    /**
     * Starts the engines of {@code plans} and the application side {@code options.via()} asks for.
     *
     * @throws IOException if the cluster client cannot reach every engine in time
     */
    static Engines start(LoadOptions options, List<Plan> plans, Path out) throws IOException {
        List<AutoCloseable> open = new ArrayList<>();
        // closed after the engines: a last scrape may still be under way while they stop
        List<AutoCloseable> endpoints = new ArrayList<>();
        try {
            List<Node> nodes = new ArrayList<>();
            List<CtiEngine> engines = new ArrayList<>();
            List<PrometheusMeterRegistry> registries = new ArrayList<>();
            for (Plan plan : plans) {
                CtiEngine.Builder builder = CtiEngine.builder().nodeId(plan.nodeId())
                        .property("sip.host", "127.0.0.1").property("sip.port", String.valueOf(plan.sipPort()))
                        .property("media.address", "127.0.0.1").property("media.rtp-ports", plan.rtpPorts());
                options.properties().forEach(builder::property);
                PrometheusMeterRegistry registry = options.metrics() ? MetricsEndpoint.newRegistry() : null;
                CtiMetrics metrics = registry != null ? CtiMetrics.create(registry) : null;
                if (metrics != null) {
                    builder.cdrListener(metrics);
                }
                CtiEngine engine = builder.build();
                open.add(engine);
                engines.add(engine);
                URI scrape = null;
                if (registry != null) {
                    metrics.watch(engine);
                    MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, registry, () -> MetricsEndpoint.Health.of(engine));
                    endpoints.add(endpoint);
                    registries.add(registry);
                    scrape = endpoint.uri();
                }
                nodes.add(new Node(plan, engine, scrape));
            }
            CtiEngine application = switch (options.via()) {
                case EMBEDDED -> engines.get(0);
                case RPC -> remote(serve(engines.get(0), out, open, registryOf(registries, 0)), open);
                case CLUSTER -> cluster(engines, registries, out, open);
            };
            endpoints.addAll(open);
            return new Engines(nodes, application, endpoints);
        } catch (IOException | RuntimeException e) {
            LoadHarness.closeAll(open);
            LoadHarness.closeAll(endpoints);
            throw e;
        }
    }

    private static PrometheusMeterRegistry registryOf(List<PrometheusMeterRegistry> registries, int index) {
        return registries.isEmpty() ? null : registries.get(index);
    }

    /**
     * Serves {@code engine} on a loopback RPC server. Its request limit is raised above what the rate needs (a
     * construct and a release per duo callback), its event buffer above what a run keeps in flight. With
     * {@code --metrics} its meters are registered as the server's are ({@link MetricsEndpoint#watch}).
     */
    private static RpcServer serve(CtiEngine engine, Path out, List<AutoCloseable> open,
            PrometheusMeterRegistry registry) {
        RpcServer server = RpcServer.builder(engine).port(0).maxRequestsPerSecond(1_000_000).eventBuffer(1_000_000)
                .soundsDirectory(out.resolve("rpc-sounds")).recordingsDirectory(out.resolve("rpc-recordings"))
                .build();
        open.add(server);
        if (registry != null) {
            MetricsEndpoint.watch(registry, server);
        }
        return server;
    }

    /** Returns a {@link RemoteCtiEngine} connected to {@code server}: the launcher and listeners cross JSON-RPC. */
    private static CtiEngine remote(RpcServer server, List<AutoCloseable> open) {
        RemoteCtiEngine client = RemoteCtiEngine.builder(server.uri()).build();
        open.add(client);
        return client;
    }

    /** Returns a {@link ClusterCtiEngine} over one RPC server per engine, once it is connected to every one. */
    private static CtiEngine cluster(List<CtiEngine> engines, List<PrometheusMeterRegistry> registries, Path out,
            List<AutoCloseable> open) throws IOException {
        ClusterCtiEngine.Builder builder = ClusterCtiEngine.builder();
        for (int i = 0; i < engines.size(); i++) {
            builder.node(serve(engines.get(i), out, open, registryOf(registries, i)).uri());
        }
        ClusterCtiEngine cluster = builder.build();
        open.add(cluster);
        long deadline = System.nanoTime() + CONNECT_WAIT.toNanos();
        while (connected(cluster) < engines.size()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new IOException("the cluster client reached " + connected(cluster) + " of " + engines.size()
                        + " engines in " + CONNECT_WAIT.toSeconds() + " s (connected: '" + cluster.nodeId() + "')");
            }
            LockSupport.parkNanos(20_000_000L);
        }
        return cluster;
    }

    private static int connected(ClusterCtiEngine cluster) {
        String ids = cluster.nodeId();
        return ids.isEmpty() ? 0 : ids.split(",", -1).length;
    }

    /** Returns the engine the launcher and the listeners use: an engine itself, or a client over JSON-RPC. */
    CtiEngine application() {
        return application;
    }

    /** Returns the engines, in the order of their node ids. */
    List<Node> nodes() {
        return nodes;
    }

    /** Returns the base URIs of the engines' {@code /metrics}, or an empty list without {@code --metrics}. */
    List<URI> metricsUris() {
        List<URI> uris = new ArrayList<>();
        for (Node node : nodes) {
            if (node.metrics() != null) {
                uris.add(node.metrics());
            }
        }
        return uris;
    }

    /** Returns the resources live in all the engines together, as each engine itself counts them. */
    int liveResources() {
        int live = 0;
        for (Node node : nodes) {
            live += node.engine().resources().size();
        }
        return live;
    }

    /** Returns how many resources of {@code type} the engines have live now, as each engine itself counts them. */
    int live(Class<? extends Resource> type) {
        int live = 0;
        for (Node node : nodes) {
            for (Resource resource : node.engine().resources()) {
                live += type.isInstance(resource) ? 1 : 0;
            }
        }
        return live;
    }

    /** Returns the index of the engine whose node id prefixes {@code resId}, or -1. Allocates nothing. */
    int indexOf(String resId) {
        for (int i = 0; i < resIdPrefixes.length; i++) {
            if (resId.startsWith(resIdPrefixes[i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Closes the application side first (clients, then the RPC servers), then the engines (each hangs up what it
     * still has), then the metrics endpoints. Safe to call twice.
     */
    @Override
    public void close() {
        LoadHarness.closeAll(open);
    }
}
