package org.cti4j.rpc;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketListener;
import org.java_websocket.drafts.Draft;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server connection whose decoding never throws. Java-WebSocket's decoder thread runs {@link #decode} and, when an
 * {@link Error} comes out of it, stops the whole server ({@code VirtualMachineError}: its {@code handleFatal}) or
 * ends itself (any other), so that one connection's failure would be every connection's. The server's callbacks
 * catch what they throw; this catches what Java-WebSocket's own decoding may throw (an {@code OutOfMemoryError}
 * allocating a frame, a bug) and closes only the connection it happened on.
 */
final class GuardedWebSocket extends WebSocketImpl {

    private static final Logger log = LoggerFactory.getLogger(GuardedWebSocket.class);

    private final AtomicLong failures;

    /**
     * @param failures counts the throwables caught here
     */
    GuardedWebSocket(WebSocketListener listener, List<Draft> drafts, AtomicLong failures) {
        super(listener, drafts);
        this.failures = failures;
    }

    @Override
    public void decode(ByteBuffer socketBuffer) {
        try {
            super.decode(socketBuffer);
        } catch (Throwable t) {
            failures.incrementAndGet();
            try {
                log.error("decoding a frame of {} failed; the connection is closed and the server goes on",
                        getRemoteSocketAddress(), t);
            } catch (Throwable alsoFailed) {
                // Logging needs stack and heap too; closing the connection is what matters.
            }
            try {
                // Its decoding state is unknown now: the connection cannot go on.
                closeConnection(CloseFrame.UNEXPECTED_CONDITION, "internal error");
            } catch (Throwable closing) {
                failures.incrementAndGet();
            }
        }
    }
}
