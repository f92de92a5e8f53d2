package org.cti4j.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cti4j.rpc.ClientFixture.WAIT;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.CallState;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A listener may call any method of the client on the thread it was called on: blocking operations work (the answer
 * is read on another thread), {@code close()} returns promptly, and a blocking call made on the thread that reads the
 * answers (a listener run there by an executor that runs tasks in place) fails at once instead of stalling.
 */
class RemoteListenerThreadTest {

    /** Well under the 10 s the shutdown waits for the resources' ends, and under the request timeout. */
    private static final Duration PROMPT = Duration.ofSeconds(3);

    private final ClientFixture f = new ClientFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aListenerMayAskTheStateAndDropTheCallOnItsOwnThread() {
        RemoteCtiEngine remote = f.connect(f.client());
        CompletableFuture<CallState> stateSeen = new CompletableFuture<>();
        CompletableFuture<Void> dropped = new CompletableFuture<>();
        Call call = remote.dial(ClientFixture.dialOptions(), new CallListener() {
            @Override
            public void onAnswered(Call call, CallEvent.Answered event) {
                try {
                    stateSeen.complete(call.state());
                    call.drop();
                    dropped.complete(null);
                } catch (RuntimeException e) {
                    stateSeen.completeExceptionally(e);
                    dropped.completeExceptionally(e);
                }
            }
        });
        ScriptedSignaling.Outbound far = f.sip.nextDialled(WAIT);

        far.answer();

        assertThat(stateSeen).succeedsWithin(PROMPT).isNotEqualTo(CallState.RELEASED);
        assertThat(dropped).succeedsWithin(PROMPT);
        assertThat(far.awaitAction("hangup", WAIT)).isEqualTo("hangup 200");
        assertThat(call.whenReleased()).succeedsWithin(WAIT);
    }

    @Test
    void aListenerThatClosesTheClientReturnsPromptlyAndTheClientEndsClosed() {
        closeFromAListener(f.client());
    }

    @Test
    void aListenerWaitingForAStageThatCompletesAfterItFailsAtOnce() {
        RemoteCtiEngine remote = f.connect(f.client());
        CompletableFuture<RuntimeException> failure = new CompletableFuture<>();
        Call call = remote.dial(ClientFixture.dialOptions(), new CallListener() {
            @Override
            public void onAnswered(Call call, CallEvent.Answered event) {
                try {
                    call.whenReleased().toCompletableFuture().join();
                    failure.complete(null);
                } catch (RuntimeException e) {
                    failure.complete(e);
                }
            }
        });
        ScriptedSignaling.Outbound far = f.sip.nextDialled(WAIT);

        far.answer();

        assertThat(failure).succeedsWithin(PROMPT).isInstanceOf(IllegalStateException.class)
                .extracting(Throwable::getMessage).asString().contains("join", "listener thread", "wait forever");
        assertThat(call.whenDialCompleted().toCompletableFuture().join().resId()).isEqualTo(call.resId());
        call.drop();
        assertThat(call.whenReleased()).succeedsWithin(WAIT);
    }

    @Test
    void aBlockingCallOnTheThreadThatReadsTheAnswersFailsAtOnce() {
        RemoteCtiEngine remote = f.connect(f.client().eventExecutor(Runnable::run));
        CompletableFuture<Long> failedAfter = new CompletableFuture<>();
        CompletableFuture<RuntimeException> failure = new CompletableFuture<>();
        Call call = remote.dial(ClientFixture.dialOptions(), new CallListener() {
            @Override
            public void onAnswered(Call call, CallEvent.Answered event) {
                long start = System.nanoTime();
                try {
                    call.state();
                    failure.complete(null);
                } catch (RuntimeException e) {
                    failure.complete(e);
                }
                failedAfter.complete(System.nanoTime() - start);
            }
        });
        ScriptedSignaling.Outbound far = f.sip.nextDialled(WAIT);

        far.answer();

        assertThat(failure).succeedsWithin(WAIT).isInstanceOf(IllegalStateException.class)
                .extracting(Throwable::getMessage).asString()
                .contains("sys.call.get", "thread", "would wait for itself");
        assertThat(Duration.ofNanos(failedAfter.join())).isLessThan(PROMPT);
        call.drop();
        assertThat(call.whenReleased()).succeedsWithin(WAIT);
    }

    @Test
    void closingOnTheThreadThatReadsTheAnswersReturnsAtOnceAndTheClientEndsClosed() {
        closeFromAListener(f.client().eventExecutor(Runnable::run));
    }

    /** A listener of a call dialled through {@code builder}'s client closes it as the call is answered. */
    private void closeFromAListener(RemoteCtiEngine.Builder builder) {
        RemoteCtiEngine remote = f.connect(builder);
        CompletableFuture<Long> closeTook = new CompletableFuture<>();
        Call call = remote.dial(ClientFixture.dialOptions(), new CallListener() {
            @Override
            public void onAnswered(Call call, CallEvent.Answered event) {
                long start = System.nanoTime();
                remote.close();
                closeTook.complete(System.nanoTime() - start);
            }
        });
        ScriptedSignaling.Outbound far = f.sip.nextDialled(WAIT);

        far.answer();

        assertThat(closeTook).succeedsWithin(WAIT);
        assertThat(Duration.ofNanos(closeTook.join())).isLessThan(PROMPT);
        assertThat(remote.shutdown().toCompletableFuture()).succeedsWithin(WAIT);
        assertThat(far.awaitAction("hangup", WAIT)).isEqualTo("hangup 200");
        assertThat(call.whenReleased()).succeedsWithin(WAIT);
        Await.until("the server to end the session", WAIT, () -> f.server.sessionCount() == 0);
    }
}
