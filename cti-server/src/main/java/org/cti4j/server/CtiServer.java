package org.cti4j.server;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.cti4j.api.CdrListener;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.core.CoreEngine;
import org.cti4j.metrics.CtiMetrics;
import org.cti4j.rpc.RpcServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone server: a {@link CtiEngine} served over JSON-RPC/WebSocket by an {@link RpcServer}, run from the
 * runnable jar {@code cti-server/target/cti-server.jar}.
 *
 * <pre>
 *   java -jar cti-server.jar [--sip-host 127.0.0.1] [--sip-port 5060] [--sip-transport udp|tcp|tls]
 *       [--rtp-ports 20000-29999] [--rpc-host 127.0.0.1] [--rpc-port 8088] [--token T] [--node-id 0.0.0]
 *       [--cdr-file cdr.jsonl [--cdr-fsync record|200]] [--keystore server.p12 --keystore-password P]
 *       [--session-grace 30]
 *       [--share-resources false]
 *       [--sip-outbound-proxy sip:10.0.0.5:5060] [--sip-username U --sip-password P [--sip-realm R]]
 *       [--sounds-dir sounds] [--recordings-dir recordings]
 *       [--config server.properties]
 * </pre>
 *
 * {@link CtiServerConfig} describes the flags, the config file and the environment variables ({@code CTI4J_TOKEN},
 * {@code CTI4J_KEYSTORE_PASSWORD}, {@code CTI4J_SIP_PASSWORD});
 * {@link CdrFile} the CDR file. On start the server logs and prints one line saying where it listens; SIGTERM or
 * Ctrl-C stops it cleanly (with {@code --drain-seconds}, the engine first drains: new calls are refused with 503 and
 * the live ones go on up to that long; then the RPC server closes, the engine releases every call and writes their
 * CDRs, the CDR file is synced and closed) and it exits 0. Exit code 2 means bad input (the message on stderr names
 * the flag and value), 1 a failure to start (a port already taken, say).
 *
 * <p>A server killed with SIGKILL, or whose machine lost power, writes no CDR for the calls it had; started again on
 * the same {@code --cdr-file}, it first writes a crash line for each of them ({@link CdrFile} says how, and
 * {@code --cdr-fsync} how soon lines are synced to disk).
 */
public final class CtiServer implements AutoCloseable {

    /** How the line printed on start begins; scripts may wait for it. */
    public static final String LISTENING = "cti-server listening:";

    private final CtiServerConfig config;
    private final CtiEngine engine;
    private final RpcServer rpc;
    private final CdrFile cdrFile;
    /** {@code /metrics} and {@code /health}, or {@code null} without {@code --metrics-port}. */
    private volatile MetricsEndpoint metrics;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Object closeLock = new Object();
    private boolean closing;
    /** Set once the server stops its RPC server and engine: {@code /health} says {@code down}. */
    private volatile boolean stopping;
    private volatile JvmGcMetrics jvmGcMetrics;

    private CtiServer(CtiServerConfig config, CtiEngine engine, RpcServer rpc, CdrFile cdrFile) {
        this.config = config;
        this.engine = engine;
        this.rpc = rpc;
        this.cdrFile = cdrFile;
    }

    /**
     * Reads the settings, starts the engine and the RPC server in front of it, logs where they listen and prints
     * the {@link #LISTENING} line to {@code out}.
     *
     * @param args the command line (see {@link CtiServerConfig#USAGE})
     * @param env the environment, for {@code CTI4J_TOKEN}, {@code CTI4J_KEYSTORE_PASSWORD} and
     *     {@code CTI4J_SIP_PASSWORD}
     * @param out where the listening line (and {@code --help}) is printed
     * @param err where a bad input or a failure to start is described
     * @return the running server; {@link #close()} stops it
     * @throws ExitException if it did not start: exit code 2 for bad input, 1 for a failure to start, 0 after
     *     {@code --help}; the reason is already printed
     */
    public static CtiServer start(String[] args, Map<String, String> env, PrintStream out, PrintStream err)
            throws ExitException {
        return start(args, env, out, err, server -> { });
    }

