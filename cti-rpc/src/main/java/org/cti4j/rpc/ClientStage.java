package org.cti4j.rpc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A stage handed to the application ({@code whenReleased()}, {@code whenDialCompleted()}, the end of a playback or
 * recording): a copy of the client's own future, so that completing it changes nothing else, whose blocking waits
 * fail fast on the client's listener thread. Such a stage completes on that thread, after its listener call; waiting
 * for it there, before it is done, would wait forever.
 */
final class ClientStage<T> extends CompletableFuture<T> {

    private final ClientEventQueue events;

    private ClientStage(ClientEventQueue events) {
        this.events = events;
    }

    /** Returns a new stage that completes as {@code source} does. */
    // whenComplete is the failure handler here; the stage it returns only repeats the failure handled.
    @SuppressWarnings("FutureReturnValueIgnored")
    static <T> ClientStage<T> of(CompletableFuture<T> source, ClientEventQueue events) {
        ClientStage<T> stage = new ClientStage<>(events);
        source.whenComplete((value, error) -> {
            if (error != null) {
                stage.completeExceptionally(error);
            } else {
                stage.complete(value);
            }
        });
        return stage;
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        checkNotListenerThread("get");
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        checkNotListenerThread("get");
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        checkNotListenerThread("join");
        return super.join();
    }

    private void checkNotListenerThread(String method) {
        if (!isDone() && events.isListenerThread()) {
            throw new IllegalStateException(method + " of a stage that is not complete, called on thread '"
                    + Thread.currentThread().getName() + "', the client's listener thread, which completes it after"
                    + " the listener returns: it would wait forever");
        }
    }
}
