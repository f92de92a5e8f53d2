package org.cti4j.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cti4j.api.EngineFailureException;
import org.cti4j.api.InvalidStateException;
import org.cti4j.api.Resource;
import org.cti4j.api.ResourceNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the client's proxies of remote resources share: the identity known locally, requests that speak of the
 * resource, ordered delivery of its events, and the one final transition (its {@code on_released}, or the loss of
 * the session that owned it).
 *
 * <p>Events are read on the WebSocket's receiving thread ({@link #onEvent}), which updates what can be known
 * locally and queues the listener call; listeners run on the client's event executor.
 */
abstract class RemoteResource implements Resource {

    private static final Logger log = LoggerFactory.getLogger(RemoteResource.class);

    final ClientContext engine;
    private final String resId;
    private final long processId;
    private final String module;
    private final Instant beginTime;
    /** On_released was read, the server answered 404 for it, or its session was lost. */
    private volatile boolean released;
    /** Set once, by on_released or by the loss of the session: nothing is delivered after. */
    private final AtomicBoolean finished = new AtomicBoolean();
    /** Completes when the final transition was read (before the listener hears it). */
    private final CompletableFuture<Void> finalRead = new CompletableFuture<>();

    RemoteResource(ClientContext engine, String resId, long processId, String module) {
        this.engine = engine;
        this.resId = resId;
        this.processId = processId > 0 ? processId : ClientCodec.processId(resId);
        this.module = module;
        this.beginTime = ClientCodec.beginTime(this.processId);
    }

    @Override
    public final String resId() {
        return resId;
    }

    @Override
    public final long processId() {
        return processId;
    }

    @Override
    public final String module() {
        return module;
    }

    /** Returns when the engine created it, to the millisecond (read from the {@code process_id}). */
    @Override
    public final Instant beginTime() {
        return beginTime;
    }

    /**
     * Returns whether it was released: its {@code on_released} arrived (true before the listener hears it, as with
     * the embedded engine), the server answered that it does not know it (404), or the session that owned it was
     * lost. Local: no request.
     */
    @Override
    public final boolean isReleased() {
        return released;
    }

    /**
     * Sends an operation about this resource and waits for the result. A 404 about it marks it released and is
     * refused as the embedded engine refuses an operation on a released handle ({@link InvalidStateException}).
     */
    final JsonNode request(String method, ObjectNode params) {
        try {
            return engine.request(method, params);
        } catch (ResourceNotFoundException e) {
            if (!resId.equals(e.resId())) {
                throw e;
            }
            // Released on the server before its on_released got here.
            markGone();
            String function = method.substring(method.lastIndexOf('.') + 1);
            StringBuilder operation = new StringBuilder();
            for (String part : function.split("_", 0)) {
                operation.append(operation.length() == 0 ? part
                        : Character.toUpperCase(part.charAt(0)) + part.substring(1));
            }
            throw new InvalidStateException(resId, "RELEASED", operation.toString(), "released");
        }
    }

    /** The server says it does not know the resource any more: released, though its on_released may follow. */
    final void markGone() {
        released = true;
    }

    /** Sends {@code method} with {@code res_id} only. */
    final JsonNode request(String method) {
        return request(method, ClientCodec.params(resId));
    }

    /**
     * Asks the server about this resource ({@code res_id} only): its result, or empty once the resource is
     * known to be released (locally, or because the server no longer knows it, which marks it released). State
     * queries answer from that instead of throwing, as the embedded engine's accessors do.
     */
    final Optional<JsonNode> query(String method) {
        if (released) {
            return Optional.empty();
        }
        try {
            return Optional.of(engine.request(method, ClientCodec.params(resId)));
        } catch (ResourceNotFoundException e) {
            if (!resId.equals(e.resId())) {
                throw e;
            }
            markGone();
            return Optional.empty();
        }
    }

    /** Refuses an operation on a released resource at once, as the embedded engine does. */
    final void checkLive(String operation) {
        if (released) {
            throw new InvalidStateException(resId, "RELEASED", operation, "released");
        }
    }

    /**
     * On the receiving thread: reads an event of this resource ({@code event} is the method's last part) and routes
     * it ({@link #route}); an unknown event, or one after the final transition, is dropped.
     */
    final void onEvent(String event, JsonNode params) {
        Object read = read(event, params);
        if (read == null) {
            log.debug("{}: unknown event {} ignored", resId, event);
        } else if (isFinished()) {
            log.warn("{}: {} after on_released dropped", resId, event);
        } else {
            route(event, read);
        }
    }

    /** Reads an event of this resource's module, or returns {@code null} if it is not one. */
    abstract Object read(String event, JsonNode params);

    /** On the receiving thread: queues the listener call of an event {@link #read} made, and what follows it. */
    abstract void route(String event, Object read);

    /**
     * The final event ({@code on_released}): marks the final transition and queues its listener call and then
     * {@code after}; dropped if the final transition happened already.
     */
    final void deliverFinal(String event, Runnable listenerCall, Runnable after) {
        if (finish(event)) {
            deliver("onReleased", listenerCall, after);
        }
    }

    /** The {@code res_id} of a construct's result. */
    static String resIdOf(JsonNode result) {
        return ClientCodec.required(result, "res_id");
    }

    /** The {@code process_id} of a construct's result, or 0 (then read from the {@code res_id}). */
    static long processIdOf(JsonNode result) {
        return result.path("ipsc_info").path("process_id").asLong(0);
    }

    /** The method that releases this resource (drop, release), which the engine's shutdown sends. */
    abstract String releaseMethod();

    /** Completes the stages of a resource that will never have its {@code on_released}. */
    abstract void failStages(EngineFailureException reason);

    /**
     * Marks the final transition, once: released, out of the engine's registry. Returns {@code false} if it
     * happened already (the event is then dropped).
     */
    final boolean finish(String what) {
        if (!finished.compareAndSet(false, true)) {
            log.warn("{}: {} after its final event was dropped", resId, what);
            return false;
        }
        released = true;
        engine.unregister(this);
        finalRead.complete(null);
        return true;
    }

    /** Returns whether the final transition happened; events read after it are dropped. */
    final boolean isFinished() {
        return finished.get();
    }

    /** Completes when the final transition was read. */
    final CompletableFuture<Void> finalRead() {
        return finalRead;
    }

    /** The session that owned it was lost: released without {@code on_released}; its stages fail with the reason. */
    final void lose(EngineFailureException reason) {
        if (finished.compareAndSet(false, true)) {
            released = true;
            engine.unregister(this);
            finalRead.complete(null);
            deliver("lost", null, () -> failStages(reason));
        }
    }

    /**
     * Queues a listener call and then what completes after it (a stage), in order with every other event; the
     * completion runs even if the listener throws.
     */
    final void deliver(String what, Runnable listenerCall, Runnable after) {
        engine.events.execute(resId + " " + what, () -> {
            try {
                if (listenerCall != null) {
                    listenerCall.run();
                }
            } finally {
                if (after != null) {
                    after.run();
                }
            }
        });
    }

    @Override
    public String toString() {
        return resId;
    }
}
