package org.cti4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;
import org.cti4j.api.SipUri;

/**
 * A SIP address where a phone never responds: a host that takes every request over UDP and TCP and answers nothing,
 * not even 100 Trying — a phone that died with its port still open, a gateway that swallows calls. A call placed to
 * it fails only when the engine's INVITE transaction gives up (RFC 3261 Timer B: 32 s, the INVITE sent again in
 * between over UDP), with 408; the test checks how the application takes that. It counts the INVITEs it swallowed.
 *
 * <pre>{@code
 * try (SilentPhone nobody = SilentPhone.start("nobody")) {
 *     Call call = engine.dial(DialOptions.builder().fromUri("sip:400@127.0.0.1").toUri(nobody.uri())
 *             .maxAnswerSeconds(60).build(), listener);
 *     nobody.awaitInvite(Duration.ofSeconds(5));
 *     // ... 32 s later the dial completes with 408
 * }
 * }</pre>
 *
 * <p>For a phone that rings and never answers, use {@link TestPhone#ringWithoutAnswer()}. Thread-safe.
 */
public final class SilentPhone implements AutoCloseable {

    private final String name;
    private final Selector selector;
    private final DatagramChannel udp;
    private final ServerSocketChannel tcp;
    private final Thread reader;
    private final AtomicInteger invites = new AtomicInteger();
    private volatile boolean closed;

    private SilentPhone(String name) throws IOException {
        this.name = name;
        this.selector = Selector.open();
        DatagramChannel boundUdp = null;
        ServerSocketChannel boundTcp = null;
        try {
            // the same port number for UDP and TCP, as a SIP phone listens
            for (int attempt = 0; boundTcp == null; attempt++) {
                boundUdp = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                int port = ((InetSocketAddress) boundUdp.getLocalAddress()).getPort();
                try {
                    boundTcp = ServerSocketChannel.open()
                            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                } catch (IOException taken) {
                    boundUdp.close();
                    if (attempt == 20) {
                        throw taken;
                    }
                }
            }
            boundUdp.configureBlocking(false).register(selector, SelectionKey.OP_READ);
            boundTcp.configureBlocking(false).register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            closeQuietly(boundUdp, boundTcp, selector);
            throw e;
        }
        this.udp = boundUdp;
        this.tcp = boundTcp;
        this.reader = new Thread(this::swallow, "cti4j-silentphone-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a silent phone called {@code name} (the user of its URI) on a free port of 127.0.0.1.
     *
     * @throws UncheckedIOException if no port could be bound
     */
    public static SilentPhone start(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._~-]+")) {
            throw new IllegalArgumentException("a phone's name is a SIP user of letters, digits and ._~-: " + name);
        }
        try {
            return new SilentPhone(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start silent phone " + name, e);
        }
    }

    /** Returns its address, {@code sip:<name>@127.0.0.1:<port>} (UDP or TCP). */
    public SipUri uri() {
        return new SipUri(name, "127.0.0.1", tcp.socket().getLocalPort());
    }

    /** Returns how many INVITEs it swallowed, retransmissions included. */
    public int invitesReceived() {
        return invites.get();
    }

    /**
     * Waits until it has swallowed an INVITE.
     *
     * @throws AssertionError if none came within {@code timeout}
     */
    public void awaitInvite(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (invites.get() == 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("silent phone " + name + " received no INVITE within " + timeout.toMillis()
                        + " ms");
            }
            TestCall.pause();
        }
    }

    private void swallow() {
        ByteBuffer buffer = ByteBuffer.allocate(65_536);
        while (!closed) {
            try {
                selector.select(100);
            } catch (IOException e) {
                return;
            }
            for (Iterator<SelectionKey> keys = selector.selectedKeys().iterator(); keys.hasNext(); ) {
                SelectionKey key = keys.next();
                keys.remove();
                try {
                    take(key, buffer);
                } catch (IOException e) {
                    // a connection reset by the caller: it goes, the phone stays silent for the others
                    key.cancel();
                    closeQuietly(key.channel());
                }
            }
        }
    }

    /** Reads what one ready channel has, counting the INVITEs, and answers nothing. */
    private void take(SelectionKey key, ByteBuffer buffer) throws IOException {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            SocketChannel connection = tcp.accept();
            if (connection != null) {
                connection.configureBlocking(false).register(selector, SelectionKey.OP_READ);
            }
        } else if (key.channel() == udp) {
            buffer.clear();
            while (udp.receive(buffer) != null) {
                count(buffer);
                buffer.clear();
            }
        } else {
            SocketChannel connection = (SocketChannel) key.channel();
            buffer.clear();
            if (connection.read(buffer) < 0) {
                key.cancel();
                connection.close();
            } else {
                count(buffer);
            }
        }
    }

    /** Counts the INVITE request lines in what was read (a TCP read may hold several messages, or part of one). */
    private void count(ByteBuffer read) {
        read.flip();
        String text = StandardCharsets.ISO_8859_1.decode(read).toString();
        for (int at = text.indexOf("INVITE "); at >= 0; at = text.indexOf("INVITE ", at + 1)) {
            if (at == 0 || text.charAt(at - 1) == '\n') {
                invites.incrementAndGet();
            }
        }
    }

    /** Stops it: its thread ends and its port is free again. Safe to call twice. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            reader.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            closeQuietly(key.channel());
        }
        closeQuietly(udp, tcp, selector);
    }

    private static void closeQuietly(AutoCloseable... closeables) {
        for (AutoCloseable closeable : closeables) {
            if (closeable == null) {
                continue;
            }
            try {
                closeable.close();
            } catch (Exception e) {
                // closing a socket that failed: nothing left to free
            }
        }
    }

    @Override
    public String toString() {
        return "silent phone " + name + " at " + uri();
    }
}
