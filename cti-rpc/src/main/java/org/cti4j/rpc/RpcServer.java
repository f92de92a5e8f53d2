package org.cti4j.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.EngineFailureException;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.MediaFiles;

/**
 * Serves a {@link CtiEngine} as JSON-RPC 2.0 over WebSocket: the specification's functions as methods
 * ({@code sys.call.construct}, {@code ext.duo_callback.construct}, {@code sys.conf.construct}, ...), every event as a
 * notification to the session that owns the resource. {@code cti-rpc/PROTOCOL.md} is the full description of the
 * wire protocol.
 *
 * <pre>{@code
 * try (CtiEngine engine = CtiEngine.builder().property("sip.port", "5060").build();
 *         RpcServer server = RpcServer.builder(engine).port(8088).build()) {
 *     // ws://127.0.0.1:8088/rpc serves the engine until the server is closed
 * }
 * }</pre>
 *
 * <p>The server takes over the engine's {@linkplain CtiEngine#setIncomingCallListener incoming call listener}: inbound
 * calls are offered to the sessions that subscribed to them. It never closes the engine: whoever built the engine
 * closes it, after the server.
 *
 * <p>Security: the server listens on 127.0.0.1 unless told otherwise, requires a bearer token whenever it listens on
 * any other address, serves {@code wss://} when given a key store, and limits the size of frames and the rate of
 * requests of every connection. Before a connection's upgrade and token are read, it limits how many connections it
 * holds (in all and per remote address), how long an upgrade may take and how large it may be. Each session may
 * operate only on the resources it created or was offered, unless {@link Builder#shareResources(boolean)} says
 * otherwise, and a session can be resumed only with the secret resume token it was given. No request, whatever its
 * handling throws ({@link Error}s included), stops the server: it is answered with an error and the server goes on.
 *
 * <p>Files: a client never names a path on the server's machine. Its {@code play_file}, {@code ring_play_file} and
 * {@code prompt_file} are names inside the {@linkplain Builder#soundsDirectory sounds directory} (or, prefixed with
 * {@value MediaFiles#RECORDINGS_PREFIX}, inside the recordings directory), its {@code record_file} a name inside the
 * {@linkplain Builder#recordingsDirectory recordings directory}, by the rules of {@link MediaFiles#confined}; any
 * other is refused with -32602 naming the parameter. A recording replaces an existing file only when its request
 * sets {@code record_overwrite}, and a file it creates is readable by the server's user only. Events report the names
 * the client gave, never the server's paths. This holds whatever {@link MediaFiles} the engine itself was built
 * with: the application that embeds the engine keeps its own rules.
 */
public final class RpcServer implements AutoCloseable {

    private final ServerEndpoint endpoint;
    private final URI uri;

    private RpcServer(ServerEndpoint endpoint, URI uri) {
        this.endpoint = endpoint;
        this.uri = uri;
    }

    /**
     * Returns a builder for a server in front of {@code engine}.
     *
     * @param engine the engine to serve; it must outlive the server
     */
    public static Builder builder(CtiEngine engine) {
        return new Builder(Objects.requireNonNull(engine, "engine"));
    }

    /** Returns the port the server listens on (the one it picked, when built with port 0). */
    public int port() {
        return endpoint.boundPort();
    }

    /** Returns the endpoint's address, {@code ws://host:port/rpc} (or {@code wss://}). */
    public URI uri() {
        return uri;
    }

    /** Returns where the files of remote requests may be: the server's sounds and recordings directories. */
    public MediaFiles mediaFiles() {
        return endpoint.files();
    }

    /** Returns the number of sessions the server holds (connected, or waiting for their client to come back). */
    public int sessionCount() {
        return endpoint.sessions().count();
    }

    /**
     * Returns how many events wait in sessions whose client is away (its connection dropped; the session waits for
     * it up to the session grace): those since the connection dropped, at most the event buffer of each.
     */
    public long eventsWaiting() {
        return endpoint.sessions().eventsWaiting();
    }

    /**
     * Returns how many events clients never got since the server started: those a returning client was told it
     * missed ({@code lost} in {@code rpc.on_session}: they fell out of the event buffer while it was away), and
     * those still waiting when a session ended without its client's return.
     */
    public long eventsLost() {
        return endpoint.sessions().eventsLost();
    }

    /** The sessions, for tests in this package. */
    ServerSessions sessions() {
        return endpoint.sessions();
    }

