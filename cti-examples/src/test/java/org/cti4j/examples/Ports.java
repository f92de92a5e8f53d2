package org.cti4j.examples;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free ports for engines under test. */
public final class Ports {

    private Ports() {
    }

    /** A port free for both UDP and TCP on 127.0.0.1 (an engine listens for SIP on both). */
    // The socket only proves the TCP port free too; it closes at once.
    @SuppressWarnings("try")
    public static int freeSipPort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int candidate;
            try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                candidate = udp.getLocalPort();
            }
            try (ServerSocket tcp = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
                return candidate;
            } catch (IOException taken) {
                // Try another.
            }
        }
        throw new IOException("no free SIP port");
    }

    /** A free UDP port on 127.0.0.1. */
    public static int freeUdp() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** An even UDP port whose next one is free too, for a peer's RTP and RTCP (SIPp's {@code -mp}). */
    // The sockets only prove both ports free; they close at once.
    @SuppressWarnings("try")
    public static int freeEvenUdpPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = freeUdp() & ~1;
            try (DatagramSocket rtp = new DatagramSocket(port, InetAddress.getLoopbackAddress());
                    DatagramSocket rtcp = new DatagramSocket(port + 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (java.net.SocketException taken) {
                // Try another pair.
            }
        }
        throw new IOException("no free RTP port pair");
    }
}
