package org.cti4j.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.cti4j.core.testing.Await;
import org.junit.jupiter.api.Test;

/**
 * Connections are limited before anything of them is believed: in all, per remote address, in the time and the size
 * of their upgrade. Stalled half-upgrades are what an attacker without the token can send.
 */
class ServerAdmissionTest {

    private static final String PARTIAL_UPGRADE = "GET /rpc HTTP/1.1\r\nHost: x\r\n";

    /** Opens a TCP connection from {@code source} that sends a partial upgrade request and stalls. */
    private static Socket stalled(ServerFixture f, String source) throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), f.server.port()), 5000);
            socket.setSoTimeout((int) ServerRawClient.WAIT.toMillis());
            try {
                socket.getOutputStream().write(PARTIAL_UPGRADE.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            } catch (java.net.SocketException refusedAlready) {
                // A connection over a cap may be closed by the server before this is written: the caller checks.
            }
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Whether the server closed the connection (end of stream or reset) before the read timed out. */
    private static boolean closedByServer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing a test socket: nothing to do.
            }
        }
    }

    private static void assertServesANewClient(ServerFixture f) {
        try (ServerRawClient client = f.client()) {
            assertThat(client.call(1, "sys.conf.exists", "{\"res_id\":\"x\"}").has("result")).isTrue();
        }
    }

    @Test
    void connectionsOverTheCapsAreRefusedAtAcceptAndTheServerServesOnceTheyGo() throws IOException {
        List<Socket> sockets = new ArrayList<>();
        try (ServerFixture f = new ServerFixture(b -> b.maxConnections(6).maxConnectionsPerAddress(4)
                .handshakeTimeout(Duration.ofMinutes(1)))) {
            ServerAdmission admission = f.server.admission();
            for (int i = 1; i <= 4; i++) {
                sockets.add(stalled(f, "127.0.0.1"));
                int held = i;
                Await.until(held + " stalled connections held", ServerRawClient.WAIT, () -> admission.held() == held);
            }
            // The fifth from the same address: refused, though the server holds fewer than its cap.
            Socket perAddress = stalled(f, "127.0.0.1");
            sockets.add(perAddress);
            assertThat(closedByServer(perAddress)).as("refused by the per-address cap").isTrue();
            assertThat(admission.refusedCount()).isEqualTo(1);

            sockets.add(stalled(f, "127.0.0.2"));
            sockets.add(stalled(f, "127.0.0.2"));
            Await.until("six stalled connections held", ServerRawClient.WAIT, () -> admission.held() == 6);
            // From yet another address: refused by the cap of all connections.
            Socket global = stalled(f, "127.0.0.3");
            sockets.add(global);
            assertThat(closedByServer(global)).as("refused by the connection cap").isTrue();
            assertThat(admission.refusedCount()).isEqualTo(2);
            assertThat(admission.held()).isEqualTo(6);

            closeAll(sockets);
            Await.until("the stalled connections forgotten", ServerRawClient.WAIT, () -> admission.held() == 0);
            assertServesANewClient(f);
            assertThat(f.server.isListening()).isTrue();
        } finally {
            closeAll(sockets);
        }
    }

    @Test
    void aConnectionThatDoesNotCompleteItsUpgradeInTimeIsClosed() throws IOException {
        List<Socket> sockets = new ArrayList<>();
        try (ServerFixture f = new ServerFixture(b -> b.handshakeTimeout(Duration.ofMillis(300)))) {
            for (int i = 0; i < 3; i++) {
                sockets.add(stalled(f, "127.0.0.1"));
            }
            for (Socket socket : sockets) {
                assertThat(closedByServer(socket)).as("closed after the handshake timeout").isTrue();
            }
            ServerAdmission admission = f.server.admission();
            assertThat(admission.timedOutCount()).isEqualTo(3);
            Await.until("the stalled connections forgotten", ServerRawClient.WAIT, () -> admission.held() == 0);
            assertServesANewClient(f);
        } finally {
            closeAll(sockets);
        }
    }

    @Test
    void anUpgradeRequestLargerThanTheLimitIsClosedBeforeItIsRead() throws IOException {
        List<Socket> sockets = new ArrayList<>();
        try (ServerFixture f = new ServerFixture(b -> b.handshakeTimeout(Duration.ofMinutes(1)))) {
            Socket socket = stalled(f, "127.0.0.1");
            sockets.add(socket);
            String header = "X-Padding: " + "a".repeat(1000) + "\r\n";
            byte[] bytes = header.getBytes(StandardCharsets.US_ASCII);
            try {
                for (int sent = 0; sent <= RpcServer.Builder.MAX_HANDSHAKE_BYTES; sent += bytes.length) {
                    socket.getOutputStream().write(bytes);
                }
            } catch (java.net.SocketException closedWhileSending) {
                // The server may close before the last header is written: that is the point.
            }
            assertThat(closedByServer(socket)).as("closed for an oversized upgrade").isTrue();
            Await.until("the connection forgotten", ServerRawClient.WAIT, () -> f.server.admission().held() == 0);
            assertServesANewClient(f);
        } finally {
            closeAll(sockets);
        }
    }
}
