package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.CdrRecord;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.Test;

/**
 * {@code close()} called from a listener — which the listener's javadoc allows — starts the shutdown and returns: it
 * used to wait for the shutdown, which waits for the running listener call itself, and so sat out the whole shutdown
 * timeout before stopping by force.
 */
class CloseFromListenerTest {

    private static final Duration WAIT = Recorder.WAIT;
    /** Far longer than any wait of the test: an engine that waits it out does not stop in time. */
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void aListenerOnTheEnginesEventExecutorClosesTheEngine() {
        closesFromListener(null);
    }

    @Test
    void aListenerOnTheStrandItselfClosesTheEngine() {
        // A direct executor runs listener calls on the resource's strand: close() there must not wait for it either.
        closesFromListener(Runnable::run);
    }

    @Test
    void aListenerOnAnApplicationsOwnExecutorClosesTheEngine() {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            closesFromListener(executor);
        } finally {
            executor.shutdownNow();
        }
    }

    private static void closesFromListener(Executor eventExecutor) {
        ScriptedSignaling sip = new ScriptedSignaling();
        ScriptedMedia media = new ScriptedMedia();
        CompletableFuture<CdrRecord> cdr = new CompletableFuture<>();
        CoreEngine.Builder builder = CoreEngine.builder().nodeId("1.2.3").signaling(sip).media(media)
                .shutdownTimeout(SHUTDOWN_TIMEOUT).cdrListener(cdr::complete);
        if (eventExecutor != null) {
            builder.eventExecutor(eventExecutor);
        }
        CoreEngine engine = builder.build();
        try {
            CompletableFuture<String> closed = new CompletableFuture<>();
            Call call = engine.dial(EngineFixture.dialOptions(), new CallListener() {
                @Override
                public void onAnswered(Call answered, CallEvent.Answered event) {
                    engine.close();
                    closed.complete(Thread.currentThread().getName());
                }
            });
            ScriptedSignaling.Outbound far = sip.nextDialled(WAIT);
            far.answer();

            assertThat(closed).as("close() in the listener returns").succeedsWithin(WAIT);
            assertThat(engine.shutdown()).as("the engine stops").succeedsWithin(WAIT);
            assertThat(call.whenReleased()).succeedsWithin(WAIT)
                    .extracting(CallEvent.Released::cause).isEqualTo(200);
            assertThat(cdr).succeedsWithin(WAIT);
            assertThat(far.actions()).contains("hangup 200");
            assertThat(sip.isClosed()).isTrue();
        } finally {
            engine.close();
        }
    }
}
