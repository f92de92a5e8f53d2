package org.cti4j.sip;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Sends the cases of a {@link SipMutator} to an engine, many at a time, from one thread with one selector, and tallies
 * what comes back ({@link SipMutationTally}). Over UDP all cases leave one socket; over TCP each case has a
 * connection of its own. A case ends at its first final response (traced by its token), when the engine closes its
 * connection, or when its wait runs out (unanswered). A 2xx to an INVITE is acknowledged and the call ended with a
 * BYE; any other final response to an INVITE is acknowledged; a request from the engine (a BYE) is answered 200. Over
 * UDP it behaves as a caller's transaction layer would, because datagrams do get lost on a loaded loopback (the
 * thousands-of-headers cases overflow the engine's receive buffer): the BYE is retransmitted until answered (RFC 3261
 * Timer E: 500 ms, doubling to 4 s) and a retransmitted 2xx is acknowledged again.
 * Every {@code probeEvery} cases the run asks {@code alive} whether the engine still answers.
 */
public final class SipMutationRun implements AutoCloseable {

    private static final int MAX_MESSAGE = 70_000;
    private static final long BYE_DELAY_NANOS = 100_000_000L;
    private static final long T1_NANOS = 500_000_000L;
    private static final long T2_NANOS = 4_000_000_000L;
    /** How long the end of an answered call is awaited over UDP, retransmissions included (RFC 3261: 64 T1). */
    private static final long BYE_WAIT_NANOS = 32_000_000_000L;

    private final SipMutator mutator;
    private final InetSocketAddress engine;
    private final Duration caseWait;
    private final int window;
    private final Selector selector;
    private final ByteBuffer receive = ByteBuffer.allocate(MAX_MESSAGE);
    private final Map<Integer, Pending> pending = new HashMap<>();

    /** A case sent and not yet ended. */
    private static final class Pending {
        final SipMutator.Case sent;
        final SocketChannel tcp;
        final StringBuilder stream = new StringBuilder();
        ByteBuffer unwritten;
        long deadline;
        /** Its final response came: only the answer to the BYE that ends its call is awaited. */
        boolean answered;
        /** The ACK of its 2xx, sent again if the 2xx is (over UDP). */
        String ack;
        /** The BYE that ends its call, sent a little after the ACK (as a caller would), or {@code null}. */
        String bye;
        /** When the BYE goes next: first, or again over UDP until it is answered. */
        long byeAt;
        long byeInterval = T1_NANOS;

        Pending(SipMutator.Case sent, SocketChannel tcp, long deadline) {
            this.sent = sent;
            this.tcp = tcp;
            this.deadline = deadline;
        }
    }

    /**
     * Creates a run against an engine on 127.0.0.1:{@code sipPort}.
     *
     * @param caseWait how long a case waits for its final response
     * @param window how many cases may wait at once
     */
    public SipMutationRun(SipMutator mutator, int sipPort, Duration caseWait, int window) throws IOException {
        this.mutator = mutator;
        this.engine = new InetSocketAddress(InetAddress.getLoopbackAddress(), sipPort);
        this.caseWait = caseWait;
        this.window = window;
        this.selector = Selector.open();
    }