    /** As {@link #start(String[], Map, PrintStream, PrintStream)}, handing the server to {@code started} first. */
    private static CtiServer start(String[] args, Map<String, String> env, PrintStream out, PrintStream err,
            Consumer<CtiServer> started) throws ExitException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        CtiServerConfig config;
        try {
            config = CtiServerConfig.parse(Objects.requireNonNull(args, "args"), env);
        } catch (CtiServerConfig.HelpRequested e) {
            out.println(CtiServerConfig.USAGE);
            out.flush();
            throw new ExitException(0);
        } catch (CtiServerConfig.BadInputException e) {
            throw fail(err, 2, e.getMessage() + System.lineSeparator() + "run with --help to see the flags");
        }
        CdrFile cdrFile = null;
        if (config.cdrFile() != null) {
            try {
                cdrFile = CdrFile.open(config.cdrFile(), config.cdrSyncInterval());
            } catch (IOException | RuntimeException e) {
                throw fail(err, 2, "--cdr-file '" + config.cdrFile() + "' cannot be opened for appending: " + e);
            }
        }
        try {
            return start(config, cdrFile, out, started);
        } catch (InvalidArgumentException e) {
            close(cdrFile);
            throw fail(err, 2, e.getMessage());
        } catch (RuntimeException e) {
            close(cdrFile);
            log().debug("cannot start", e);
            throw fail(err, 1, "cannot start: " + e.getMessage());
        }
    }

    private static CtiServer start(CtiServerConfig config, CdrFile cdrFile, PrintStream out,
            Consumer<CtiServer> started) {
        Logger log = log();
        CdrListener cdrs = cdrFile != null ? cdrFile : record -> log.info("CDR {}", CdrFile.toJson(record));
        PrometheusMeterRegistry registry = config.metricsPort() < 0 ? null : MetricsEndpoint.newRegistry();
        CtiMetrics engineMetrics = registry == null ? null : CtiMetrics.create(registry);
        if (engineMetrics != null) {
            cdrs = engineMetrics.andThen(cdrs);
        }
        CtiEngine.Builder engineBuilder = CtiEngine.builder()
                .nodeId(config.nodeId())
                .property("sip.host", config.sipHost())
                .property("sip.port", Integer.toString(config.sipPort()))
                .property("sip.transport", config.sipTransport())
                .property("media.address", config.sipHost())
                .property("media.rtp-ports", config.rtpFirstPort() + "-" + config.rtpLastPort())
                .cdrListener(cdrs);
        config.engineProperties().forEach(engineBuilder::property);
        if (config.sipOutboundProxy() != null) {
            engineBuilder.property("sip.outbound-proxy", config.sipOutboundProxy());
        }
        if (config.sipUsername() != null) {
            engineBuilder.property("sip.username", config.sipUsername())
                    .property("sip.password", config.sipPassword());
            if (config.sipRealm() != null) {
                engineBuilder.property("sip.realm", config.sipRealm());
            }
        }
        CtiEngine engine = engineBuilder.build();
        RpcServer rpc;
        try {
            RpcServer.Builder builder = RpcServer.builder(engine).host(config.rpcHost()).port(config.rpcPort())
                    .sessionGrace(config.sessionGrace()).shareResources(config.shareResources());
            if (config.token() != null) {
                builder.token(config.token());
            }
            if (config.keyStore() != null) {
                builder.keyStore(config.keyStore(), config.keyStorePassword());
            }
            // File confinement: clients name files inside these two directories only.
            builder.soundsDirectory(config.soundsDir()).recordingsDirectory(config.recordingsDir());
            rpc = builder.build();
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        CtiServer server = new CtiServer(config, engine, rpc, cdrFile);
        if (registry != null) {
            try {
                server.serveMetrics(registry, engineMetrics);
            } catch (RuntimeException e) {
                rpc.close();
                engine.close();
                throw e;
            }
        }
        started.accept(server);
        String line = server.describe();
        log.info("{}", line);
        out.println(line);
        out.flush();
        return server;
    }

    private static ExitException fail(PrintStream err, int code, String message) {
        err.println("cti-server: " + message);
        err.flush();
        return new ExitException(code);
    }

    /** Returns the {@link #LISTENING} line: the SIP address, the RPC URI, the RTP range, the node id, the CDRs. */
    String describe() {
        String sipAdvertised = config.engineProperties().get("sip.advertised-address");
        String mediaAdvertised = config.engineProperties().get("media.advertised-address");
        return LISTENING + " SIP " + config.sipHost() + ":" + config.sipPort()
                + (sipAdvertised == null ? "" : " advertised as " + sipAdvertised) + " (udp+tcp, dialling over "
                + config.sipTransport() + (config.sipOutboundProxy() == null ? ""
                : " via " + config.sipOutboundProxy()) + "), RPC " + rpc.uri() + (config.token() == null ? " (no token)"
                : " (token required)") + ", RTP " + config.rtpFirstPort() + "-" + config.rtpLastPort()
                + (mediaAdvertised == null ? "" : " advertised as " + mediaAdvertised) + ", node "
                + engine.nodeId() + ", CDRs " + (cdrFile == null ? "to the log" : "to " + cdrFile.path()
                + (config.cdrSyncInterval().isZero() ? " (fsync per record)"
                : " (fsync every " + config.cdrSyncInterval().toMillis() + " ms)"))
                + ", sounds from " + rpc.mediaFiles().soundsDirectory() + ", recordings to "
                + rpc.mediaFiles().recordingsDirectory() + (metrics == null ? "" : ", metrics " + metrics.uri()
                + "/metrics and /health");
    }

    /** Registers the engine's, the RPC server's and the JVM's meters and serves them with {@code /health}. */
    private void serveMetrics(PrometheusMeterRegistry registry, CtiMetrics engineMetrics) {
        engineMetrics.watch(engine);
        MetricsEndpoint.watch(registry, rpc);
        metrics = MetricsEndpoint.start(config.metricsHost(), config.metricsPort(), registry, this::health);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        jvmGcMetrics = gc;
    }

    /** What {@code /health} says: ready, draining (new calls refused, live ones going on), or down (stopping). */
    private MetricsEndpoint.Health health() {
        if (stopping) {
            return MetricsEndpoint.Health.DOWN;
        }
        return MetricsEndpoint.Health.of(engine);
    }

    /** Returns the base URI of {@code /metrics} and {@code /health}, if they are served ({@code --metrics-port}). */
    public Optional<URI> metricsUri() {
        return Optional.ofNullable(metrics).map(MetricsEndpoint::uri);
    }

    /** Returns the settings the server runs with. */
    public CtiServerConfig config() {
        return config;
    }

    /** Returns the RPC server's endpoint, {@code ws://host:port/rpc} (the port it picked, if configured with 0). */
    public URI rpcUri() {
        return rpc.uri();
    }

    /**
     * Stops the server: closes the RPC server (its sessions' resources are released), then the engine (every call
     * still live is released and its CDR written), then the CDR file (synced and closed). Returns when all that is
     * done. Safe to call twice and from several threads: a second caller waits for the first.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closing) {
                awaitClosedUninterruptibly();
                return;
            }
            closing = true;
        }
        Logger log = log();
        drain(log);
        stopping = true;
        log.info("stopping: closing the RPC server, then the engine");
        try {
            rpc.close();
        } catch (RuntimeException e) {
            log.warn("the RPC server failed to close", e);
        }
        try {
            engine.close();
        } catch (RuntimeException e) {
            log.warn("the engine failed to close", e);
        }
        close(cdrFile);
        if (metrics != null) {
            metrics.close();
            jvmGcMetrics.close();
        }
        log.info("stopped");
        closed.countDown();
    }

    /**
     * With a drain time ({@code --drain-seconds}), lets the live calls go on that long at most before the server
     * stops: the engine refuses new inbound calls (503 with {@code Retry-After}, to OPTIONS probes too, so that a proxy
     * in front moves them to another engine) and new constructs, while the RPC server still serves the clients'
     * live calls. Returns when the last one ended or the drain time is over.
     */
    private void drain(Logger log) {
        Duration drainTime = config.drainTime();
        if (drainTime.isZero() || !(engine instanceof CoreEngine core)) {
            return;
        }
        log.info("draining: refusing new calls; {} live resource(s) may go on for up to {} s",
                engine.resources().size(), drainTime.toSeconds());
        try {
            // the engine's own drain timer ends it at drainTime; this wait only bounds a stop that hangs
            core.drain(drainTime).toCompletableFuture().get(drainTime.toMillis() + 10_000, TimeUnit.MILLISECONDS);
            log.info("drained");
        } catch (TimeoutException | ExecutionException e) {
            log.warn("the engine did not finish draining; stopping anyway", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the server is {@linkplain #close() closed}. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    private void awaitClosedUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                closed.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(CdrFile cdrFile) {
        if (cdrFile != null) {
            cdrFile.close();
        }
    }

    /**
     * Runs the server until SIGTERM or Ctrl-C; see the class javadoc for the flags and exit codes.
     *
     * @param args the command line
     */
    public static void main(String[] args) throws InterruptedException {
        defaultLogging();
        // Both are in place before the listening line is printed: whoever waits for it may send SIGTERM at once.
        AtomicReference<CtiServer> running = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            CtiServer started = running.get();
            if (started != null) {
                started.close();
            }
        }, "cti-server-shutdown"));
        exitWithZeroOn("TERM", "INT");
        CtiServer server;
        try {
            server = start(args, System.getenv(), System.out, System.err, running::set);
        } catch (ExitException e) {
            System.exit(e.exitCode());
            return;
        }
        server.awaitClosed();
    }

    /**
     * Makes slf4j-simple log the server's and the engine's information (the jar's simplelogger.properties sets warn
     * for everything else), with times. A {@code -Dorg.slf4j.simpleLogger...} system property given on the command
     * line wins. Must run before the first logger is made.
     */
    private static void defaultLogging() {
        String prefix = "org.slf4j.simpleLogger.";
        System.getProperties().putIfAbsent(prefix + "log.org.cti4j", "info");
        System.getProperties().putIfAbsent(prefix + "log.org.cti4j.sip.stack", "warn");
        System.getProperties().putIfAbsent(prefix + "showDateTime", "true");
        System.getProperties().putIfAbsent(prefix + "dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    }

    /**
     * Makes these signals exit the JVM with status 0 after the shutdown hooks ran. The JVM's own handler exits with
     * 128 + the signal's number (143 for SIGTERM), which service managers report as a failure, although stopping the
     * server is what SIGTERM is for. The handler is installed through reflection because {@code sun.misc.Signal}
     * (module jdk.unsupported) draws a warning javac cannot suppress; where it is missing (or the JVM runs with
     * {@code -Xrs}) the default stays: the shutdown hook still stops the server cleanly, only the exit code is 143.
     */
    private static void exitWithZeroOn(String... signals) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(CtiServer.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, methodArgs) -> switch (method.getName()) {
                        case "handle" -> {
                            log().info("{} received", methodArgs[0]);
                            System.exit(0);
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == methodArgs[0];
                        default -> "cti-server signal handler";
                    });
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            for (String name : signals) {
                handle.invoke(null, signalClass.getConstructor(String.class).newInstance(name), handler);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            log().warn("cannot handle signals {} ({}); they will stop the server with exit code 128 + signal",
                    String.join(", ", signals), e.toString());
        }
    }

    /** The logger, made on first use so that {@link #defaultLogging()} comes first. */
    private static Logger log() {
        return LoggerFactory.getLogger(CtiServer.class);
    }

    /** The server did not start; the reason is already printed. */
    public static final class ExitException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int exitCode;

        /**
         * Creates the exception.
         *
         * @param exitCode the process's exit code: 2 bad input, 1 failure to start, 0 help printed
         */
        public ExitException(int exitCode) {
            super("exit code " + exitCode);
            this.exitCode = exitCode;
        }

        /** Returns the process's exit code: 2 bad input, 1 failure to start, 0 help printed. */
        public int exitCode() {
            return exitCode;
        }
    }
}
