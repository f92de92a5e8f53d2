package org.cti4j.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.cti4j.api.EngineFailureException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's requests waiting for their responses, by id (a counter): a response completes its request, after
 * running the request's hook on the receiving thread; a lost link fails the requests sent on it.
 */
final class ClientRequests {

    private static final Logger log = LoggerFactory.getLogger(ClientRequests.class);

    /** A response: the result with what the request's hook made of it, or the error. */
    record Reply(JsonNode result, Object value, JsonNode error) {

        /** Returns this reply if it is a result; throws the API exception its error stands for otherwise. */
        Reply orThrow(String method) {
            if (error != null) {
                throw ClientCodec.toException(method, error);
            }
            return this;
        }
    }

    /** A request waiting for its response. */
    static final class Pending {
        final long id;
        final String method;
        final Function<JsonNode, Object> hook;
        final CompletableFuture<Reply> future = new CompletableFuture<>();
        /** The link it was sent on; {@code null} while it waits for a connection. */
        volatile ClientLink link;

        private Pending(long id, String method, Function<JsonNode, Object> hook) {
            this.id = id;
            this.method = method;
            this.hook = hook;
        }
    }

    private final URI uri;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

    ClientRequests(URI uri) {
        this.uri = uri;
    }

    /** Returns a new request with the next id; {@link #sent} lists it once it goes out on a link. */
    Pending create(String method, Function<JsonNode, Object> hook) {
        return new Pending(ids.incrementAndGet(), method, hook);
    }

    /** The request goes out on {@code link}: its response is now awaited. */
    void sent(Pending p, ClientLink link) {
        p.link = link;
        pending.put(p.id, p);
    }

    /** Nobody waits for it any more (timed out, interrupted). */
    void forget(Pending p) {
        pending.remove(p.id, p);
    }

    /** The request went out on a link that went down before its response came. */
    void lost(Pending p) {
        forget(p);
        p.future.completeExceptionally(new EngineFailureException(p.method + ": the connection to " + uri
                + " was lost before the response arrived; the operation may or may not have been applied"));
    }

    /** Fails every request sent on {@code link}. */
    void lostWith(ClientLink link) {
        pending.values().stream().filter(p -> p.link == link).forEach(this::lost);
    }

    /** Fails every request still waiting. */
    void failAll(EngineFailureException reason) {
        pending.values().forEach(p -> p.future.completeExceptionally(reason));
        pending.clear();
    }

    /** On the receiving thread: a response frame (it has a non-null {@code id}). */
    void respond(JsonNode id, JsonNode frame) {
        Pending p = pending.remove(id.asLong());
        if (p == null) {
            log.debug("{}: a response to request {} nobody waits for any more: {}", uri, id, frame);
            return;
        }
        if (frame.has("error")) {
            p.future.complete(new Reply(null, null, frame.get("error")));
            return;
        }
        JsonNode result = frame.path("result");
        try {
            Object value = p.hook != null ? p.hook.apply(result) : null;
            p.future.complete(new Reply(result, value, null));
        } catch (RuntimeException e) {
            p.future.completeExceptionally(new EngineFailureException(p.method + ": a result the client cannot"
                    + " read: " + result + " (" + e.getMessage() + ")", e));
        }
    }
}
