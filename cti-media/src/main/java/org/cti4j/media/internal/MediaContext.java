package org.cti4j.media.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.cti4j.api.EngineStatistics;
import org.cti4j.api.RecordFormat;
import org.cti4j.core.spi.MediaOperation;
import org.cti4j.core.spi.MediaSession;
import org.cti4j.media.RtpMediaConfig;
import org.cti4j.media.SrtpMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the sessions and mixers of one provider share: configuration, the I/O thread, the port pool, the registry. */
public final class MediaContext {

    private static final Logger log = LoggerFactory.getLogger(MediaContext.class);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final RtpMediaConfig config;
    private final String advertisedAddress;
    /** Whether the sockets are IPv6 ones, which reach IPv4 addresses too; IPv4 sockets cannot reach IPv6 ones. */
    private final boolean ipv6Sockets;
    private final String cname;
    private final MediaIo io;
    private final PortPool ports;
    private final long inactivityNanos;
    private final boolean mp3;
    public final Set<RtpSessionImpl> sessions = ConcurrentHashMap.newKeySet();
    public final Set<RtpMixer> mixers = ConcurrentHashMap.newKeySet();
    private final MediaTotals totals = new MediaTotals();

    /**
     * Creates the shared state.
     *
     * @param ipv6Sockets whether the RTP sockets are IPv6 ones (the bind address is IPv6)
     * @param codecLoader the class loader that must see optional encoders (jump3r) for their formats to be offered
     */
    public MediaContext(RtpMediaConfig config, String advertisedAddress, boolean ipv6Sockets, MediaIo io,
            PortPool ports, ClassLoader codecLoader) {
        this.config = config;
        this.advertisedAddress = advertisedAddress;
        this.ipv6Sockets = ipv6Sockets;
        this.cname = "cti4j@" + advertisedAddress;
        this.io = io;
        this.ports = ports;
        this.inactivityNanos = config.inactivityTimeout().toNanos();
        this.mp3 = AudioFileWriter.canWrite(RecordFormat.MP3, codecLoader);
    }

    /** Returns whether recordings in {@code format} can be written: MP3 only with jump3r on the class path. */
    public boolean canRecord(RecordFormat format) {
        return format != RecordFormat.MP3 || mp3;
    }

    public String advertisedAddress() {
        return advertisedAddress;
    }

    public String cname() {
        return cname;
    }

    public MediaIo io() {
        return io;
    }

    public PortPool ports() {
        return ports;
    }

    public long inactivityNanos() {
        return inactivityNanos;
    }

    /** Returns whether sessions use SRTP. */
    public SrtpMode srtpMode() {
        return config.srtp();
    }

    /** Creates a ringback tone with the configured frequency and cadence. */
    public Playback ringback(MediaOperation.Listener listener) {
        return new RingbackPlayback(config.ringbackFrequency(), (int) config.ringbackOn().toMillis(),
                (int) config.ringbackOff().toMillis(), listener);
    }

    /**
     * Turns a host and port into a socket address and hands it to {@code then}: at once for an IP literal, from the
     * I/O thread for a name (a lookup may block). An unknown name, or an IPv6 address where the sockets are IPv4
     * ones, hands {@code null} (nothing is sent).
     */
    public void resolve(String host, int port, Consumer<InetSocketAddress> then) {
        if (IPV4.matcher(host).matches() || host.indexOf(':') >= 0) {
            try {
                then.accept(reachable(host, new InetSocketAddress(InetAddress.getByName(host), port)));
                return;
            } catch (UnknownHostException e) {
                log.warn("the far end's address {} is not valid", host);
                then.accept(null);
                return;
            }
        }
        boolean started = io.execute(() -> {
            InetSocketAddress address = new InetSocketAddress(host, port);
            if (address.isUnresolved()) {
                log.warn("the far end's address {} cannot be resolved", host);
                address = null;
            }
            then.accept(address == null ? null : reachable(host, address));
        });
        if (!started) {
            then.accept(null);
        }
    }

    /** Returns {@code address}, or {@code null} if the sockets cannot send there (an IPv6 one from IPv4 sockets). */
    private InetSocketAddress reachable(String host, InetSocketAddress address) {
        if (!ipv6Sockets && address.getAddress() instanceof Inet6Address) {
            log.warn("the far end's address {} is IPv6 and the RTP sockets are IPv4 ones: nothing is sent", host);
            return null;
        }
        return address;
    }

    /** A session's sockets are closed: frees its port. Called once per session, on its worker. */
    public void sessionClosed(RtpSessionImpl session, int port) {
        totals.retire(session.stats(), () -> sessions.remove(session));
        ports.give(port);
    }

    /** Registers a new session: it counts as open until {@link #sessionClosed}. */
    public void sessionOpened(RtpSessionImpl session) {
        sessions.add(session);
        totals.opened();
    }

    /** Returns the counters of every session the provider opened, the open ones included. Any thread. */
    public EngineStatistics.Media statistics() {
        return totals.read(sessions);
    }

    /** Returns {@code session} as a session of this provider, or throws IllegalArgumentException. */
    public RtpSessionImpl own(MediaSession session) {
        Objects.requireNonNull(session, "session");
        if (!(session instanceof RtpSessionImpl impl) || impl.context() != this) {
            throw new IllegalArgumentException(session + " is not a session of this media provider");
        }
        return impl;
    }
}
