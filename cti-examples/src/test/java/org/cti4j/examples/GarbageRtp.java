package org.cti4j.examples;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Sends seeded random garbage to RTP and RTCP ports from a socket of its own: datagrams too short for a header or
 * empty, of another RTP version, with a CSRC count, extension length or padding length running past their end, a
 * padding length of zero, unknown and RTCP-looking payload types, RTCP packets with lying lengths, RFC 4733 events
 * with absurd values, well-formed audio under a foreign SSRC, and datagrams larger than any receive buffer. Not
 * thread-safe: one thread sends.
 */
final class GarbageRtp implements AutoCloseable {

    private static final String[] KINDS = {"short", "empty", "version", "csrc", "extension", "padding past end",
        "padding zero", "payload type", "rtcp-looking", "rtcp lying", "dtmf absurd", "foreign ssrc", "huge"};

    private final DatagramChannel channel;
    private final Random random;
    private final Map<String, Integer> sent = new TreeMap<>();
    private long total;

    GarbageRtp(long seed) throws IOException {
        channel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        channel.configureBlocking(false);
        random = new Random(seed);
    }

    /** Sends {@code count} random packets to {@code port} on 127.0.0.1 (and now and then to RTCP, port + 1). */
    void burst(int port, int count) {
        for (int i = 0; i < count; i++) {
            String kind = KINDS[random.nextInt(KINDS.length)];
            boolean rtcp = kind.startsWith("rtcp") && random.nextBoolean();
            try {
                channel.send(ByteBuffer.wrap(packet(kind)), new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        rtcp ? port + 1 : port));
                sent.merge(kind, 1, Integer::sum);
                total++;
            } catch (IOException e) {
                // a port just closed (ICMP unreachable reported on the next send): the next burst goes elsewhere
                sent.merge("failed", 1, Integer::sum);
            }
        }
    }

    /** Returns how many packets were sent. */
    long total() {
        return total;
    }

    /** Returns how many packets of each kind were sent. */
    Map<String, Integer> byKind() {
        return sent;
    }

    private byte[] packet(String kind) {
        return switch (kind) {
            case "short" -> bytes(1 + random.nextInt(11));
            case "empty" -> new byte[0];
            case "version" -> header(new int[] {0x00, 0x40, 0xC0}[random.nextInt(3)], 0, 160);
            case "csrc" -> header(0x80 | 0x0F, 0, random.nextInt(60));
            case "extension" -> {
                byte[] p = header(0x90, 0, 4 + random.nextInt(40));
                p[14] = (byte) 0xFF;
                p[15] = (byte) 0xFF;
                yield p;
            }
            case "padding past end" -> {
                byte[] p = header(0xA0, 0, random.nextInt(20));
                p[p.length - 1] = (byte) (p.length + 1 + random.nextInt(200));
                yield p;
            }
            case "padding zero" -> {
                byte[] p = header(0xA0, 0, 160);
                p[p.length - 1] = 0;
                yield p;
            }
            case "payload type" -> header(0x80, new int[] {13, 19, 34, 96, 100, 126, 127}[random.nextInt(7)], 160);
            case "rtcp-looking" -> header(0x80, 72 + random.nextInt(5) | (random.nextBoolean() ? 0x80 : 0), 40);
            case "rtcp lying" -> {
                byte[] p = bytes(8 + random.nextInt(40));
                p[0] = (byte) 0x81;
                p[1] = (byte) (200 + random.nextInt(7));
                p[2] = (byte) 0xFF;
                p[3] = (byte) 0xFF;
                yield p;
            }
            case "dtmf absurd" -> {
                byte[] p = header(0x80 | (random.nextBoolean() ? 0 : 0x80), 101, random.nextBoolean() ? 4 : 1);
                p[12] = (byte) (16 + random.nextInt(240));
                yield p;
            }
            case "foreign ssrc" -> header(0x80, random.nextBoolean() ? 0 : 8, 160);
            default -> header(0x80, 0, 3000 + random.nextInt(5000));
        };
    }

    /** A header with {@code first} as its first byte and {@code payloadType}, then random payload bytes. */
    private byte[] header(int first, int payloadType, int payload) {
        byte[] p = bytes(12 + payload);
        p[0] = (byte) first;
        p[1] = (byte) payloadType;
        return p;
    }

    private byte[] bytes(int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
