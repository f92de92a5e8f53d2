package org.cti4j.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what the server sends, one frame at a time on the link's receiving thread: {@code rpc.on_session} starts
 * the session, an event passes the {@code seq} filter and goes to the handler, a response completes its request
 * (after its hook ran, on this thread), a 401 notification is kept as the link's refusal.
 *
 * <p>While it reads, the thread is marked ({@link #isReceiving()}): a request that would wait for its response on
 * this very thread fails at once instead of stalling until its timeout.
 */
final class ClientReceiver {

    private static final Logger log = LoggerFactory.getLogger(ClientReceiver.class);

    /** What the receiver needs of the connection; both called on the receiving thread. */
    interface Sink {
        /** Takes an event's {@code seq}: {@code false} if it was seen already (the event is then dropped). */
        boolean acceptSeq(long seq);

        /** The link's {@code rpc.on_session} was read. */
        void started(ClientLink link, ClientSession session, String resumeToken);
    }

    private final URI uri;
    private final Sink session;
    private final ClientSession.Handler handler;
    private final ClientRequests requests;
    /** Set on the thread while it reads a frame of this connection (cheap: one thread-local look-up). */
    private final ThreadLocal<Boolean> receiving = new ThreadLocal<>();

    ClientReceiver(URI uri, Sink session, ClientSession.Handler handler, ClientRequests requests) {
        this.uri = uri;
        this.session = session;
        this.handler = handler;
        this.requests = requests;
    }

    /** Returns whether the calling thread is reading a frame of this connection right now. */
    boolean isReceiving() {
        return receiving.get() != null;
    }

    /** Runs {@code action} with the calling thread marked as the receiving thread. */
    void asReceiver(Runnable action) {
        receiving.set(Boolean.TRUE);
        try {
            action.run();
        } finally {
            receiving.remove();
        }
    }

    /** On the receiving thread: one whole text frame of {@code link} (a JSON object or a batch). */
    void onFrame(ClientLink link, String text) {
        JsonNode frame;
        try {
            frame = ClientCodec.parse(text);
        } catch (JsonProcessingException e) {
            log.warn("{}: a frame that is not JSON was ignored: {}", uri, e.getOriginalMessage());
            return;
        }
        asReceiver(() -> {
            if (frame.isArray()) {
                frame.forEach(one -> receiveOne(link, one));
            } else {
                receiveOne(link, frame);
            }
        });
    }

    private void receiveOne(ClientLink link, JsonNode frame) {
        JsonNode method = frame.get("method");
        if (method != null && method.isTextual()) {
            JsonNode params = frame.path("params");
            if (method.asText().equals("rpc.on_session")) {
                session.started(link, new ClientSession(ClientCodec.textOr(params, "session_id", ""),
                        params.path("resumed").asBoolean(false), ClientCodec.textOr(params, "node_id", ""),
                        params.path("last_seq").asLong(0), params.path("lost").asLong(0),
                        ClientCodec.text(params, "reason"), params.path("session_grace").asLong(-1)),
                        ClientCodec.text(params, "resume_token"));
                return;
            }
            long seq = params.path("seq").asLong(0);
            if (seq > 0 && !session.acceptSeq(seq)) {
                log.debug("{}: event {} seq {} seen already; ignored", uri, method.asText(), seq);
                return;
            }
            handler.onEvent(method.asText(), params);
            return;
        }
        JsonNode id = frame.get("id");
        if (id == null || id.isNull()) {
            JsonNode error = frame.path("error");
            if (error.path("code").asInt() == 401) {
                link.refusal = "401 " + error.path("message").asText();
            } else {
                log.warn("{}: the server reported an error: {}", uri, error);
            }
            return;
        }
        requests.respond(id, frame);
    }
}
