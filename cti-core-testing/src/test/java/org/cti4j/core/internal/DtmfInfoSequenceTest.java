package org.cti4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.spi.SignalingLeg;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ManualScheduler;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DtmfInfoSequence} alone, on a resource's strand: {@code stop()} ends it after the key under way was
 * answered, or at once between keys, and its listener hears the end exactly once.
 */
class DtmfInfoSequenceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ManualScheduler clock = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
    private final CoreEngine engine = CoreEngine.builder().nodeId("1.2.3").signaling(new ScriptedSignaling())
            .media(new ScriptedMedia()).scheduler(clock).clock(clock).build();
    private final Probe probe = new Probe(Internals.context(engine));
    /** The keys sent and the listeners awaiting their answers. */
    private final List<Character> keys = new CopyOnWriteArrayList<>();
    private final List<SignalingLeg.InfoListener> awaiting = new CopyOnWriteArrayList<>();
    private final SignalingLeg leg = new SignalingLeg() {
        @Override
        public void hangup(int cause) {
        }

        @Override
        public void sendDtmfInfo(char key, int durationMillis, InfoListener listener) {
            keys.add(key);
            awaiting.add(listener);
        }
    };
    private final AtomicInteger ends = new AtomicInteger();
    private final AtomicReference<String> error = new AtomicReference<>("none yet");

    /** A resource that only runs what it is given. */
    private static final class Probe extends AbstractResource {
        Probe(EngineContext ctx) {
            super(ctx, "sys.call");
        }

        @Override
        void shutdown() {
        }
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private DtmfInfoSequence start(String sent) {
        probe.beginWith(() -> { });
        probe.begin();
        return onStrand(() -> DtmfInfoSequence.start(probe, leg, sent, e -> {
            ends.incrementAndGet();
            error.set(e);
        }));
    }

    private <T> T onStrand(java.util.function.Supplier<T> task) {
        CompletableFuture<T> done = new CompletableFuture<>();
        probe.post(() -> done.complete(task.get()));
        return done.join();
    }

    /** Answers the last INFO 200 and waits for the strand to take it in. */
    private void answer() {
        awaiting.get(awaiting.size() - 1).onAnswered(null);
        onStrand(() -> null);
    }

    @Test
    void stoppedWhileAKeyAwaitsItsAnswerItEndsOnceThatAnswerCameAndSendsNoMore() {
        DtmfInfoSequence sequence = start("123");
        Await.until("the first INFO", WAIT, () -> keys.size() == 1);
        onStrand(() -> {
            sequence.stop();
            return null;
        });
        assertThat(ends).as("ended before the key under way was answered").hasValue(0);
        answer();
        assertThat(ends).hasValue(1);
        assertThat(error.get()).isNull();
        clock.advance(Duration.ofSeconds(1));
        onStrand(() -> {
            sequence.stop();
            return null;
        });
        assertThat(keys).containsExactly('1');
        assertThat(ends).hasValue(1);
    }

    @Test
    void stoppedBetweenKeysItEndsAtOnceAndItsTimerNeverFires() {
        DtmfInfoSequence sequence = start("1,2");
        Await.until("the first INFO", WAIT, () -> keys.size() == 1);
        answer();
        Await.until("the spacing timer", WAIT, () -> clock.pending() == 1);
        onStrand(() -> {
            sequence.stop();
            return null;
        });
        assertThat(ends).hasValue(1);
        assertThat(error.get()).isNull();
        assertThat(clock.pending()).isZero();
        clock.advance(Duration.ofSeconds(2));
        onStrand(() -> null);
        assertThat(keys).containsExactly('1');
        assertThat(ends).hasValue(1);
    }
}
