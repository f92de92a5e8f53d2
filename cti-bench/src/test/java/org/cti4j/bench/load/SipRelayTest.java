package org.cti4j.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A relay shared by several engines sends each response back to the engine whose request it answers, by the top
 * Via, over real loopback sockets: two sockets stand for two engines, one for SIPp, which answers to where each
 * request came from (the relay), as SIPp does.
 */
class SipRelayTest {

    private static final int WAIT_MILLIS = 5_000;

    private DatagramSocket engineA;
    private DatagramSocket engineB;
    private DatagramSocket sipp;
    private SipRelay relay;

    @BeforeEach
    void open() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        engineA = socket(loopback);
        engineB = socket(loopback);
        sipp = socket(loopback);
        relay = new SipRelay("T", (InetSocketAddress) sipp.getLocalSocketAddress(),
                List.of((InetSocketAddress) engineA.getLocalSocketAddress(),
                        (InetSocketAddress) engineB.getLocalSocketAddress()),
                new SipRelay.Observer() {
                    @Override
                    public void onInvite(String user, long nanos, int sdpPort) {
                    }

                    @Override
                    public void onInviteOk(String user, long nanos) {
                    }
                }, new OwnThreads("relay-test"));
    }

    @AfterEach
    void close() {
        if (relay != null) {
            relay.close();
        }
        for (DatagramSocket socket : new DatagramSocket[] {engineA, engineB, sipp}) {
            if (socket != null) {
                socket.close();
            }
        }
    }

    @Test
    void eachResponseGoesBackToTheEngineThatSentTheRequest() throws IOException {
        send(engineB, invite("p1-2", engineB), relay.address());
        send(engineA, invite("p1-1", engineA), relay.address());
        for (int i = 0; i < 2; i++) {
            DatagramPacket request = receive(sipp);
            answer(request, "200 OK");
            answer(request, "180 Ringing");
        }
        for (int i = 0; i < 2; i++) {
            assertThat(callId(receive(engineA))).isEqualTo("p1-1");
            assertThat(callId(receive(engineB))).isEqualTo("p1-2");
        }
        assertThat(relay.unrouted()).isZero();
    }

    @Test
    void aResponseNamingNoEngineGoesToTheFirstAndIsCounted() throws IOException {
        send(engineB, invite("p1-3", engineB), relay.address());
        DatagramPacket request = receive(sipp);
        String text = new String(request.getData(), 0, request.getLength(), StandardCharsets.ISO_8859_1)
                .replace(":" + engineB.getLocalPort() + ";", ":9;");
        send(sipp, response(text, "200 OK"), request.getSocketAddress());
        assertThat(callId(receive(engineA))).isEqualTo("p1-3");
        assertThat(relay.unrouted()).isEqualTo(1);
    }

    private static DatagramSocket socket(InetAddress loopback) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(loopback, 0));
        socket.setSoTimeout(WAIT_MILLIS);
        return socket;
    }

    private static String invite(String callId, DatagramSocket from) {
        return "INVITE sip:" + callId + "@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + from.getLocalPort() + ";branch=z9hG4bK" + callId + ";rport\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
    }

    /** Answers as SIPp does: the request's Via and Call-ID copied, sent to where the request came from. */
    private void answer(DatagramPacket request, String status) throws IOException {
        String text = new String(request.getData(), 0, request.getLength(), StandardCharsets.ISO_8859_1);
        send(sipp, response(text, status), request.getSocketAddress());
    }

    private static String response(String request, String status) {
        String headers = request.substring(request.indexOf("\r\n") + 2);
        return "SIP/2.0 " + status + "\r\n" + headers;
    }

    private static String callId(DatagramPacket packet) {
        String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.ISO_8859_1);
        int start = text.indexOf("Call-ID: ") + "Call-ID: ".length();
        return text.substring(start, text.indexOf("\r\n", start));
    }

    private static void send(DatagramSocket from, String text, SocketAddress to) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        from.send(new DatagramPacket(bytes, bytes.length, to));
    }

    /** Receives one datagram, or fails after {@link #WAIT_MILLIS} (the socket's timeout). */
    private static DatagramPacket receive(DatagramSocket socket) throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
        socket.receive(packet);
        return packet;
    }
}
