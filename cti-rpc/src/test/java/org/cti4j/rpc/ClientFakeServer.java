package org.cti4j.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.enums.Opcode;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A scripted WebSocket server for the client's wire-level tests: it records the requests and connection URIs it
 * receives and sends exactly the frames a test tells it to, whole or in fragments. By default every connection
 * first gets an {@code rpc.on_session} of session {@code S1}, resumed when the client asked for a session.
 */
final class ClientFakeServer extends WebSocketServer implements AutoCloseable {

    static final Duration WAIT = ClientRecorder.WAIT;

    private final CountDownLatch started = new CountDownLatch(1);
    private final BlockingQueue<JsonNode> requests = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> connections = new LinkedBlockingQueue<>();
    private volatile WebSocket connection;
    /** When false, connections get no {@code rpc.on_session} from the server itself. */
    volatile boolean greet = true;
    /** When true, drop and release requests are answered with 404 at once (so that a client closes quickly). */
    volatile boolean refuseReleases;

    ClientFakeServer() {
        super(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
        setReuseAddr(true);
        start();
        try {
            if (!started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the fake server did not start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + getPort() + "/rpc");
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        connection = conn;
        String target = handshake.getResourceDescriptor();
        connections.add(target);
        if (greet) {
            boolean resume = target.contains("session_id=");
            conn.send("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.on_session\",\"params\":{\"session_id\":\"S1\","
                    + "\"resumed\":" + resume + ",\"node_id\":\"9.9.9\",\"last_seq\":0,\"lost\":0,\"reason\":null}}");
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        JsonNode request;
        try {
            request = ClientCodec.parse(message);
        } catch (Exception e) {
            throw new AssertionError("the client sent a frame that is not JSON: " + message, e);
        }
        String method = request.path("method").asText();
        if (refuseReleases && request.has("id") && (method.endsWith(".drop") || method.endsWith(".release"))) {
            conn.send("{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"error\":{\"code\":404,"
                    + "\"message\":\"gone\",\"data\":{\"res_id\":" + request.path("params").get("res_id") + "}}}");
            return;
        }
        requests.add(request);
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
    }

    /** Waits for the next request (or notification) the client sent. */
    JsonNode nextRequest() {
        try {
            JsonNode request = requests.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (request == null) {
                throw new AssertionError("the client sent nothing within " + WAIT.toMillis() + " ms");
            }
            return request;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits for the next connection and returns the path and query it asked for. */
    String nextConnection() {
        try {
            String target = connections.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (target == null) {
                throw new AssertionError("the client did not connect within " + WAIT.toMillis() + " ms");
            }
            return target;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Sends one whole frame on the latest connection. */
    void send(String frame) {
        connection.send(frame);
    }

    /** Sends one frame in {@code parts} fragments (ASCII text). */
    void sendInParts(String frame, int parts) {
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
        int size = (bytes.length + parts - 1) / parts;
        for (int from = 0; from < bytes.length; from += size) {
            int to = Math.min(bytes.length, from + size);
            connection.sendFragmentedFrame(Opcode.TEXT, ByteBuffer.wrap(bytes, from, to - from), to == bytes.length);
        }
    }

    /** Answers request {@code id} with {@code result}. */
    void respond(JsonNode id, ObjectNode result) {
        ObjectNode frame = ClientCodec.JSON.createObjectNode().put("jsonrpc", "2.0");
        frame.set("id", id);
        frame.set("result", result);
        send(frame.toString());
    }

    /** Returns an event frame. */
    static String event(String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    /** Drops the latest connection abruptly: no close frame. */
    void cut() {
        connection.closeConnection(CloseFrame.ABNORMAL_CLOSE, "cut by the test");
    }

    /** Closes the latest connection with a close frame. */
    void closeWith(int code, String reason) {
        connection.close(code, reason);
    }

    @Override
    public void close() {
        try {
            stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
