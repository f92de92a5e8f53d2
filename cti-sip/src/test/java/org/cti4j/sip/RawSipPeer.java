package org.cti4j.sip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * A SIP peer made of a UDP socket on 127.0.0.1 and hand-written messages, for what no phone can be told to do:
 * torture messages, 183 with SDP, late offers, re-INVITEs, INFO. Sends only to loopback.
 */
final class RawSipPeer implements RawPeer {

    private final DatagramSocket socket;
    private final byte[] buffer = new byte[65536];

    RawSipPeer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @Override
    public String transport() {
        return "UDP";
    }

    @Override
    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public void send(String message, int port) throws IOException {
        send(message.getBytes(StandardCharsets.ISO_8859_1), port);
    }

    void send(byte[] message, int port) throws IOException {
        socket.send(new DatagramPacket(message, message.length, InetAddress.getLoopbackAddress(), port));
    }

    @Override
    public String receive(Duration wait, Predicate<String> wanted) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return null;
            }
            socket.setSoTimeout((int) left);
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return null;
            }
            String message = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.ISO_8859_1);
            if (wanted.test(message)) {
                return message;
            }
        }
    }

    /** Returns the status code of a response. */
    static int status(String response) {
        return Integer.parseInt(response.substring(8, 11));
    }

    /** Returns the value of the first header named {@code name} (or its compact form), or {@code null}. */
    static String header(String message, String name, String compact) {
        for (String line : message.split("\r\n", 0)) {
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                if (key.equals(name.toLowerCase(Locale.ROOT)) || (compact != null && key.equals(compact))) {
                    return line.substring(colon + 1).trim();
                }
            }
        }
        return null;
    }

    /** Returns the body of a message. */
    static String body(String message) {
        int end = message.indexOf("\r\n\r\n");
        return end < 0 ? "" : message.substring(end + 4);
    }

    @Override
    public void close() {
        socket.close();
    }
}
