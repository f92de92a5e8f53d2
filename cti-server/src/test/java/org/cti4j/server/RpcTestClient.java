package org.cti4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JSON-RPC client of a server under test, on the JDK's WebSocket client: sends requests as text and waits for the
 * reply with their id; the notifications that come meanwhile are kept for {@link #event(String)}.
 */
final class RpcTestClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);
    /** Put in the queue of frames when the server closes the connection. */
    private static final String CLOSED = "(closed)";

    private final WebSocket socket;
    private final BlockingQueue<String> frames;
    private final JsonNode session;
    /** Notifications read while waiting for a reply, oldest first. */
    private final List<JsonNode> events = new ArrayList<>();

    private RpcTestClient(WebSocket socket, BlockingQueue<String> frames, JsonNode session) {
        this.socket = socket;
        this.frames = frames;
        this.session = session;
    }

    /** Connects to {@code ws://127.0.0.1:port/rpc} with the token, and waits for the session notification. */
    static RpcTestClient connect(int port, String token) throws Exception {
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .connectTimeout(REPLY_TIMEOUT)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/rpc"), new Frames(frames))
                .get(REPLY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonNode session = awaitFrame(frames, System.nanoTime() + REPLY_TIMEOUT.toNanos());
        assertThat(session.path("method").asText()).isEqualTo("rpc.on_session");
        return new RpcTestClient(socket, frames, session);
    }

    /** Returns the {@code rpc.on_session} notification the server sent first. */
    JsonNode session() {
        return session;
    }

    /** Sends a request and returns its result; fails if the reply is an error. */
    JsonNode request(int id, String method, String params) throws Exception {
        JsonNode reply = exchange(id, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method
                + "\",\"params\":" + params + "}");
        assertThat(reply.has("error")).as("reply to %s: %s", method, reply).isFalse();
        return reply.path("result");
    }

    /** Sends {@code frame} as it is and returns the reply whose id is {@code id} (a result or an error). */
    JsonNode exchange(int id, String frame) throws Exception {
        socket.sendText(frame, true).get(REPLY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        long deadline = System.nanoTime() + REPLY_TIMEOUT.toNanos();
        while (true) {
            JsonNode reply = awaitFrame(frames, deadline);
            if (!reply.has("method") && reply.path("id").asInt(-1) == id) {
                return reply;
            }
            if (reply.has("method")) {
                events.add(reply);
            }
        }
    }

    /**
     * Sends {@code frame} as it is and returns the reply whose id is {@code id} (or an error with a null id), or
     * {@code null} if the connection closes (or cannot send) or no such reply comes within {@code wait}. For one
     * request at a time.
     */
    JsonNode tryExchange(int id, String frame, Duration wait) throws InterruptedException {
        try {
            socket.sendText(frame, true).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return null;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            String text = frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (text == null || text.equals(CLOSED)) {
                return null;
            }
            try {
                JsonNode reply = JSON.readTree(text);
                // An error with a null id answers a request the server could not read (too big, not JSON).
                if (!reply.has("method") && (reply.path("id").asInt(-1) == id
                        || (reply.path("id").isNull() && reply.has("error")))) {
                    return reply;
                }
            } catch (java.io.IOException e) {
                throw new AssertionError("the server sent a frame that is not JSON: " + text, e);
            }
        }
    }

    /** Returns the params of the next notification of {@code method} (earlier ones of others are dropped). */
    JsonNode event(String method) throws Exception {
        long deadline = System.nanoTime() + REPLY_TIMEOUT.toNanos();
        while (true) {
            JsonNode event = events.isEmpty() ? awaitFrame(frames, deadline) : events.remove(0);
            if (event.path("method").asText().equals(method)) {
                return event.path("params");
            }
        }
    }

    /** Returns whether the server has not closed the connection. */
    boolean isOpen() {
        return !socket.isInputClosed() && !socket.isOutputClosed();
    }

    @Override
    public void close() {
        socket.abort();
    }

    private static JsonNode awaitFrame(BlockingQueue<String> frames, long deadline) throws Exception {
        String frame = frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        assertThat(frame).as("a frame within %s", REPLY_TIMEOUT).isNotNull().isNotEqualTo(CLOSED);
        return JSON.readTree(frame);
    }

    /** Puts every text message (its parts joined) in a queue. */
    private static final class Frames implements WebSocket.Listener {
        private final BlockingQueue<String> frames;
        private final StringBuilder partial = new StringBuilder();

        Frames(BlockingQueue<String> frames) {
            this.frames = frames;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            frames.add(CLOSED);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            frames.add(CLOSED);
        }
    }
}
