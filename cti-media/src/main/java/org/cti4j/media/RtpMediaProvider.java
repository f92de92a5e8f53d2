package org.cti4j.media;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.cti4j.api.EngineStatistics;
import org.cti4j.api.RecordFormat;
import org.cti4j.core.spi.MediaConnection;
import org.cti4j.core.spi.MediaException;
import org.cti4j.core.spi.MediaListener;
import org.cti4j.core.spi.MediaMixer;
import org.cti4j.core.spi.MediaProvider;
import org.cti4j.core.spi.MediaSession;
import org.cti4j.media.internal.MediaContext;
import org.cti4j.media.internal.MediaIo;
import org.cti4j.media.internal.MediaWorker;
import org.cti4j.media.internal.PortPool;
import org.cti4j.media.internal.RtpConnection;
import org.cti4j.media.internal.RtpMixer;
import org.cti4j.media.internal.RtpSessionImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cti4j RTP media engine: G.711 sessions with RFC 4733 DTMF, WAV playback, recording in every format of the
 * specification, relaying bridges and N-party mixers, all in-process.
 *
 * <pre>
 *   createSession ─▶ even port from the pool, RTP + RTCP sockets ─▶ a worker (round robin; a session created near
 *                    another, such as party 2's of a duo callback, goes to that one's worker)
 *   worker 1..N: one thread each, one Selector, a 20 ms clock for its sessions and mixers
 *   media I/O thread: file reading, decoding and resampling for playback; encoding and writing for recording
 * </pre>
 *
 * <p>Every method may be called from any thread and returns without waiting on I/O or other threads (creating a
 * session binds its two sockets; closing a session or mixer that records completes the file first). Listeners are
 * called from the media threads.
 */
public final class RtpMediaProvider implements MediaProvider {

    private static final Logger log = LoggerFactory.getLogger(RtpMediaProvider.class);

    private final RtpMediaConfig config;
    private final InetAddress bindAddress;
    private final MediaWorker[] workers;
    private final AtomicInteger nextWorker = new AtomicInteger();
    private final MediaIo io;
    private final PortPool ports;
    private final MediaContext context;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Starts a provider: its worker threads and its I/O thread.
     *
     * @throws IllegalArgumentException if the bind address is not a valid IP address
     */
    public RtpMediaProvider(RtpMediaConfig config) {
        this(config, RtpMediaProvider.class.getClassLoader());
    }

    /** Starts a provider whose optional encoders (jump3r for MP3) are looked up with {@code codecLoader}. */
    RtpMediaProvider(RtpMediaConfig config, ClassLoader codecLoader) {
        this.config = Objects.requireNonNull(config, "config");
        try {
            this.bindAddress = InetAddress.getByName(config.bindAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bind address " + config.bindAddress() + " is not valid", e);
        }
        String advertised = config.advertisedAddress();
        if (bindAddress.isAnyLocalAddress() && advertised.equals(config.bindAddress())) {
            advertised = localHostAddress();
        }
        this.ports = new PortPool(config.firstPort(), config.lastPort());
        this.io = new MediaIo("cti-media-io");
        this.context = new MediaContext(config, advertised, bindAddress instanceof Inet6Address, io, ports,
                codecLoader);
        this.workers = new MediaWorker[config.workers()];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new MediaWorker("cti-media-worker-" + (i + 1));
        }
        log.info("media engine on {} (advertised as {}), RTP ports {}-{}, {} worker(s)", config.bindAddress(),
                advertised, config.firstPort(), config.lastPort(), workers.length);
    }

    /** Starts a provider with the default settings. */
    public RtpMediaProvider() {
        this(RtpMediaConfig.defaults());
    }

    private static String localHostAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    /** Returns the settings. */
    public RtpMediaConfig config() {
        return config;
    }

    /** Returns how many RTP ports are free. */
    public int freePorts() {
        return ports.freeCount();
    }

    /** Returns how many RTP ports the configured range holds. */
    public int portCapacity() {
        return ports.capacity();
    }

    /** Returns how many sessions are open (a closed session counts until its sockets are closed). */
    public int sessionCount() {
        return context.sessions.size();
    }

    /**
     * Returns the counters of every session this provider opened, those still open included: packets received, sent,
     * dropped, lost and late, SRTP failures. Sums the open sessions' counters, once per call: cheap enough for a
     * metrics scrape, not for a packet's path.
     */
    @Override
    public EngineStatistics.Media statistics() {
        return context.statistics();
    }

