package org.cti4j.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackListener;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.DuoCallbackState;
import org.cti4j.api.EngineFailureException;
import org.cti4j.api.InvalidStateException;

/**
 * A {@link DuoCallback} of a remote engine. {@link #options()} is known locally; {@link #state()} asks the server
 * ({@code ext.duo_callback.get}, a round trip) until the duo callback is released; {@link #cancel()} and
 * {@link #release()} are requests that wait for their response, and throw {@link InvalidStateException} at once
 * when the duo callback is known to be released.
 */
final class RemoteDuoCallback extends RemoteResource implements DuoCallback {

    private final DuoCallbackOptions options;
    private final DuoCallbackListener listener;
    private final CompletableFuture<DuoCallbackEvent.Released> released = new CompletableFuture<>();

    private RemoteDuoCallback(ClientContext engine, String resId, long processId, DuoCallbackOptions options,
            DuoCallbackListener listener) {
        super(engine, resId, processId, MODULE);
        this.options = options;
        this.listener = listener;
    }

    /** On the receiving thread: the proxy of a duo callback {@code ext.duo_callback.construct} made. */
    static RemoteDuoCallback of(ClientContext engine, JsonNode result, DuoCallbackOptions options,
            DuoCallbackListener listener) {
        return new RemoteDuoCallback(engine, resIdOf(result), processIdOf(result), options, listener);
    }

    @Override
    public DuoCallbackOptions options() {
        return options;
    }

    /**
     * Returns its state: an {@code ext.duo_callback.get} round trip while it lives; {@code RELEASED} locally once
     * released.
     *
     * @throws EngineFailureException if the server does not answer within the request timeout
     */
    @Override
    public DuoCallbackState state() {
        return query("ext.duo_callback.get")
                .map(info -> DuoCallbackState.valueOf(ClientCodec.required(info, "state").toUpperCase(Locale.ROOT)))
                .orElse(DuoCallbackState.RELEASED);
    }

    @Override
    public void cancel() {
        checkLive("cancel");
        request("ext.duo_callback.cancel");
    }

    @Override
    public void release() {
        checkLive("release");
        request("ext.duo_callback.release");
    }

    @Override
    public CompletionStage<DuoCallbackEvent.Released> whenReleased() {
        return ClientStage.of(released, engine.events);
    }

    @Override
    Object read(String event, JsonNode params) {
        return ClientCodec.duoEvent(resId(), event, params);
    }

    @Override
    void route(String event, Object read) {
        if (read instanceof DuoCallbackEvent.StateChanged e) {
            deliver("onStateChanged", () -> listener.onStateChanged(this, e), null);
        } else if (read instanceof DuoCallbackEvent.Released e) {
            deliverFinal(event, () -> listener.onReleased(this, e), () -> released.complete(e));
        }
    }

    @Override
    void failStages(EngineFailureException reason) {
        released.completeExceptionally(reason);
    }

    @Override
    String releaseMethod() {
        return "ext.duo_callback.release";
    }
}