    /** The admission of connections, for tests in this package. */
    ServerAdmission admission() {
        return endpoint.admission();
    }

    /** Whether the listener still runs (it must, whatever clients send), for tests in this package. */
    boolean isListening() {
        return endpoint.isListening();
    }

    /** What stopped the listener on its own, or {@code null}, for tests in this package. */
    Throwable fatalFailure() {
        return endpoint.fatalFailure();
    }

    /** How many throwables the server's callbacks caught that nothing else handled, for tests in this package. */
    long unexpectedFailures() {
        return endpoint.unexpectedFailures();
    }

    /**
     * Stops serving: closes every connection (status 1001, going away), asks the engine to release the resources of
     * every session (calls are hung up, duo callbacks and conferences ended; that completes asynchronously, as the
     * engine's operations do), and frees the port. The engine itself stays open: close it afterwards to wait for
     * every release. Safe to call twice.
     */
    @Override
    public void close() {
        endpoint.shutdown();
    }

    /** Builds and starts an {@link RpcServer}. Not thread-safe. */
    public static final class Builder {
        /** The default sounds directory, relative to the working directory. */
        public static final String DEFAULT_SOUNDS_DIRECTORY = "sounds";
        /** The default recordings directory, relative to the working directory. */
        public static final String DEFAULT_RECORDINGS_DIRECTORY = "recordings";

        /** The largest WebSocket upgrade request (request line and headers) the server reads, in bytes. */
        public static final int MAX_HANDSHAKE_BYTES = 16 * 1024;

        private final CtiEngine engine;
        private String host = "127.0.0.1";
        private int port = 8088;
        private String token;
        private Path keyStore;
        private char[] keyStorePassword;
        private int maxFrameBytes = 64 * 1024;
        private int maxRequestsPerSecond = 200;
        private int eventBuffer = 4096;
        private Duration sessionGrace = Duration.ofSeconds(30);
        private int maxConnections = 1000;
        private int maxConnectionsPerAddress = 64;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private boolean shareResources;
        private Path soundsDirectory = Path.of(DEFAULT_SOUNDS_DIRECTORY);
        private Path recordingsDirectory = Path.of(DEFAULT_RECORDINGS_DIRECTORY);

        private Builder(CtiEngine engine) {
            this.engine = engine;
        }

        /**
         * Sets the address to listen on (default {@code 127.0.0.1}). Any other than a loopback address requires a
         * {@link #token}.
         */
        public Builder host(String host) {
            if (host == null || host.isBlank()) {
                throw new InvalidArgumentException("rpc_host", "rpc_host must not be empty");
            }
            this.host = host;
            return this;
        }

        /** Sets the port to listen on (default 8088; 0 picks a free one, see {@link RpcServer#port()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new InvalidArgumentException("rpc_port", "rpc_port " + port + " is not a port (0-65535)");
            }
            this.port = port;
            return this;
        }

        /**
         * Sets the bearer token clients must present ({@code Authorization: Bearer ...} or {@code ?token=...}).
         * Default none, which is allowed only on a loopback address.
         */
        public Builder token(String token) {
            if (token == null || token.isBlank()) {
                throw new InvalidArgumentException("token", "the token must not be empty");
            }
            this.token = token;
            return this;
        }

        /**
         * Serves {@code wss://} with the key and certificate of a key store (PKCS#12 or JKS).
         *
         * @param keyStore the key store file
         * @param password its password (also the key's)
         */
        public Builder keyStore(Path keyStore, String password) {
            this.keyStore = Objects.requireNonNull(keyStore, "keyStore");
            this.keyStorePassword = Objects.requireNonNull(password, "password").toCharArray();
            return this;
        }

        /**
         * Sets the largest request frame, in bytes, that is read (default 64 KiB). A larger one is answered with
         * error -32600; one more than 16 times larger closes the connection with status 1009.
         */
        public Builder maxFrameBytes(int bytes) {
            this.maxFrameBytes = inRange("max_frame_bytes", bytes, 1024, 16 * 1024 * 1024);
            return this;
        }

        /** Sets how many requests per second one connection may make (default 200); more are refused with 429. */
        public Builder maxRequestsPerSecond(int rate) {
            this.maxRequestsPerSecond = inRange("max_requests_per_second", rate, 1, 1_000_000);
            return this;
        }

        /** Sets how many events of each session are kept for a client that reconnects (default 4096). */
        public Builder eventBuffer(int events) {
            this.eventBuffer = inRange("event_buffer", events, 16, 1_000_000);
            return this;
        }

