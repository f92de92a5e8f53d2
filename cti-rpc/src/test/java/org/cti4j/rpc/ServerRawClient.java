package org.cti4j.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A client that speaks raw JSON frames over the JDK's WebSocket, as a client in another language would: what it
 * sends is exactly the text given, what it receives is kept as parsed JSON in arrival order.
 */
final class ServerRawClient implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final List<JsonNode> skipped = new ArrayList<>();
    private final Map<JsonNode, Long> arrivals = java.util.Collections.synchronizedMap(new IdentityHashMap<>());
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile String closeReason;

    private ServerRawClient(WebSocket.Builder builder, URI uri) {
        StringBuilder text = new StringBuilder();
        this.socket = builder.buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    long now = System.nanoTime();
                    try {
                        JsonNode frame = JSON.readTree(text.toString());
                        arrivals.put(frame, now);
                        received.add(frame);
                    } catch (Exception e) {
                        received.add(JSON.getNodeFactory().textNode("unparseable: " + text));
                    }
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closeReason = reason;
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.completeExceptionally(error);
            }
        }).orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    static ServerRawClient connect(URI uri) {
        return new ServerRawClient(HttpClient.newHttpClient().newWebSocketBuilder(), uri);
    }

    static ServerRawClient connect(URI uri, String token) {
        return new ServerRawClient(HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + token), uri);
    }

    static ServerRawClient connect(HttpClient http, URI uri) {
        return new ServerRawClient(http.newWebSocketBuilder(), uri);
    }

    /** Sends one text frame, exactly as given. */
    ServerRawClient send(String frame) {
        socket.sendText(frame, true).orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
        return this;
    }

    /** Sends one binary frame. */
    ServerRawClient sendBinary(byte[] frame) {
        socket.sendBinary(java.nio.ByteBuffer.wrap(frame), true).orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .join();
        return this;
    }

    /** Sends a request and returns its response (events arriving meanwhile are kept for {@link #event}). */
    JsonNode call(int id, String method, String params) {
        send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}");
        return next(node -> node.path("id").asInt(-1) == id && node.has("jsonrpc") && !node.has("method"));
    }

    /** Returns when {@code frame} (a frame this client returned) arrived, in {@link System#nanoTime()}'s terms. */
    long arrivedAt(JsonNode frame) {
        Long at = arrivals.get(frame);
        if (at == null) {
            throw new IllegalArgumentException("not a frame this client received: " + frame);
        }
        return at;
    }

    /** Returns the next frame, whatever it is. */
    JsonNode next() {
        if (!skipped.isEmpty()) {
            return skipped.remove(0);
        }
        return poll();
    }

    /** Returns the frames received and kept for later (skipped by {@link #event} and {@link #next(Predicate)}). */
    List<JsonNode> kept() {
        return List.copyOf(skipped);
    }

    /** Returns the next notification {@code method}, keeping any other frame for later. */
    JsonNode event(String method) {
        return next(node -> method.equals(node.path("method").asText()));
    }

    /** Returns the first frame matching {@code wanted}; frames before it are kept, in order, for later. */
    JsonNode next(Predicate<JsonNode> wanted) {
        for (int i = 0; i < skipped.size(); i++) {
            if (wanted.test(skipped.get(i))) {
                return skipped.remove(i);
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode node = pollUntil(deadline);
            if (wanted.test(node)) {
                return node;
            }
            skipped.add(node);
        }
    }

    /** Returns whether nothing arrives within {@code quiet} (nothing kept either). */
    boolean nothingWithin(Duration quiet) throws InterruptedException {
        if (!skipped.isEmpty()) {
            return false;
        }
        JsonNode node = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
        if (node != null) {
            skipped.add(node);
            return false;
        }
        return true;
    }

    private JsonNode poll() {
        return pollUntil(System.nanoTime() + WAIT.toNanos());
    }

    private JsonNode pollUntil(long deadline) {
        try {
            JsonNode node = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (node == null) {
                throw new AssertionError("no frame within " + WAIT + "; kept: " + skipped);
            }
            return node;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits for the server to close the connection and returns the status. */
    int awaitClose() {
        return closed.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    String closeReason() {
        return closeReason;
    }

    /** Cuts the TCP connection without a closing handshake, as a network failure would. */
    void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                    .exceptionally(e -> null).join();
        }
        socket.abort();
    }
}
