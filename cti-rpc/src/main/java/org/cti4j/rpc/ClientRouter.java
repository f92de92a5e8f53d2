package org.cti4j.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.Conference;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.EngineFailureException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes what the connection reads, on the WebSocket's receiving thread, to the client's resources: each event to
 * the proxy its {@code res_id} names, inbound calls to the incoming listener, the loss of the session to every
 * proxy. Never blocks: what it sends, it sends without waiting.
 */
final class ClientRouter implements ClientSession.Handler {

    private static final Logger log = LoggerFactory.getLogger(ClientRouter.class);

    /** What the router needs of the engine. */
    interface Engine {
        /** The connection, to send without waiting. */
        ClientConnection connection();

        /** The listener inbound calls go to now, or {@code null}. */
        CallListener incomingCallListener();

        /** Whether the client is shutting down. */
        boolean isStopping();

        /** Makes the proxy of an inbound call offered to the client. */
        RemoteCall inboundCall(CallEvent.Incoming event, CallListener listener);

        /** The remote engine's node id, from the session. */
        void nodeId(String nodeId);
    }

    private final Engine engine;
    private final Map<String, RemoteResource> registry;
    /** Resources of the session the client has no handle of, already asked to be released. */
    private final Set<String> orphans = ConcurrentHashMap.newKeySet();

    ClientRouter(Engine engine, Map<String, RemoteResource> registry) {
        this.engine = engine;
        this.registry = registry;
    }

    @Override
    public void onSession(ClientSession session, boolean first) {
        engine.nodeId(session.nodeId());
        if (first || session.resumed()) {
            return;
        }
        ClientConnection connection = engine.connection();
        EngineFailureException reason = new EngineFailureException("the server at " + connection.uri()
                + " has forgotten this client's session (" + (session.reason() != null ? session.reason()
                : "no reason given") + "): its resources are out of reach");
        log.error("{}; {} resources marked released", reason.getMessage(), registry.size());
        loseAll(reason);
        if (engine.incomingCallListener() != null) {
            connection.send("sys.call.subscribe_incoming", ClientCodec.params(), null);
        }
    }

    @Override
    public void onOutOfReach(EngineFailureException reason) {
        log.error("{}; {} resources marked released", reason.getMessage(), registry.size());
        loseAll(reason);
    }

    @Override
    public void onEvent(String method, JsonNode params) {
        String resId = ClientCodec.text(params, "res_id");
        int dot = method.lastIndexOf('.');
        if (resId == null || dot < 0) {
            log.warn("a notification without res_id ignored: {} {}", method, params);
            return;
        }
        String module = method.substring(0, dot);
        String event = method.substring(dot + 1);
        if (method.equals("sys.call.on_incoming")) {
            offered(resId, params);
            return;
        }
        RemoteResource resource = registry.get(resId);
        if (resource != null && method.equals("sys.call.on_withdrawn")) {
            // The server gave the unanswered call to another session while this client was away.
            String why = ClientCodec.textOr(params, "reason", "offered to another session");
            log.warn("{}: {}", resId, why);
            resource.lose(new EngineFailureException(resId + " " + why));
            return;
        }
        if (resource == null) {
            orphan(module, event, resId);
        } else if (!resource.module().equals(module)) {
            log.warn("{}: {} is not about a {} resource; ignored", resId, method, resource.module());
        } else {
            resource.onEvent(event, params);
        }
    }

    @Override
    public void onConnectionEnded(EngineFailureException reason) {
        loseAll(reason);
    }

    private void offered(String resId, JsonNode params) {
        CallEvent.Incoming event = ClientCodec.incoming(resId, params);
        CallListener listener = engine.incomingCallListener();
        boolean stopping = engine.isStopping();
        if (listener == null || stopping) {
            // As the embedded engine: 480 with nobody listening, 503 while shutting down.
            int cause = stopping ? 503 : 480;
            log.info("{}: inbound call offered with {}; refused with {}", resId,
                    stopping ? "the client shutting down" : "no incoming call listener", cause);
            engine.connection().notify("sys.call.drop", ClientCodec.params(resId).put("cause", cause));
            return;
        }
        RemoteCall call = engine.inboundCall(event, listener);
        registry.put(resId, call);
        call.offered(event);
    }

    /**
     * Events of a resource of this session the client holds no handle of: its construct's response was lost with
     * the connection or came after the caller gave up. No application can reach it, so it is released.
     */
    private void orphan(String module, String event, String resId) {
        if (event.equals("on_released")) {
            orphans.remove(resId);
            return;
        }
        if (!orphans.add(resId)) {
            return;
        }
        String method = switch (module) {
            case Call.MODULE -> "sys.call.drop";
            case DuoCallback.MODULE -> "ext.duo_callback.release";
            case Conference.MODULE -> "sys.conf.release";
            default -> null;
        };
        if (method == null) {
            log.warn("{}: event {}.{} of an unknown module ignored", resId, module, event);
            return;
        }
        log.warn("{}: {} of a resource this client holds no handle of (its construct's response was lost or came"
                + " too late); releasing it", resId, event);
        engine.connection().notify(method, ClientCodec.params(resId));
    }

    private void loseAll(EngineFailureException reason) {
        for (RemoteResource resource : List.copyOf(registry.values())) {
            resource.lose(reason);
        }
    }
}
