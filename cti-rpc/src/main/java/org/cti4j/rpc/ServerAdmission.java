package org.cti4j.rpc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.WrappedByteChannel;
import org.java_websocket.drafts.Draft;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, when a TCP connection is accepted and before any of its bytes is read, whether the server takes it:
 * at most {@code maxConnections} at once and {@code maxPerAddress} from one remote address. A connection taken must
 * complete its WebSocket upgrade within {@code handshakeTimeout} and send at most {@code maxHandshakeBytes} before
 * that, else it is closed. All of this comes before the token check, so that nobody without the token can make the
 * server hold more than a bounded amount of memory.
 *
 * <p>It sits in Java-WebSocket as the factory of connections ({@link GuardedWebSocket}) and of their channels:
 * {@link #wrapChannel} runs on the selector thread for each accepted socket, and throwing {@link IOException} there
 * makes Java-WebSocket close the socket at once. ({@code WebSocketServer.onConnect} cannot refuse one connection:
 * returning {@code false} cancels the listening socket's own selection key, which ends accepting for good.)
 */
final class ServerAdmission implements WebSocketServerFactory {

    private static final Logger log = LoggerFactory.getLogger(ServerAdmission.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** A connection the server took: where it comes from and how far its upgrade got. */
    private static final class Admitted {
        final InetAddress address;
        volatile boolean upgraded;
        long handshakeBytes;
        ScheduledFuture<?> timeout;

        Admitted(InetAddress address) {
            this.address = address;
        }
    }

    private final WebSocketServerFactory delegate;
    private final ServerConfig.ConnectionLimits limits;
    private final ScheduledExecutorService timer;
    private final Map<WebSocket, Admitted> admitted = new ConcurrentHashMap<>();
    // Guarded by this.
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private int total;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong decodeFailures = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    ServerAdmission(WebSocketServerFactory delegate, ServerConfig.ConnectionLimits limits,
            ScheduledExecutorService timer) {
        this.delegate = delegate;
        this.limits = limits;
        this.timer = timer;
    }

    /** Not called by Java-WebSocket's server (it passes its list of drafts); kept as the delegate makes it. */
    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter adapter, Draft draft) {
        return delegate.createWebSocket(adapter, draft);
    }

    /** Each accepted connection (selector thread), one whose decoding never throws. */
    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter adapter, List<Draft> drafts) {
        return new GuardedWebSocket(adapter, drafts, decodeFailures);
    }

    /**
     * Admits or refuses a freshly accepted socket (selector thread); refusing throws, and the socket is closed.
     * Nothing but {@link IOException} leaves: anything else would reach the selector loop, which stops the server.
     */
    @Override
    public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws IOException {
        try {
            return admit(channel, key);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            log.error("admitting a connection failed; it is closed and the server goes on", t);
            throw new IOException("admitting the connection failed: " + t);
        }
    }

    private ByteChannel admit(SocketChannel channel, SelectionKey key) throws IOException {
        WebSocket conn = (WebSocket) key.attachment();
        InetAddress address = ((InetSocketAddress) channel.getRemoteAddress()).getAddress();
        String refusal = take(address);
        if (refusal != null) {
            refused(address, refusal);
            throw new IOException("connection refused: " + refusal);
        }
        Admitted entry = new Admitted(address);
        admitted.put(conn, entry);
        try {
            entry.timeout = timer.schedule(() -> handshakeTimedOut(conn), limits.handshakeTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            return new Counted(delegate.wrapChannel(channel, key), entry);
        } catch (IOException | RuntimeException | Error e) {
            closed(conn);
            throw e;
        }
    }

    private synchronized String take(InetAddress address) {
        if (total >= limits.maxConnections()) {
            return "the server holds max_connections " + limits.maxConnections() + " connections";
        }
        int fromThere = perAddress.getOrDefault(address, 0);
        if (fromThere >= limits.maxPerAddress()) {
            return address.getHostAddress() + " holds max_connections_per_address " + limits.maxPerAddress()
                    + " connections";
        }
        total++;
        perAddress.put(address, fromThere + 1);
        return null;
    }

    private synchronized void give(InetAddress address) {
        total--;
        perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    private void refused(InetAddress address, String why) {
        long count = refused.incrementAndGet();
        long now = System.nanoTime();
        long last = lastWarning.get();
        // A flood must not become a flood of log lines: one warning per 10 s at most.
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            log.warn("refused a connection from {}: {} ({} refused since the server started)",
                    address.getHostAddress(), why, count);
        } else {
            log.debug("refused a connection from {}: {}", address.getHostAddress(), why);
        }
    }

    private void handshakeTimedOut(WebSocket conn) {
        try {
            Admitted entry = admitted.get(conn);
            if (entry != null && !entry.upgraded) {
                timedOut.incrementAndGet();
                log.debug("closing {}: no WebSocket upgrade within {} ms", entry.address.getHostAddress(),
                        limits.handshakeTimeout().toMillis());
                conn.closeConnection(CloseFrame.NEVER_CONNECTED, "no upgrade within the handshake timeout");
            }
        } catch (Throwable t) {
            // The timer serves every connection: nothing may end it.
            log.error("closing a connection whose upgrade timed out failed", t);
        }
    }

    /** The connection's upgrade request was read in full (decoder thread): its timeout and byte count end. */
    void upgraded(WebSocket conn) {
        Admitted entry = admitted.get(conn);
        if (entry != null) {
            entry.upgraded = true;
            ScheduledFuture<?> timeout = entry.timeout;
            if (timeout != null) {
                timeout.cancel(false);
            }
        }
    }

    /** The connection closed, whatever its state: it no longer counts. Safe to call twice. */
    void closed(WebSocket conn) {
        Admitted entry = admitted.remove(conn);
        if (entry != null) {
            give(entry.address);
            ScheduledFuture<?> timeout = entry.timeout;
            if (timeout != null) {
                timeout.cancel(false);
            }
        }
    }

    /** Every connection the server holds now, upgraded or not. */
    java.util.Set<WebSocket> connections() {
        return admitted.keySet();
    }

    /** Connections held now (for tests). */
    synchronized int held() {
        return total;
    }

    /** Throwables that came out of Java-WebSocket's decoding of a connection (each closed it). */
    long decodeFailures() {
        return decodeFailures.get();
    }

    /** Connections refused at accept so far (for tests). */
    long refusedCount() {
        return refused.get();
    }

    /** Connections closed for not upgrading in time so far (for tests). */
    long timedOutCount() {
        return timedOut.get();
    }

    @Override
    public void close() {
        delegate.close();
    }

    /**
     * A connection's channel that counts what is read before the upgrade completes, and fails the read (which makes
     * Java-WebSocket close the connection) once that is more than an upgrade request may be. Everything else is the
     * wrapped channel's (TLS included).
     */
    private final class Counted implements WrappedByteChannel {
        private final ByteChannel channel;
        private final Admitted entry;

        Counted(ByteChannel channel, Admitted entry) {
            this.channel = channel;
            this.entry = entry;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return counted(channel.read(dst));
        }

        @Override
        public int readMore(ByteBuffer dst) throws IOException {
            return counted(channel instanceof WrappedByteChannel wrapped ? wrapped.readMore(dst) : 0);
        }

        private int counted(int read) throws IOException {
            if (read > 0 && !entry.upgraded) {
                entry.handshakeBytes += read;
                if (entry.handshakeBytes > limits.maxHandshakeBytes()) {
                    log.debug("closing {}: its upgrade request is larger than {} bytes",
                            entry.address.getHostAddress(), limits.maxHandshakeBytes());
                    throw new IOException("the upgrade request is larger than " + limits.maxHandshakeBytes()
                            + " bytes");
                }
            }
            return read;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return channel.write(src);
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }

        @Override
        public boolean isNeedWrite() {
            return channel instanceof WrappedByteChannel wrapped && wrapped.isNeedWrite();
        }

        @Override
        public void writeMore() throws IOException {
            if (channel instanceof WrappedByteChannel wrapped) {
                wrapped.writeMore();
            }
        }

        @Override
        public boolean isNeedRead() {
            return channel instanceof WrappedByteChannel wrapped && wrapped.isNeedRead();
        }

        @Override
        public boolean isBlocking() {
            return channel instanceof WrappedByteChannel wrapped && wrapped.isBlocking();
        }
    }
}
