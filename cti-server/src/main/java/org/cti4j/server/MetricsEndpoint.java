package org.cti4j.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.cti4j.api.CtiEngine;
import org.cti4j.core.CoreEngine;
import org.cti4j.rpc.RpcServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's HTTP endpoint for operators ({@code --metrics-port}): {@code GET /metrics} gives every meter of the
 * registry in Prometheus's text format, {@code GET /health} the server's state as one word — {@code ready} (200),
 * {@code draining} or {@code down} (503), so that a load balancer or an orchestrator's probe can read the code alone.
 * Anything else is 404, any other method 405. One thread serves it: a scrape is short, and nothing here is on a
 * call's path. It listens on loopback by default ({@code --metrics-host}).
 *
 * <p>Public so that a process embedding one or more engines (the load harness of {@code cti-bench}) can serve each
 * engine's meters the way the server does: a {@link #newRegistry() registry} given to
 * {@code org.cti4j.metrics.CtiMetrics}, served by {@link #start}, read at {@link #uri()}{@code /metrics}.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = MetricsEndpoint.newRegistry();
 * CtiMetrics metrics = CtiMetrics.create(registry);
 * CtiEngine engine = CtiEngine.builder().cdrListener(metrics).build();
 * metrics.watch(engine);
 * MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1", 0, registry, () -> MetricsEndpoint.Health.READY);
 * URI scrape = URI.create(endpoint.uri() + "/metrics");
 * }</pre>
 *
 * <p>Thread-safe; the supplier of {@link Health} and the registry's meters are read on the endpoint's one thread.
 */
public final class MetricsEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

    /** What {@code /health} says, and with which status code. */
    public enum Health {
        /** Takes new calls: {@code ready}, 200. */
        READY,
        /** Refuses new calls while its live ones go on: {@code draining}, 503. */
        DRAINING,
        /** Stopping or stopped: {@code down}, 503. */
        DOWN;

        /** Returns what a running engine says: {@link #DRAINING} while it drains, {@link #READY} otherwise. */
        public static Health of(CtiEngine engine) {
            return engine instanceof CoreEngine core && core.isDraining() ? DRAINING : READY;
        }
    }

    /**
     * Registers the meters of an engine's RPC server in {@code registry}, as the server does:
     * {@code cti4j.rpc.sessions} (sessions open), {@code cti4j.rpc.events.waiting} (events kept for clients that are away) and
     * {@code cti4j.rpc.events.lost} (events clients never got).
     */
    public static void watch(MeterRegistry registry, RpcServer rpc) {
        Gauge.builder("cti4j.rpc.sessions", rpc, RpcServer::sessionCount).description("RPC sessions open")
                .register(registry);
        Gauge.builder("cti4j.rpc.events.waiting", rpc, RpcServer::eventsWaiting)
                .description("events kept for RPC clients that are away").register(registry);
        FunctionCounter.builder("cti4j.rpc.events.lost", rpc, RpcServer::eventsLost)
                .description("events RPC clients never got (lost while away)").register(registry);
    }

    private final PrometheusMeterRegistry registry;
    private final Supplier<Health> health;
    private final HttpServer http;
    private final ExecutorService thread;

    private MetricsEndpoint(PrometheusMeterRegistry registry, Supplier<Health> health, HttpServer http,
            ExecutorService thread) {
        this.registry = registry;
        this.health = health;
        this.http = http;
        this.thread = thread;
    }

    /**
     * Returns a new registry for an engine's meters, in Prometheus's default configuration, to be served by
     * {@link #start}. The endpoint closes it when it is closed.
     */
    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /**
     * Starts serving {@code registry} and {@code health} on {@code host:port} (0 picks a free port), on a daemon
     * thread of its own named {@code cti4j-metrics-http}; returns once it listens.
     *
     * @param host the address to listen on, such as {@code 127.0.0.1}
     * @param port the port, 0 for a free one ({@link #uri()} tells which)
     * @param registry the meters {@code GET /metrics} gives, read at each request
     * @param health what {@code GET /health} says, asked at each request; must be fast and must not throw
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static MetricsEndpoint start(String host, int port, PrometheusMeterRegistry registry,
            Supplier<Health> health) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for /metrics on " + host + ":" + port + ": " + e, e);
        }
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cti4j-metrics-http");
            t.setDaemon(true);
            return t;
        });
        MetricsEndpoint endpoint = new MetricsEndpoint(registry, health, http, thread);
        http.createContext("/", endpoint::handle);
        http.setExecutor(thread);
        http.start();
        return endpoint;
    }

    /**
     * Returns the endpoint's base URI, {@code http://host:port} (the port it picked, if started with 0): the meters
     * are at its {@code /metrics}, the state at its {@code /health}.
     */
    public URI uri() {
        InetSocketAddress address = http.getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/metrics") && !path.equals("/health")) {
                respond(exchange, 404, "text/plain", "not found: try /metrics or /health\n");
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                respond(exchange, 405, "text/plain", "only GET\n");
                return;
            }
            if (path.equals("/health")) {
                Health now = health.get();
                respond(exchange, now == Health.READY ? 200 : 503, "text/plain",
                        now.name().toLowerCase(Locale.ROOT) + "\n");
            } else {
                respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
            }
        } catch (RuntimeException e) {
            log.warn("cannot answer {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        }
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops serving at once (a scrape under way is cut off) and closes the registry. Safe to call twice. */
    @Override
    public void close() {
        http.stop(0);
        thread.shutdownNow();
        registry.close();
    }
}