    /**
     * Creates a session: takes the next free even port and binds RTP to it and RTCP to the port above (a port that
     * some other program holds is skipped).
     *
     * @throws MediaException with status 503 if no port can be had, or the provider is closed
     */
    @Override
    public RtpSession createSession(MediaListener listener) {
        return createSession(listener, null);
    }

    /**
     * Creates a session as {@link #createSession(MediaListener)} does, on the media worker of {@code near} when that
     * is a session of this provider: the packets relayed between the two are then relayed by the thread that
     * received them, with no hand-over to another worker. Sessions with no such neighbour are spread over the
     * workers in turn.
     */
    @Override
    public RtpSession createSession(MediaListener listener, MediaSession near) {
        Objects.requireNonNull(listener, "listener");
        checkOpen();
        int attempts = Math.min(ports.capacity(), 64);
        for (int attempt = 0; attempt < attempts; attempt++) {
            int port = ports.take();
            if (port < 0) {
                throw new MediaException(503, "no free RTP port in " + config.firstPort() + "-" + config.lastPort());
            }
            DatagramChannel rtp = null;
            DatagramChannel rtcp = null;
            try {
                rtp = open(port);
                rtcp = open(port + 1);
            } catch (BindException e) {
                closeQuietly(rtp);
                closeQuietly(rtcp);
                ports.give(port);
                log.debug("port {} or {} is taken by another program; trying the next", port, port + 1);
                continue;
            } catch (IOException e) {
                closeQuietly(rtp);
                closeQuietly(rtcp);
                ports.give(port);
                throw new MediaException(503, "cannot open an RTP socket on " + config.bindAddress() + ":" + port
                        + ": " + e.getMessage());
            }
            MediaWorker worker = near instanceof RtpSessionImpl neighbour && ownWorker(neighbour.worker())
                    ? neighbour.worker() : workers[Math.floorMod(nextWorker.getAndIncrement(), workers.length)];
            RtpSessionImpl session = new RtpSessionImpl(context, worker, listener, port, rtp, rtcp);
            context.sessionOpened(session);
            session.start();
            if (closed.get()) {
                session.close();
                throw new MediaException(503, "the media provider is closed");
            }
            return session;
        }
        throw new MediaException(503, "no RTP port could be bound in " + config.firstPort() + "-" + config.lastPort());
    }

    private boolean ownWorker(MediaWorker worker) {
        for (MediaWorker own : workers) {
            if (own == worker) {
                return true;
            }
        }
        return false;
    }

    private DatagramChannel open(int port) throws IOException {
        DatagramChannel channel = DatagramChannel.open(bindAddress instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            channel.configureBlocking(false);
            channel.bind(new InetSocketAddress(bindAddress, port));
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    private static void closeQuietly(DatagramChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                log.debug("closing a socket failed", e);
            }
        }
    }

    /**
     * Sends what {@code source} receives to {@code sink}'s far end: payloads are relayed unchanged when both use the
     * same codec, transcoded otherwise.
     *
     * @throws IllegalArgumentException if a session is not one of this provider's
     */
    @Override
    public MediaConnection connect(MediaSession source, MediaSession sink) {
        RtpSessionImpl from = context.own(source);
        RtpSessionImpl to = context.own(sink);
        checkOpen();
        return new RtpConnection(from, to).open();
    }

    /**
     * Returns whether recordings in {@code format} can be made: every format, except MP3 when jump3r (an optional
     * dependency) is not on the class path. Checked once, when the provider starts.
     */
    @Override
    public boolean canRecord(RecordFormat format) {
        return context.canRecord(Objects.requireNonNull(format, "format"));
    }

    /** Creates an empty mixer, ticked by the next worker. */
    @Override
    public MediaMixer createMixer() {
        checkOpen();
        RtpMixer mixer = new RtpMixer(context, workers[Math.floorMod(nextWorker.getAndIncrement(), workers.length)]);
        context.mixers.add(mixer);
        return mixer.start();
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new MediaException(503, "the media provider is closed");
        }
    }

    /**
     * Closes every session (completing their recording files) and mixer, then stops the worker and I/O threads,
     * waiting up to a few seconds for them. Safe to call twice.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (RtpMixer mixer : new ArrayList<>(context.mixers)) {
            mixer.close();
        }
        for (RtpSessionImpl session : new ArrayList<>(context.sessions)) {
            session.close();
        }
        for (MediaWorker worker : workers) {
            worker.close();
        }
        io.close();
        log.info("media engine on {} stopped", config.bindAddress());
    }
}
