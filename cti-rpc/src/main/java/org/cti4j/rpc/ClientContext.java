package org.cti4j.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.EngineFailureException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the client's parts share: the connection, the listener queue, the registry of the resources it knows, and
 * the few settings that change while it runs. {@link RemoteCtiEngine} is its public face; the proxies and the
 * router use it directly.
 *
 * <p>Threads: the registry is a concurrent map (written on the receiving thread and by the shutdown); the other
 * mutable fields are volatile, each written by one party ({@code nodeId} by the receiving thread,
 * {@code incomingCallListener} under the engine's subscription lock, {@code stopping} once, under the lock, by {@link #stop}).
 */
final class ClientContext implements ClientRouter.Engine {

    private static final Logger log = LoggerFactory.getLogger(ClientContext.class);

    final ClientConnection connection;
    final ClientEventQueue events;
    final Map<String, RemoteResource> registry = new ConcurrentHashMap<>();
    volatile CallListener incomingCallListener;
    volatile String nodeId;
    private final Object lock = new Object();
    /** Written under lock, once; volatile for its readers. */
    volatile boolean stopping;

    /** What a {@link RemoteCtiEngine.Builder} was given; {@code null} for what was not set and has no default. */
    record Settings(URI uri, String token, CallListener incomingCallListener, Executor eventExecutor,
            Duration requestTimeout, Duration minReconnectDelay, Duration maxReconnectDelay, Duration pingInterval,
            SSLContext sslContext) {
    }

    ClientContext(Settings s) {
        this.incomingCallListener = s.incomingCallListener();
        this.events = new ClientEventQueue(s.eventExecutor());
        this.connection = new ClientConnection(s.uri(), s.token(), s.sslContext(), s.requestTimeout(),
                s.minReconnectDelay(), s.maxReconnectDelay(), s.pingInterval(), new ClientRouter(this, registry));
    }

    @Override
    public ClientConnection connection() {
        return connection;
    }

    @Override
    public CallListener incomingCallListener() {
        return incomingCallListener;
    }

    @Override
    public boolean isStopping() {
        return stopping;
    }

    @Override
    public RemoteCall inboundCall(CallEvent.Incoming event, CallListener listener) {
        return RemoteCall.inbound(this, event, listener);
    }

    @Override
    public void nodeId(String id) {
        nodeId = id;
    }

    /**
     * Connects, waits for the session to start, and subscribes to inbound calls if a listener is set.
     *
     * @throws EngineFailureException if that fails (the client is then closed)
     */
    void start() {
        try {
            nodeId = connection.start().nodeId();
            if (incomingCallListener != null) {
                request("sys.call.subscribe_incoming", ClientCodec.params());
            }
        } catch (RuntimeException e) {
            connection.close();
            events.shutdown();
            throw e;
        }
        log.info("connected to cti4j engine {} at {}", nodeId, connection.uri());
    }

    /** Sends a request, waits, and returns the result or throws the API exception its error stands for. */
    JsonNode request(String method, ObjectNode params) {
        return connection.call(method, params, null).orThrow(method).result();
    }

    /**
     * Sends a construct; its proxy is made and registered on the receiving thread as the response is read, before
     * any event of the new resource can be.
     */
    @SuppressWarnings("unchecked")
    <T extends RemoteResource> T construct(String method, ObjectNode params, Function<JsonNode, T> proxy) {
        if (stopping) {
            throw new EngineFailureException("the client of " + connection.uri() + " is shut down: " + method
                    + " refused");
        }
        ClientRequests.Reply reply = connection.call(method, params, result -> {
            T resource = proxy.apply(result);
            registry.put(resource.resId(), resource);
            return resource;
        });
        return (T) reply.orThrow(method).value();
    }

    /** Moves to stopping: {@code true} the first time, {@code false} if the client was stopping already. */
    boolean stop() {
        synchronized (lock) {
            if (stopping) {
                return false;
            }
            stopping = true;
            return true;
        }
    }

    /** A resource reached its final transition: it is no longer found. */
    void unregister(RemoteResource resource) {
        registry.remove(resource.resId(), resource);
    }
}
