package org.cti4j.rpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The first half of the client's shutdown: every live resource it knows is released, and its end awaited. */
final class ClientShutdown {

    private static final Logger log = LoggerFactory.getLogger(ClientShutdown.class);

    private ClientShutdown() {
    }

    /**
     * On a thread of its own ({@code cti4j-rpc-shutdown}), so that no caller waits for it: releases {@code live}
     * ({@link #releaseAll}), closes the connection, then runs {@code closed}.
     */
    static void inBackground(ClientConnection connection, List<RemoteResource> live, Duration wait,
            Runnable closed) {
        Thread closer = new Thread(() -> {
            try {
                releaseAll(connection, live, wait);
            } catch (RuntimeException e) {
                log.warn("releasing the resources of {} failed", connection.uri(), e);
            } finally {
                connection.close();
                closed.run();
            }
        }, "cti4j-rpc-shutdown");
        closer.setDaemon(true);
        closer.start();
    }

    /**
     * Sends the release of every resource not released yet (calls dropped, duo callbacks and conferences released),
     * all at once, then waits, at most {@code wait}, until each one's {@code on_released} was read, the server
     * answered that it does not know it (404: no {@code on_released} will come), or its session was lost.
     */
    // whenComplete is the failure handler here; the stage it returns only repeats the failure handled.
    @SuppressWarnings("FutureReturnValueIgnored")
    static void releaseAll(ClientConnection connection, List<RemoteResource> live, Duration wait) {
        if (live.isEmpty()) {
            return;
        }
        log.info("releasing {} resources at {}", live.size(), connection.uri());
        List<CompletableFuture<?>> ends = new ArrayList<>();
        for (RemoteResource resource : live) {
            CompletableFuture<Object> end = new CompletableFuture<>();
            resource.finalRead().whenComplete((v, e) -> end.complete(null));
            ends.add(end);
            if (resource.isReleased()) {
                continue;
            }
            String method = resource.releaseMethod();
            connection.send(method, ClientCodec.params(resource.resId()), null).future.whenComplete((reply, e) -> {
                if (reply != null && reply.error() != null && reply.error().path("code").asInt() == 404) {
                    end.complete(null); // the server knows it no more: no on_released will come
                }
            });
        }
        try {
            CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new))
                    .get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("{} resources of {} not released within {} s; closing anyway",
                    ends.stream().filter(f -> !f.isDone()).count(), connection.uri(), wait.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("waiting for the resources of {} failed", connection.uri(), e.getCause());
        }
    }
}
