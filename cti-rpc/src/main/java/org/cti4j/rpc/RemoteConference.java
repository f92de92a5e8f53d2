package org.cti4j.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.cti4j.api.Conference;
import org.cti4j.api.ConferenceEvent;
import org.cti4j.api.ConferenceListener;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.ConferenceState;
import org.cti4j.api.EngineFailureException;
import org.cti4j.api.InvalidStateException;

/**
 * A {@link Conference} of a remote engine. {@link #options()} is known locally; {@link #members()}
 * ({@code sys.conf.get_parts}) and {@link #state()} ({@code sys.conf.exists}) ask the server, a round trip each,
 * until the conference is released; {@link #release()} is a request that waits for its response and throws
 * {@link InvalidStateException} at once when the conference is known to be released.
 */
final class RemoteConference extends RemoteResource implements Conference {

    private final ConferenceOptions options;
    private final ConferenceListener listener;
    private final CompletableFuture<ConferenceEvent.Released> released = new CompletableFuture<>();

    private RemoteConference(ClientContext engine, String resId, long processId, ConferenceOptions options,
            ConferenceListener listener) {
        super(engine, resId, processId, MODULE);
        this.options = options;
        this.listener = listener;
    }

    /** On the receiving thread: the proxy of a conference {@code sys.conf.construct} made. */
    static RemoteConference of(ClientContext engine, JsonNode result, ConferenceOptions options,
            ConferenceListener listener) {
        return new RemoteConference(engine, resIdOf(result), processIdOf(result), options, listener);
    }

    @Override
    public ConferenceOptions options() {
        return options;
    }

    /**
     * Returns its state: a {@code sys.conf.exists} round trip while it lives; {@code RELEASED} locally once
     * released.
     *
     * @throws EngineFailureException if the server does not answer within the request timeout
     */
    @Override
    public ConferenceState state() {
        if (query("sys.conf.exists").map(info -> info.path("exists").asBoolean()).orElse(false)) {
            return ConferenceState.ACTIVE;
        }
        markGone();
        return ConferenceState.RELEASED;
    }

    /**
     * Returns the {@code res_id}s of its members in the order they entered: a {@code sys.conf.get_parts} round trip
     * while it lives; empty once released.
     *
     * @throws EngineFailureException if the server does not answer within the request timeout
     */
    @Override
    public List<String> members() {
        List<String> parts = new ArrayList<>();
        query("sys.conf.get_parts").ifPresent(info -> info.path("parts").forEach(part -> parts.add(part.asText())));
        return List.copyOf(parts);
    }

    @Override
    public void release() {
        checkLive("release");
        request("sys.conf.release");
    }

    @Override
    public CompletionStage<ConferenceEvent.Released> whenReleased() {
        return ClientStage.of(released, engine.events);
    }

    @Override
    Object read(String event, JsonNode params) {
        return ClientCodec.conferenceEvent(resId(), event, params);
    }

    @Override
    void route(String event, Object read) {
        if (read instanceof ConferenceEvent.MemberEntered e) {
            deliver("onMemberEntered", () -> listener.onMemberEntered(this, e), null);
        } else if (read instanceof ConferenceEvent.MemberExited e) {
            deliver("onMemberExited", () -> listener.onMemberExited(this, e), null);
        } else if (read instanceof ConferenceEvent.Released e) {
            deliverFinal(event, () -> listener.onReleased(this, e), () -> released.complete(e));
        }
    }

    @Override
    void failStages(EngineFailureException reason) {
        released.completeExceptionally(reason);
    }

    @Override
    String releaseMethod() {
        return "sys.conf.release";
    }
}
