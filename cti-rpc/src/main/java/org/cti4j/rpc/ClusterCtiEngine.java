package org.cti4j.rpc;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.cti4j.api.Call;
import org.cti4j.api.CallListener;
import org.cti4j.api.Conference;
import org.cti4j.api.ConferenceListener;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.DialOptions;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackListener;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.EngineFailureException;
import org.cti4j.api.EngineUnavailableException;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link CtiEngine} over several remote engines (cti4j servers, each with its own node id): the application
 * works with it as with one engine, and switches from a single {@link RemoteCtiEngine} by configuration.
 *
 * <pre>{@code
 * CtiEngine engine = ClusterCtiEngine.builder()
 *         .node(URI.create("ws://10.0.0.2:8088/rpc")).node(URI.create("ws://10.0.0.3:8088/rpc"))
 *         .client(client -> client.token(System.getenv("CTI4J_TOKEN")))
 *         .build();
 * }</pre>
 *
 * <ul>
 *   <li><b>New resources</b> ({@code dial}, {@code startDuoCallback}, {@code createConference}) go to the connected
 *       nodes in turn (round-robin). A node that refuses with {@link EngineUnavailableException} (it drains, or is at
 *       a limit) is skipped and the next one asked; so is a node not connected at the moment. If none can take it,
 *       the construct throws {@link EngineUnavailableException} naming each node's reason. A construct that fails
 *       once sent (a timeout, a connection lost in flight) is not repeated elsewhere: it may have been applied, and
 *       placing a second call would be worse; its {@link EngineFailureException} reaches the caller.</li>
 *   <li><b>Operations</b> on a resource go to the node that made it: each resource is its node's
 *       {@link RemoteCtiEngine}'s, so they follow the {@code res_id}'s node by construction. On a node that is down
 *       they fail within the request timeout with {@link EngineFailureException}; they never hang.</li>
 *   <li><b>Queries</b>: {@link #find} asks the node whose node id prefixes the {@code res_id} (then the others);
 *       {@link #resources()} joins every node's.</li>
 *   <li><b>Inbound calls</b>: {@link #setIncomingCallListener} subscribes on every node, and on each node that
 *       connects later.</li>
 *   <li><b>A node that goes away</b> is left to its client, which reconnects with back-off and resumes its session
 *       while the others go on. A node that cannot be reached when the cluster is built is retried in the background,
 *       every second at first, then up to every 30 s.</li>
 * </ul>
 *
 * <p>{@link #nodeId()} has no single answer for several engines: it returns the node ids of the connected nodes,
 * comma-separated, in the order the nodes were given.
 */
public final class ClusterCtiEngine implements CtiEngine {

    private static final Logger log = LoggerFactory.getLogger(ClusterCtiEngine.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);
    /** How long {@link #close()} waits for the clients: a client's own close waits about 12 s at most. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(15);

    private final List<Node> nodes;
    private final ScheduledExecutorService retries;
    private final AtomicInteger next = new AtomicInteger();
    private volatile CallListener incomingListener;
    private volatile boolean closed;

    /** One configured engine: its client while it has one, and when to try again when it has none. */
    private final class Node {
        final URI uri;
        final Function<URI, RemoteCtiEngine> connector;
        volatile RemoteCtiEngine client;
        Duration retryDelay = FIRST_RETRY;

        Node(URI uri, Function<URI, RemoteCtiEngine> connector) {
            this.uri = uri;
            this.connector = connector;
        }

        /** Tries to connect; on failure schedules the next try. Runs on the retry thread (or the builder's). */
        void connect() {
            if (closed) {
                return;
            }
            RemoteCtiEngine connected = null;
            try {
                connected = connector.apply(uri);
                CallListener listener = incomingListener;
                if (listener != null) {
                    connected.setIncomingCallListener(listener);
                }
                client = connected;
                retryDelay = FIRST_RETRY;
                log.info("cluster node {} ({}) connected", connected.nodeId(), uri);
                if (closed) {
                    connected.close();
                }
            } catch (RuntimeException e) {
                if (connected != null) {
                    connected.shutdown();
                }
                log.info("cluster node {} cannot be reached ({}); trying again in {} s", uri, e.getMessage(),
                        retryDelay.toSeconds());
                try {
                    // connect() catches its own failures and reschedules itself: the future holds nothing.
                    var unused = retries.schedule(this::connect, retryDelay.toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException closing) {
                    return;
                }
                retryDelay = retryDelay.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY
                        : retryDelay.multipliedBy(2);
            }
        }

        /** Returns the client if the node is connected now, else empty. */
        Optional<RemoteCtiEngine> ready() {
            RemoteCtiEngine current = client;
            return current != null && current.isConnected() ? Optional.of(current) : Optional.empty();
        }
    }

    private ClusterCtiEngine(List<URI> uris, UnaryOperator<RemoteCtiEngine.Builder> clientSettings,
            CallListener incomingListener) {
        this.incomingListener = incomingListener;
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cti4j-cluster-retry");
            t.setDaemon(true);
            return t;
        });
        List<Node> made = new ArrayList<>();
        for (URI uri : uris) {
            made.add(new Node(uri, u -> clientSettings.apply(RemoteCtiEngine.builder(u)).build()));
        }
        this.nodes = List.copyOf(made);
    }

    /** Returns a builder of a cluster of the servers it is given. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String nodeId() {
        return nodes.stream().map(Node::ready).flatMap(Optional::stream).map(RemoteCtiEngine::nodeId)
                .collect(Collectors.joining(","));
    }

    /**
     * Places the call on the next node that can take it.
     *
     * @throws EngineUnavailableException if no node is connected and willing, naming each node's reason
     * @throws EngineFailureException if the chosen node failed once the request was sent (not retried elsewhere)
     */
    @Override
    public Call dial(DialOptions options, CallListener listener) {
        return construct("sys.call", client -> client.dial(options, listener));
    }

    /** Starts the duo callback on the next node that can take it; fails as {@link #dial} does. */
    @Override
    public DuoCallback startDuoCallback(DuoCallbackOptions options, DuoCallbackListener listener) {
        return construct("ext.duo_callback", client -> client.startDuoCallback(options, listener));
    }

    /** Creates the conference on the next node that can take it; fails as {@link #dial} does. */
    @Override
    public Conference createConference(ConferenceOptions options, ConferenceListener listener) {
        return construct("sys.conf", client -> client.createConference(options, listener));
    }

    private <R> R construct(String module, Function<RemoteCtiEngine, R> construct) {
        if (closed) {
            throw new EngineFailureException("the cluster client is closed: " + module + " refused");
        }
        List<String> reasons = new ArrayList<>();
        List<RemoteCtiEngine> ready = new ArrayList<>();
        for (Node node : nodes) {
            Optional<RemoteCtiEngine> client = node.ready();
            if (client.isPresent()) {
                ready.add(client.get());
            } else {
                reasons.add(node.uri + ": not connected");
            }
        }
        // Round-robin over the nodes connected now, so that a node down does not skew the others' shares.
        int start = ready.isEmpty() ? 0 : Math.floorMod(next.getAndIncrement(), ready.size());
        for (int i = 0; i < ready.size(); i++) {
            RemoteCtiEngine client = ready.get((start + i) % ready.size());
            try {
                return construct.apply(client);
            } catch (EngineUnavailableException e) {
                reasons.add(client.nodeId() + ": " + e.getMessage());
            }
        }
        throw new EngineUnavailableException("no engine of the cluster can take a new " + module + ": "
                + String.join("; ", reasons));
    }

    @Override
    public Optional<Resource> find(String resId) {
        if (resId == null) {
            throw new InvalidArgumentException("res_id", "res_id is missing");
        }
        int dash = resId.indexOf('-');
        String nodeId = dash > 0 ? resId.substring(0, dash) : "";
        for (Node node : nodes) {
            RemoteCtiEngine client = node.client;
            if (client != null && client.nodeId().equals(nodeId)) {
                return client.find(resId);
            }
        }
        return nodes.stream().map(node -> node.client).filter(Objects::nonNull).map(client -> client.find(resId))
                .flatMap(Optional::stream).findFirst();
    }

    @Override
    public List<Resource> resources() {
        List<Resource> all = new ArrayList<>();
        for (Node node : nodes) {
            RemoteCtiEngine client = node.client;
            if (client != null) {
                all.addAll(client.resources());
            }
        }
        return List.copyOf(all);
    }

    /**
     * Sets the listener on every node's client; nodes that connect later get it too. A node whose client does not
     * confirm in time keeps its old listener (logged); the others are set.
     */
    @Override
    public void setIncomingCallListener(CallListener listener) {
        incomingListener = listener;
        for (Node node : nodes) {
            RemoteCtiEngine client = node.client;
            if (client != null) {
                try {
                    client.setIncomingCallListener(listener);
                } catch (RuntimeException e) {
                    log.warn("cluster node {}: the incoming-call listener could not be set: {}", node.uri,
                            e.getMessage());
                }
            }
        }
    }

    /** Shuts every node's client down ({@link RemoteCtiEngine#shutdown()}), and stops retrying. */
    @Override
    public CompletionStage<Void> shutdown() {
        closed = true;
        retries.shutdownNow();
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        for (Node node : nodes) {
            RemoteCtiEngine client = node.client;
            if (client != null) {
                stages.add(client.shutdown().toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new));
    }

    /**
     * Shuts every node's client down at once and waits for them all (each at most about 12 s, as
     * {@link RemoteCtiEngine#close()}), and stops retrying. Called on a thread that reads a node's frames (a listener
     * run in place), it starts the shutdown and returns at once, as a single client does.
     */
    @Override
    public void close() {
        CompletableFuture<Void> stopped = shutdown().toCompletableFuture();
        boolean receiving = nodes.stream().map(node -> node.client)
                .anyMatch(client -> client != null && client.isReceivingThread());
        if (receiving) {
            return;
        }
        try {
            stopped.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("the cluster's clients did not all close in time: {}", e.toString());
        }
    }

    /** Builds a {@link ClusterCtiEngine}. */
    public static final class Builder {
        private final List<URI> uris = new ArrayList<>();
        private UnaryOperator<RemoteCtiEngine.Builder> clientSettings = UnaryOperator.identity();
        private CallListener incomingCallListener;

        private Builder() {
        }

        /** Adds a server, such as {@code ws://10.0.0.2:8088/rpc}. */
        public Builder node(URI uri) {
            uris.add(Objects.requireNonNull(uri, "uri"));
            return this;
        }

        /**
         * Sets what every node's {@link RemoteCtiEngine.Builder} gets besides its URI: token, request timeout,
         * reconnect delays, TLS. Do not set an incoming-call listener there: set it here.
         */
        public Builder client(UnaryOperator<RemoteCtiEngine.Builder> settings) {
            this.clientSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Sets the listener inbound calls of every node are offered to. */
        public Builder incomingCallListener(CallListener listener) {
            this.incomingCallListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Connects to every node it can, each in turn, and returns the cluster; nodes that cannot be reached are
         * retried in the background.
         *
         * @throws InvalidArgumentException if no node was given
         */
        public ClusterCtiEngine build() {
            if (uris.isEmpty()) {
                throw new InvalidArgumentException("nodes", "a cluster needs at least one node");
            }
            ClusterCtiEngine cluster = new ClusterCtiEngine(uris, clientSettings, incomingCallListener);
            cluster.nodes.forEach(Node::connect);
            return cluster;
        }
    }
}
