package org.cti4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's threading rules, checked where they are relied on: strand-owned state is touched only on its strand,
 * and a call that would wait for a strand from another resource's strand fails at once instead of blocking the pool.
 */
class StrandChecksTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final CoreEngine engine = CoreEngine.builder().nodeId("1.2.3").signaling(new ScriptedSignaling())
            .media(new ScriptedMedia()).build();

    /** A resource that only runs what it is given. */
    private static final class Probe extends AbstractResource {
        Probe(EngineContext ctx) {
            super(ctx, "sys.call");
        }

        @Override
        void shutdown() {
        }
    }

    private Probe probe() {
        Probe probe = new Probe(Internals.context(engine));
        probe.beginWith(() -> { });
        probe.begin();
        return probe;
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aStrandOnlyMethodCalledOffItsStrandFailsNamingTheMethodAndTheThread() {
        Probe probe = probe();

        assertThatThrownBy(() -> probe.emit("onAnswered", () -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(probe.resId())
                .hasMessageContaining("emit onAnswered")
                .hasMessageContaining("thread " + Thread.currentThread().getName());
        assertThatThrownBy(() -> probe.newTimer("t").start(Duration.ofSeconds(1), () -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("timer start");
    }

    @Test
    void aStrandOnlyMethodRunsOnItsStrand() {
        Probe probe = probe();
        CompletableFuture<String> done = new CompletableFuture<>();
        probe.post(() -> {
            probe.checkOnStrand("test");
            done.complete("ran");
        });
        assertThat(done).succeedsWithin(WAIT).isEqualTo("ran");
    }

    @Test
    void waitingForAStrandFromAnotherResourcesStrandFailsAtOnce() {
        Probe a = probe();
        Probe b = probe();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        a.post(() -> {
            try {
                b.call(() -> "applied");
                outcome.complete(null);
            } catch (RuntimeException e) {
                outcome.complete(e);
            }
        });
        assertThat(outcome).succeedsWithin(WAIT).isInstanceOf(IllegalStateException.class)
                .extracting(Throwable::getMessage).asString()
                .contains(b.resId(), "runs another resource's strand", "must not wait for a strand");
    }

    @Test
    void waitingForTheResourcesOwnStrandOnItRunsInline() {
        Probe a = probe();
        CompletableFuture<String> outcome = new CompletableFuture<>();
        a.post(() -> outcome.complete(a.call(() -> "applied")));
        assertThat(outcome).succeedsWithin(WAIT).isEqualTo("applied");
    }

    @Test
    void aListenerOnTheEventExecutorMayWaitForAStrand() {
        Probe a = probe();
        CompletableFuture<String> outcome = new CompletableFuture<>();
        a.post(() -> a.emit("probe", () -> outcome.complete(a.call(() -> "applied"))));
        assertThat(outcome).succeedsWithin(WAIT).isEqualTo("applied");
    }
}
