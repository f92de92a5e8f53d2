package org.cti4j.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.cti4j.api.EngineFailureException;
import org.cti4j.rpc.ClientRequests.Pending;
import org.cti4j.rpc.ClientRequests.Reply;

/**
 * Sends the client's requests and notifications on the link that is ready (once there is one), and waits for
 * responses. Holds no mutable state: the requests in flight are {@link ClientRequests}', the link is the
 * connection's.
 */
final class ClientSender {

    private final URI uri;
    private final Duration requestTimeout;
    private final ClientRequests requests;
    private final ClientReceiver receiver;
    private final Supplier<CompletableFuture<ClientLink>> ready;

    ClientSender(URI uri, Duration requestTimeout, ClientRequests requests, ClientReceiver receiver,
            Supplier<CompletableFuture<ClientLink>> ready) {
        this.uri = uri;
        this.requestTimeout = requestTimeout;
        this.requests = requests;
        this.receiver = receiver;
        this.ready = ready;
    }

    /** See {@link ClientConnection#call}. */
    Reply call(String method, ObjectNode params, Function<JsonNode, Object> hook) {
        checkNotReceiving(method);
        Pending p = send(method, params, hook);
        try {
            return p.future.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            boolean sent = p.link != null;
            p.future.cancel(false);
            requests.forget(p);
            throw new EngineFailureException(method + ": " + (sent ? "no response from " : "not connected to ")
                    + uri + " within the request timeout of " + requestTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new EngineFailureException(cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.future.cancel(false);
            requests.forget(p);
            throw new EngineFailureException(method + ": interrupted while waiting for the response");
        }
    }

    /**
     * Refuses to wait on the thread that reads the responses: the wait could only end with the request timeout.
     *
     * @throws IllegalStateException naming the method and the thread
     */
    private void checkNotReceiving(String method) {
        if (receiver.isReceiving()) {
            throw new IllegalStateException(method + " called on thread '" + Thread.currentThread().getName()
                    + "', which reads the responses from " + uri + ": it would wait for itself. Run listeners on an"
                    + " executor that does not run them in place (RemoteCtiEngine.Builder.eventExecutor).");
        }
    }

    /** Sends a request without waiting: once connected (if not now), and never after the client is closed. */
    // whenComplete is the failure handler here; the stage it returns only repeats the failure handled.
    @SuppressWarnings("FutureReturnValueIgnored")
    Pending send(String method, ObjectNode params, Function<JsonNode, Object> hook) {
        Pending p = requests.create(method, hook);
        String text = ClientCodec.request(p.id, method, params);
        CompletableFuture<ClientLink> whenReady = ready.get();
        whenReady.whenComplete((link, error) -> {
            if (error != null) {
                p.future.completeExceptionally(ClientLink.unwrap(error));
                return;
            }
            if (p.future.isDone()) {
                return;
            }
            requests.sent(p, link);
            if (link.down) {
                requests.lost(p);
                return;
            }
            link.send(text).whenComplete((ignored, failure) -> {
                if (failure != null) {
                    requests.lost(p);
                }
            });
        });
        return p;
    }

    /** Sends a notification (no response), once connected; dropped if the client is closed. */
    // A notification has no answer: one that the closed client or a lost link cannot send is dropped, as documented.
    @SuppressWarnings("FutureReturnValueIgnored")
    void notify(String method, ObjectNode params) {
        String text = ClientCodec.request(null, method, params);
        CompletableFuture<ClientLink> whenReady = ready.get();
        whenReady.thenAccept(link -> link.send(text));
    }
}