    /**
     * Sends cases {@code first} to {@code first + count - 1} over {@code transport} and waits for each to end.
     *
     * @param alive asked every {@code probeEvery} cases and at the end whether the engine still answers
     */
    public void run(String transport, int first, int count, SipMutationTally tally, int probeEvery,
            BooleanSupplier alive) throws IOException {
        DatagramChannel udp = null;
        if (transport.equals("UDP")) {
            udp = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            udp.configureBlocking(false);
            udp.register(selector, SelectionKey.OP_READ);
        }
        try {
            int next = first;
            int end = first + count;
            while (next < end || !pending.isEmpty()) {
                while (next < end && pending.size() < window) {
                    send(transport, udp, next++, tally);
                    if ((next - first) % probeEvery == 0) {
                        probe(alive, tally, next - 1);
                    }
                }
                selector.select(5);
                for (Iterator<SelectionKey> keys = selector.selectedKeys().iterator(); keys.hasNext(); ) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (key.channel() == udp) {
                        readUdp(udp, tally);
                    } else {
                        onTcp(key, tally);
                    }
                }
                sendByes(udp, tally);
                expire(tally);
            }
            probe(alive, tally, end - 1);
        } finally {
            if (udp != null) {
                udp.close();
            }
        }
    }

    private void probe(BooleanSupplier alive, SipMutationTally tally, int after) {
        tally.probes++;
        if (!alive.getAsBoolean()) {
            tally.failedProbes.add("no answer to a probe after case " + after + " (seed " + mutator.seed() + ")");
        }
    }

    private void send(String transport, DatagramChannel udp, int number, SipMutationTally tally) throws IOException {
        long deadline = System.nanoTime() + caseWait.toNanos();
        if (udp != null) {
            int port = ((InetSocketAddress) udp.getLocalAddress()).getPort();
            SipMutator.Case c = mutator.generate(number, transport, port, engine.getPort());
            tally.sent(c);
            try {
                udp.send(ByteBuffer.wrap(c.bytes()), engine);
                pending.put(number, new Pending(c, null, deadline));
            } catch (IOException e) {
                tally.sendFailures.add(c.describe() + ": " + e);
            }
            return;
        }
        SocketChannel tcp = SocketChannel.open();
        tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = ((InetSocketAddress) tcp.getLocalAddress()).getPort();
        SipMutator.Case c = mutator.generate(number, transport, port, engine.getPort());
        tally.sent(c);
        Pending p = new Pending(c, tcp, deadline);
        p.unwritten = ByteBuffer.wrap(c.bytes());
        tcp.configureBlocking(false);
        tcp.connect(engine);
        tcp.register(selector, SelectionKey.OP_CONNECT, p);
        pending.put(number, p);
    }

    private void onTcp(SelectionKey key, SipMutationTally tally) {
        Pending p = (Pending) key.attachment();
        SocketChannel tcp = p.tcp;
        try {
            if (key.isConnectable()) {
                tcp.finishConnect();
                key.interestOps(SelectionKey.OP_WRITE | SelectionKey.OP_READ);
            }
            if (key.isValid() && key.isWritable() && p.unwritten != null) {
                tcp.write(p.unwritten);
                if (!p.unwritten.hasRemaining()) {
                    p.unwritten = null;
                    key.interestOps(SelectionKey.OP_READ);
                }
            }
            if (key.isValid() && key.isReadable()) {
                receive.clear();
                int n = tcp.read(receive);
                if (n < 0) {
                    if (!p.answered) {
                        tally.closedByEngine++;
                    }
                    end(p);
                    return;
                }
                p.stream.append(new String(receive.array(), 0, n, StandardCharsets.ISO_8859_1));
                for (String message = nextMessage(p.stream); message != null; message = nextMessage(p.stream)) {
                    onMessage(message, p, null, tally);
                }
            }
        } catch (IOException e) {
            // reset by the engine, or refused: the engine ended the connection
            if (!p.answered) {
                tally.closedByEngine++;
            }
            end(p);
        }
    }

    /** Takes one whole message off the front of a stream, or returns {@code null} if none is complete yet. */
    private static String nextMessage(StringBuilder stream) {
        int headEnd = stream.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return null;
        }
        String head = stream.substring(0, headEnd);
        String length = RawSipPeer.header(head, "Content-Length", "l");
        int bodyLength;
        try {
            bodyLength = length == null ? 0 : Integer.parseInt(length.trim());
        } catch (NumberFormatException e) {
            bodyLength = 0;
        }
        int end = headEnd + 4 + bodyLength;
        if (stream.length() < end) {
            return null;
        }
        String message = stream.substring(0, end);
        stream.delete(0, end);
        return message;
    }

    private void readUdp(DatagramChannel udp, SipMutationTally tally) throws IOException {
        for (int i = 0; i < 64; i++) {
            receive.clear();
            SocketAddress from = udp.receive(receive);
            if (from == null) {
                return;
            }
            String message = new String(receive.array(), 0, receive.position(), StandardCharsets.ISO_8859_1);
            int number = SipMutator.caseOf(message);
            onMessage(message, pending.get(number), udp, tally);
        }
    }

    private void onMessage(String message, Pending p, DatagramChannel udp, SipMutationTally tally) throws IOException {
        if (!message.startsWith("SIP/2.0 ")) {
            onRequest(message, p, udp);
            return;
        }
        if (p == null) {
            tally.late++;
            return;
        }
        String statusLine = message.substring(0, Math.max(0, message.indexOf("\r\n")));
        if (!statusLine.matches("SIP/2\\.0 [1-6]\\d\\d [^\\p{Cntrl}]*")) {
            tally.badStatusLines.add(p.sent.describe() + ": " + statusLine.replaceAll("\\p{Cntrl}", "?"));
            return;
        }
        int status = Integer.parseInt(statusLine.substring(8, 11));
        String cseq = String.valueOf(RawSipPeer.header(message, "CSeq", null));
        if (p.answered) {
            if (cseq.endsWith("BYE") && status >= 200) {
                end(p);
            } else if (cseq.endsWith("INVITE") && status < 300 && p.ack != null) {
                // the 2xx again: the ACK was lost (or is late); acknowledge it again, as a caller's UA would
                write(p.ack, p.tcp, udp);
            }
            return;
        }
        if (status < 200) {
            tally.provisional++;
            return;
        }
        tally.answered(status, p.sent);
        p.answered = true;
        if (cseq.endsWith("INVITE")) {
            acknowledge(message, status, p, udp);
        }
        if (status >= 300 || !cseq.endsWith("INVITE")) {
            end(p);
        }
    }

    /** Acknowledges a final response to an INVITE; ends a call it answered with a BYE. */
    private void acknowledge(String response, int status, Pending p, DatagramChannel udp) throws IOException {
        String number = String.valueOf(RawSipPeer.header(response, "CSeq", null)).split(" ", 0)[0];
        String contact = RawSipPeer.header(response, "Contact", "m");
        String target = contact == null ? "sip:" + engine.getHostString() + ":" + engine.getPort()
                : contact.replaceAll("^.*<|>.*$", "");
        String transport = p.tcp == null ? "UDP" : "TCP";
        int port = p.tcp == null ? ((InetSocketAddress) udp.getLocalAddress()).getPort()
                : ((InetSocketAddress) p.tcp.getLocalAddress()).getPort();
        String token = SipMutator.token(p.sent.number());
        String via = status >= 300 ? RawSipPeer.header(response, "Via", "v")
                : "SIP/2.0/" + transport + " 127.0.0.1:" + port + ";branch=z9hG4bK-" + token + "-ack";
        String dialog = "Max-Forwards: 70\r\nFrom: " + RawSipPeer.header(response, "From", "f") + "\r\nTo: "
                + RawSipPeer.header(response, "To", "t") + "\r\nCall-ID: " + RawSipPeer.header(response, "Call-ID",
                "i") + "\r\n";
        String ackTarget = status >= 300 ? "sip:" + SipMutator.USER + "@127.0.0.1" : target;
        String out = "ACK " + ackTarget + " SIP/2.0\r\nVia: " + via + "\r\n" + dialog + "CSeq: " + number
                + " ACK\r\nContent-Length: 0\r\n\r\n";
        write(out, p.tcp, udp);
        if (status < 300) {
            p.ack = out;
            // The BYE goes after the ACK had time to arrive: over UDP a BYE overtaking its ACK is another case.
            p.byeAt = System.nanoTime() + BYE_DELAY_NANOS;
            p.deadline = p.byeAt + (p.tcp == null ? BYE_WAIT_NANOS : caseWait.toNanos());
            p.bye = "BYE " + target + " SIP/2.0\r\nVia: SIP/2.0/" + transport + " 127.0.0.1:" + port
                    + ";branch=z9hG4bK-" + token + "-bye\r\n" + dialog + "CSeq: " + (Long.parseLong(number.trim())
                    + 1) + " BYE\r\nContent-Length: 0\r\n\r\n";
        }
    }

    /** Answers a request from the engine (a BYE, an OPTIONS) with 200; ACKs need no answer. */
    private void onRequest(String request, Pending p, DatagramChannel udp) throws IOException {
        if (request.startsWith("ACK ") || request.indexOf("\r\n") < 0) {
            return;
        }
        StringBuilder out = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (String line : request.substring(0, request.indexOf("\r\n\r\n") < 0 ? request.length()
                : request.indexOf("\r\n\r\n")).split("\r\n", 0)) {
            String name = line.substring(0, Math.max(0, line.indexOf(':'))).trim().toLowerCase(Locale.ROOT);
            if (List.of("via", "v", "from", "f", "to", "t", "call-id", "i", "cseq").contains(name)) {
                out.append(line).append("\r\n");
            }
        }
        write(out.append("Content-Length: 0\r\n\r\n").toString(), p == null ? null : p.tcp, udp);
    }

    private void write(String text, SocketChannel tcp, DatagramChannel udp) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        if (tcp != null) {
            // small: fits the socket's buffer at once
            tcp.write(bytes);
        } else if (udp != null) {
            udp.send(bytes, engine);
        }
    }

    private void sendByes(DatagramChannel udp, SipMutationTally tally) throws IOException {
        long now = System.nanoTime();
        for (Pending p : pending.values()) {
            if (p.bye != null && now - p.byeAt >= 0) {
                if (p.byeInterval > T1_NANOS) {
                    tally.byesResent++;
                }
                write(p.bye, p.tcp, udp);
                if (p.tcp != null) {
                    p.bye = null;
                } else {
                    // until its answer ends the case (or its wait runs out)
                    p.byeAt = now + p.byeInterval;
                    p.byeInterval = Math.min(2 * p.byeInterval, T2_NANOS);
                }
            }
        }
    }

    private void expire(SipMutationTally tally) {
        long now = System.nanoTime();
        List<Pending> expired = new ArrayList<>();
        for (Pending p : pending.values()) {
            if (now - p.deadline > 0) {
                expired.add(p);
            }
        }
        for (Pending p : expired) {
            if (!p.answered) {
                tally.unanswered(p.sent);
            }
            end(p);
        }
    }

    private void end(Pending p) {
        pending.remove(p.sent.number());
        if (p.tcp != null) {
            try {
                p.tcp.close();
            } catch (IOException e) {
                // closing a socket the engine reset: nothing to do
            }
        }
    }

    /** Returns whether an engine on 127.0.0.1:{@code sipPort} answers an OPTIONS over UDP within {@code wait}. */
    public static boolean answersOptions(int sipPort, Duration wait) {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String token = "probe" + System.nanoTime();
            String options = "OPTIONS sip:127.0.0.1:" + sipPort + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:"
                    + socket.getLocalPort() + ";branch=z9hG4bK-" + token + "\r\nMax-Forwards: 70\r\n"
                    + "From: <sip:probe@127.0.0.1>;tag=" + token + "\r\nTo: <sip:127.0.0.1>\r\nCall-ID: " + token
                    + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
            byte[] bytes = options.getBytes(StandardCharsets.ISO_8859_1);
            socket.send(new java.net.DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), sipPort));
            long deadline = System.nanoTime() + wait.toNanos();
            byte[] buffer = new byte[MAX_MESSAGE];
            while (System.nanoTime() - deadline < 0) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                java.net.DatagramPacket packet = new java.net.DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                String answer = new String(buffer, 0, packet.getLength(), StandardCharsets.ISO_8859_1);
                if (answer.startsWith("SIP/2.0 2") && answer.contains(token)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            // a timeout, or a socket error: no answer
            return false;
        }
    }


    @Override
    public void close() throws IOException {
        for (Pending p : new ArrayList<>(pending.values())) {
            end(p);
        }
        selector.close();
    }
}