        /**
         * Sets how long a session whose connection dropped waits for its client to come back before its resources are
         * released (default 30 s; 0 releases them at once).
         */
        public Builder sessionGrace(Duration grace) {
            Objects.requireNonNull(grace, "grace");
            if (grace.isNegative() || grace.compareTo(Duration.ofHours(1)) > 0) {
                throw new InvalidArgumentException("session_grace", "session_grace " + grace
                        + " is out of range 0 - 1 h");
            }
            this.sessionGrace = grace;
            return this;
        }

        /**
         * Sets how many connections the server holds at once, upgraded or not (default 1000). One more is closed as
         * soon as it is accepted, before anything of it is read.
         */
        public Builder maxConnections(int connections) {
            this.maxConnections = inRange("max_connections", connections, 1, 1_000_000);
            return this;
        }

        /**
         * Sets how many connections one remote IP address may hold at once (default 64). One more is closed as soon
         * as it is accepted. Clients behind one NAT or proxy share the limit.
         */
        public Builder maxConnectionsPerAddress(int connections) {
            this.maxConnectionsPerAddress = inRange("max_connections_per_address", connections, 1, 1_000_000);
            return this;
        }

        /**
         * Sets how long a connection may take, from its accept, to complete its WebSocket upgrade (default 10 s);
         * one that has not is closed. The upgrade request may also be at most {@value #MAX_HANDSHAKE_BYTES} bytes.
         */
        public Builder handshakeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new InvalidArgumentException("handshake_timeout", "handshake_timeout " + timeout
                        + " is out of range 100 ms - 5 min");
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * Sets whether any session may operate on any session's calls, duo callbacks and conferences (default
         * {@code false}: a session may operate only on those it created or was offered, and any other is answered
         * 404, as if it did not exist). Sharing suits several trusted clients that cooperate on one engine.
         */
        public Builder shareResources(boolean share) {
            this.shareResources = share;
            return this;
        }

        /**
         * Sets the directory whose files clients may play, by their names relative to it (default {@code sounds}, in
         * the working directory when the server is built). It need not exist: until it does, every file to play is
         * refused as missing.
         */
        public Builder soundsDirectory(Path directory) {
            this.soundsDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Sets the directory clients record to, and may play from with the {@value MediaFiles#RECORDINGS_PREFIX}
         * prefix (default {@code recordings}, in the working directory when the server is built). When missing, it
         * is made, readable by the server's user only, by the first recording.
         */
        public Builder recordingsDirectory(Path directory) {
            this.recordingsDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Builds the server and starts listening.
         *
         * @throws InvalidArgumentException if the server would listen beyond loopback without a token
         * @throws EngineFailureException if it cannot listen (port taken, unreadable key store, ...)
         */
        public RpcServer build() {
            InetAddress address;
            try {
                address = InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new InvalidArgumentException("rpc_host", "rpc_host '" + host + "' is not a known address");
            }
            if (!address.isLoopbackAddress() && token == null) {
                throw new InvalidArgumentException("token", "a token is required to listen on " + host
                        + ", which is not a loopback address");
            }
            SSLContext ssl = keyStore == null ? null : sslContext(keyStore, keyStorePassword);
            ServerConfig config = new ServerConfig(token, maxFrameBytes, maxRequestsPerSecond, eventBuffer,
                    sessionGrace, new ServerConfig.ConnectionLimits(maxConnections, maxConnectionsPerAddress,
                            handshakeTimeout, MAX_HANDSHAKE_BYTES), shareResources,
                    MediaFiles.confined(soundsDirectory, recordingsDirectory));
            ServerEndpoint endpoint = new ServerEndpoint(engine, new InetSocketAddress(address, port), config, ssl);
            endpoint.startAndAwait();
            String scheme = ssl == null ? "ws" : "wss";
            String hostPart = address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]"
                    : address.getHostAddress();
            return new RpcServer(endpoint, URI.create(scheme + "://" + hostPart + ":" + endpoint.boundPort()
                    + "/rpc"));
        }

        private static int inRange(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new InvalidArgumentException(name, name + " " + value + " is out of range " + min + " - " + max);
            }
            return value;
        }

        private static SSLContext sslContext(Path file, char[] password) {
            try (InputStream in = Files.newInputStream(file)) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(in, password);
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, password);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keys.getKeyManagers(), null, null);
                return context;
            } catch (IOException | GeneralSecurityException e) {
                throw new EngineFailureException("cannot use key store " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
