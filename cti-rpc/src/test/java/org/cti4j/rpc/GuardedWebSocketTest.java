package org.cti4j.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.Handshakedata;
import org.junit.jupiter.api.Test;

/**
 * An {@link Error} out of Java-WebSocket's decoding of one connection closes that connection and goes no further:
 * on a decoder thread it would stop the whole server.
 */
class GuardedWebSocketTest {

    private static final String UPGRADE = """
            GET /rpc HTTP/1.1
            Host: x
            Upgrade: websocket
            Connection: Upgrade
            Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
            Sec-WebSocket-Version: 13

            """.replace("\n", "\r\n");

    /** The server side as Java-WebSocket calls it, failing with {@code error} on every text frame. */
    private static final class FailingListener extends WebSocketAdapter {
        final List<Integer> closed = new CopyOnWriteArrayList<>();
        private final Error error;

        FailingListener(Error error) {
            this.error = error;
        }

        @Override
        public void onWebsocketMessage(WebSocket conn, String message) {
            throw error;
        }

        @Override
        public void onWebsocketMessage(WebSocket conn, ByteBuffer blob) {
        }

        @Override
        public void onWebsocketOpen(WebSocket conn, Handshakedata handshake) {
        }

        @Override
        public void onWebsocketClose(WebSocket ws, int code, String reason, boolean remote) {
            closed.add(code);
        }

        @Override
        public void onWebsocketClosing(WebSocket ws, int code, String reason, boolean remote) {
        }

        @Override
        public void onWebsocketCloseInitiated(WebSocket ws, int code, String reason) {
        }

        @Override
        public void onWebsocketError(WebSocket conn, Exception ex) {
        }

        @Override
        public void onWriteDemand(WebSocket conn) {
        }

        @Override
        public InetSocketAddress getLocalSocketAddress(WebSocket conn) {
            return null;
        }

        @Override
        public InetSocketAddress getRemoteSocketAddress(WebSocket conn) {
            return null;
        }
    }

    /** A client's text frame: masked, as RFC 6455 requires, with a zero key (so the payload reads as is). */
    private static ByteBuffer textFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer frame = ByteBuffer.allocate(6 + payload.length);
        frame.put((byte) 0x81).put((byte) (0x80 | payload.length)).putInt(0).put(payload);
        return frame.flip();
    }

    private static ByteBuffer upgrade() {
        return ByteBuffer.wrap(UPGRADE.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void anErrorOutOfDecodingClosesOnlyThatConnectionAndIsNotThrown() {
        FailingListener listener = new FailingListener(new OutOfMemoryError("simulated"));
        AtomicLong failures = new AtomicLong();
        GuardedWebSocket conn = new GuardedWebSocket(listener, List.of(new Draft_6455()), failures);
        conn.decode(upgrade());
        assertThat(conn.isOpen()).isTrue();

        conn.decode(textFrame("{}"));

        assertThat(failures.get()).isEqualTo(1);
        assertThat(listener.closed).containsExactly(1011);
        assertThat(conn.isClosed()).isTrue();
    }

    @Test
    void javaWebSocketsOwnConnectionLetsTheErrorReachItsDecoderThread() {
        // What GuardedWebSocket is for: the plain connection throws, and its decoder thread then stops the server.
        FailingListener listener = new FailingListener(new OutOfMemoryError("simulated"));
        WebSocketImpl conn = new WebSocketImpl(listener, List.of(new Draft_6455()));
        conn.decode(upgrade());

        assertThatThrownBy(() -> conn.decode(textFrame("{}"))).isInstanceOf(OutOfMemoryError.class);
    }
}
