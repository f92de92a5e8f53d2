package org.cti4j.bench.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay between the engine and one SIPp, in the harness's process, that sees SIP on the wire independently of
 * both: it notes when each INVITE leaves the engine and when each 200 OK to an INVITE leaves SIPp.
 *
 * <pre>
 *   engine ──INVITE, CANCEL──▶ front ─▶ back ──▶ SIPp      (the URI the engine dials is the front's address)
 *   engine ◀──responses─────── front ◀─ back ◀── SIPp      (SIPp answers where the request came from: back)
 *   engine ──ACK, BYE────────────────────────────▶ SIPp    (to SIPp's Contact: not relayed)
 * </pre>
 *
 * <p>Several engines may send through one relay ({@code --via cluster}). A response goes back to the engine that sent
 * its request, found as RFC 3261 (18.2.2) has a UDP response found: the port of the sent-by of its top {@code Via},
 * which the engine wrote and SIPp copied, matched against the engines' SIP ports. That needs no state per call and
 * allocates nothing; a response whose top {@code Via} names none of them (counted by {@link #unrouted()}) goes to the
 * first engine.
 *
 * <p>One thread per direction, each blocked in {@code receive}; a timestamp is taken as the datagram is received,
 * before anything is read from it. What the relay adds to the path (two loopback hops and a thread wake-up) is part
 * of every SIP latency measured through it.
 */
final class SipRelay implements AutoCloseable {

    /** What the relay saw, called on its threads. */
    interface Observer {
        /** An INVITE left the engine for the call tagged {@code user}; {@code sdpPort} is the offer's audio port. */
        void onInvite(String user, long nanos, int sdpPort);

        /** A 200 OK to an INVITE left SIPp for the call tagged {@code user}. */
        void onInviteOk(String user, long nanos);
    }

    private final String name;
    private final DatagramChannel front;
    private final DatagramChannel back;
    private final InetSocketAddress sipp;
    private final InetSocketAddress[] engines;
    private final int[] enginePorts;
    private final Observer observer;
    private final Thread up;
    private final Thread down;
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong unrouted = new AtomicLong();

    /**
     * Opens the relay's two sockets on loopback and starts its threads.
     *
     * @param sipp where SIPp listens
     * @param engines where the engines listen for SIP (the responses to an engine's requests go back to it)
     */
    SipRelay(String name, InetSocketAddress sipp, List<InetSocketAddress> engines, Observer observer,
            OwnThreads threads) throws IOException {
        if (engines.isEmpty()) {
            throw new IllegalArgumentException("a relay needs at least one engine");
        }
        this.name = name;
        this.sipp = sipp;
        this.engines = engines.toArray(InetSocketAddress[]::new);
        this.enginePorts = engines.stream().mapToInt(InetSocketAddress::getPort).toArray();
        this.observer = observer;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        front = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0));
        back = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0));
        up = threads.newThread("relay-" + name + "-up", () -> pump(front, back, true));
        down = threads.newThread("relay-" + name + "-down", () -> pump(back, front, false));
        up.start();
        down.start();
    }

    /** Returns the address the engine should dial: the relay's engine-facing socket. */
    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) front.getLocalAddress();
    }

    /** Returns how many datagrams it relayed. */
    long relayed() {
        return relayed.get();
    }

    /** Returns how many datagrams from SIPp named none of the engines in their top Via (sent to the first). */
    long unrouted() {
        return unrouted.get();
    }

    private void pump(DatagramChannel from, DatagramChannel to, boolean towardsSipp) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
        byte[] text = new byte[65536];
        while (true) {
            buffer.clear();
            try {
                if (from.receive(buffer) == null) {
                    continue;
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue;
            }
            long nanos = System.nanoTime();
            buffer.flip();
            int length = buffer.remaining();
            if (length > 8) {
                inspect(buffer, text, length, nanos, towardsSipp);
            }
            InetSocketAddress target = towardsSipp ? sipp : engineOf(buffer, length);
            try {
                to.send(buffer, target);
                relayed.incrementAndGet();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // a full socket buffer on loopback: the datagram is lost, as it would be on a network
            }
        }
    }

    /** Returns the engine a datagram from SIPp goes to: the one its top Via's sent-by port names. */
    private InetSocketAddress engineOf(ByteBuffer datagram, int length) {
        if (engines.length == 1) {
            return engines[0];
        }
        int port = SipText.topViaPort(datagram, length);
        for (int i = 0; i < enginePorts.length; i++) {
            if (enginePorts[i] == port) {
                return engines[i];
            }
        }
        unrouted.incrementAndGet();
        return engines[0];
    }

    private void inspect(ByteBuffer buffer, byte[] text, int length, long nanos, boolean towardsSipp) {
        byte first = buffer.get(0);
        // Only INVITEs (engine to SIPp) and responses (SIPp to engine) are read; both start with a known letter.
        if (towardsSipp ? first != 'I' : first != 'S') {
            return;
        }
        buffer.get(0, text, 0, length);
        String message = new String(text, 0, length, StandardCharsets.ISO_8859_1);
        if (towardsSipp && SipText.isInvite(message)) {
            observer.onInvite(SipText.requestUser(message), nanos, SipText.audioPort(message));
        } else if (!towardsSipp && SipText.isInviteOk(message)) {
            observer.onInviteOk(SipText.toUser(message), nanos);
        }
    }

    @Override
    public void close() {
        for (DatagramChannel channel : new DatagramChannel[] {front, back}) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        for (Thread thread : new Thread[] {up, down}) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "SipRelay[" + name + " -> " + sipp + "]";
    }
}
