package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.DuoCallbackState;
import org.cti4j.api.InvalidStateException;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.Test;

/**
 * {@code DuoCallback.cancel()} racing party 2's answer on real threads, the engine's own pools, many times: whatever
 * the interleaving, a cancel that returns has ended the duo callback as cancelled, one that throws found party 2
 * connected, and every duo callback is released once with one CDR per leg. {@link VerdictRaceTest} makes each order
 * certain; this one lets the threads race.
 */
class CancelRaceThreadsTest {

    private static final long SEED = Long.getLong("cancelrace.seed", 16L);
    private static final int ROUNDS = 1_000;
    private static final Duration WAIT = Recorder.WAIT;

    @Test
    void everyCancelEitherTakesEffectOrThrows() throws Exception {
        Random random = new Random(SEED);
        ScriptedSignaling sip = new ScriptedSignaling();
        Recorder recorder = new Recorder();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        DuoCallbackOptions options = DuoCallbackOptions.builder()
                .from1Uri("sip:400@127.0.0.1").to1Uri("sip:1001@127.0.0.1").from2Uri("sip:401@127.0.0.1")
                .to2Uri("sip:1002@127.0.0.1").maxConnectSeconds(600).maxRingSeconds(30).build();
        try (CoreEngine engine = CoreEngine.builder().nodeId("1.2.3").signaling(sip).media(new ScriptedMedia())
                .cdrListener(recorder).build()) {
            int cancelled = 0;
            for (int round = 0; round < ROUNDS; round++) {
                String what = "seed " + SEED + ", round " + round + ": ";
                DuoCallback duo = engine.startDuoCallback(options, recorder);
                sip.nextDialled(WAIT).answer();
                ScriptedSignaling.Outbound party2 = sip.nextDialled(WAIT);
                CyclicBarrier start = new CyclicBarrier(2);
                boolean answerSpins = random.nextBoolean();
                int spin = random.nextInt(2_000);
                CompletableFuture<Void> answered = CompletableFuture.runAsync(() -> {
                    await(start);
                    busy(answerSpins ? spin : 0);
                    party2.answer();
                }, threads);
                CompletableFuture<RuntimeException> verdict = CompletableFuture.supplyAsync(() -> {
                    await(start);
                    busy(answerSpins ? 0 : spin);
                    try {
                        duo.cancel();
                        return null;
                    } catch (RuntimeException e) {
                        return e;
                    }
                }, threads);
                answered.get();
                RuntimeException thrown = verdict.get();

                if (thrown == null) {
                    cancelled++;
                    assertThat(duo.whenReleased()).as(what + "a cancel that returned")
                            .succeedsWithin(WAIT).extracting(DuoCallbackEvent.Released::error).isEqualTo("cancelled");
                } else {
                    assertThat(thrown).as(what).isInstanceOf(InvalidStateException.class)
                            .hasMessageContaining("party 2 is connected");
                    assertThat(duo.state()).as(what + "a cancel that threw").isEqualTo(DuoCallbackState.CONNECTED);
                    duo.release();
                    assertThat(duo.whenReleased()).as(what).succeedsWithin(WAIT)
                            .extracting(DuoCallbackEvent.Released::error).isNull();
                }
            }
            assertThat(engine.shutdown()).succeedsWithin(WAIT);
            assertThat(cancelled).as("rounds where the cancel won (of " + ROUNDS + ")").isPositive();
            assertThat(recorder.violations()).isEmpty();
            assertThat(recorder.releases()).hasSize(ROUNDS)
                    .allSatisfy((resId, count) -> assertThat(count).as("onReleased of " + resId).isEqualTo(1));
            Set<String> legs = new HashSet<>();
            for (CdrRecord cdr : recorder.cdrs()) {
                assertThat(legs.add(cdr.resId() + "/" + cdr.leg())).as("one CDR for " + cdr).isTrue();
            }
            assertThat(legs).hasSize(2 * ROUNDS);
        } finally {
            threads.shutdownNow();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Spins a little, to vary which thread gets to the strand first. */
    private static void busy(int rounds) {
        long x = 0;
        for (int i = 0; i < rounds; i++) {
            x += Long.numberOfTrailingZeros(System.nanoTime());
        }
        if (x == 42) {
            Thread.onSpinWait();
        }
    }
}
