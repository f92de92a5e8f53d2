package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.Conference;
import org.cti4j.api.ConferenceEndReason;
import org.cti4j.api.ConferenceEvent;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.DuoCallbackState;
import org.cti4j.api.InvalidStateException;
import org.cti4j.api.SipUri;
import org.cti4j.core.spi.LegListener;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.OutboundLeg;
import org.cti4j.core.spi.SignalingProvider;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ManualScheduler;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code DuoCallback.cancel()} and {@code Conference.release()} racing what ends or connects the resource: each
 * either takes effect or throws {@link InvalidStateException}, never returns having done nothing (they used to check
 * a copy of the state and hand the work off without waiting). The order of the two is chosen by a seeded random
 * source and made certain: the application thread's command is queued (its thread waits for the verdict) before or
 * after the far end's event, and only then does the test run the engine's tasks, in a random order.
 */
class VerdictRaceTest {

    /** Runs one seed alone: {@code -Dverdictrace.seed=7}. */
    private static final long SEED = Long.getLong("verdictrace.seed", 20261204L);
    private static final int ROUNDS = 2_000;
    private static final Duration WAIT = Recorder.WAIT;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final Random random = new Random(SEED);
    private final TaskPool pool = new TaskPool();
    private final ManualScheduler clock = new ManualScheduler(T0);
    private final FarEnds sip = new FarEnds();
    private final Recorder recorder = new Recorder();
    private final AtomicReference<Thread> appThread = new AtomicReference<>();
    private final ExecutorService app = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "application");
        appThread.set(thread);
        return thread;
    });
    private final CoreEngine engine = CoreEngine.builder().nodeId("1.2.3").signaling(sip)
            .media(new ScriptedMedia()).clock(clock).scheduler(clock).strandPool(pool).eventExecutor(pool)
            .cdrListener(recorder).build();

    @AfterEach
    void stop() {
        app.shutdownNow();
        engine.shutdown();
        pool.runAll(random);
    }

    @Test
    void aCancelRacingPartyTwosAnswerEitherEndsTheDuoCallbackOrThrows() {
        DuoCallbackOptions options = DuoCallbackOptions.builder()
                .from1Uri("sip:400@127.0.0.1").to1Uri("sip:1001@127.0.0.1").from2Uri("sip:401@127.0.0.1")
                .to2Uri("sip:1002@127.0.0.1").maxConnectSeconds(600).maxRingSeconds(30).build();
        for (int round = 0; round < ROUNDS; round++) {
            String what = "seed " + SEED + ", round " + round + ": ";
            DuoCallback duo = engine.startDuoCallback(options, recorder);
            pool.runAll(random);
            sip.last().onAnswered(ScriptedSignaling.FAR_END_MEDIA);
            pool.runAll(random);
            LegListener party2 = sip.last();
            if (random.nextBoolean()) {
                party2.onProvisional(180, null);
            }
            boolean cancelFirst = random.nextBoolean();
            CompletableFuture<RuntimeException> verdict;
            if (cancelFirst) {
                verdict = queued(duo::cancel);
                party2.onAnswered(ScriptedSignaling.FAR_END_MEDIA);
            } else {
                party2.onAnswered(ScriptedSignaling.FAR_END_MEDIA);
                verdict = queued(duo::cancel);
            }
            pool.runAll(random);

            RuntimeException thrown = verdict.join();
            if (cancelFirst) {
                assertThat(thrown).as(what + "a cancel before the answer").isNull();
                assertThat(duo.whenReleased()).as(what).isCompletedWithValueMatching(
                        r -> "cancelled".equals(r.error()), "released as cancelled");
            } else {
                assertThat(thrown).as(what + "a cancel after the answer").isInstanceOf(InvalidStateException.class)
                        .hasMessageContaining("party 2 is connected");
                assertThat(duo.state()).as(what).isEqualTo(DuoCallbackState.CONNECTED);
                assertThat(queuedAndRun(duo::release)).as(what + "release").isNull();
                assertThat(duo.whenReleased()).as(what).isCompletedWithValueMatching(r -> r.error() == null,
                        "released as a finished conversation");
            }
            assertThat(queuedAndRun(duo::cancel)).as(what + "a cancel once released")
                    .isInstanceOf(InvalidStateException.class).hasMessageContaining("released");
        }
        assertExactlyOnce(ROUNDS, 2 * ROUNDS);
    }

    @Test
    void aReleaseRacingTheConferencesOwnEndEitherEndsItOrThrows() {
        for (int round = 0; round < ROUNDS; round++) {
            String what = "seed " + SEED + ", round " + round + ": ";
            Conference conference = engine.createConference(ConferenceOptions.builder().maxSeconds(60).build(),
                    recorder);
            pool.runAll(random);
            boolean releaseFirst = random.nextBoolean();
            CompletableFuture<RuntimeException> verdict;
            if (releaseFirst) {
                verdict = queued(conference::release);
                clock.advance(Duration.ofSeconds(60));
            } else {
                clock.advance(Duration.ofSeconds(60));
                verdict = queued(conference::release);
            }
            pool.runAll(random);

            RuntimeException thrown = verdict.join();
            ConferenceEvent.Released released = conference.whenReleased().toCompletableFuture().getNow(null);
            assertThat(released).as(what + "released").isNotNull();
            if (releaseFirst) {
                assertThat(thrown).as(what + "a release before max_seconds").isNull();
                assertThat(released.reason()).as(what).isEqualTo(ConferenceEndReason.RELEASED);
            } else {
                assertThat(thrown).as(what + "a release after max_seconds").isInstanceOf(InvalidStateException.class)
                        .hasMessageContaining("released");
                assertThat(released.reason()).as(what).isEqualTo(ConferenceEndReason.MAX_SECONDS);
            }
        }
        assertExactlyOnce(ROUNDS, 0);
    }

    /**
     * Has the application thread call {@code command}, and returns once the command is queued on the resource's
     * strand (the thread waits for the verdict) or is already decided.
     */
    private CompletableFuture<RuntimeException> queued(Runnable command) {
        CompletableFuture<RuntimeException> verdict = CompletableFuture.supplyAsync(() -> {
            try {
                command.run();
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        }, app);
        Await.until("the command waits for its verdict", WAIT,
                () -> verdict.isDone() || appThread.get().getState() == Thread.State.TIMED_WAITING);
        return verdict;
    }

    private RuntimeException queuedAndRun(Runnable command) {
        CompletableFuture<RuntimeException> verdict = queued(command);
        pool.runAll(random);
        return verdict.join();
    }

    private void assertExactlyOnce(int resources, int legs) {
        assertThat(recorder.violations()).isEmpty();
        assertThat(recorder.releases()).hasSize(resources).allSatisfy((resId, count) ->
                assertThat(count).as("onReleased of " + resId).isEqualTo(1));
        assertThat(recorder.all().stream().filter(e -> e instanceof DuoCallbackEvent.Released
                || e instanceof ConferenceEvent.Released)).hasSize(resources);
        Set<String> cdrs = new HashSet<>();
        for (CdrRecord cdr : recorder.cdrs()) {
            assertThat(cdrs.add(cdr.resId() + "/" + cdr.leg())).as("one CDR for " + cdr).isTrue();
        }
        assertThat(cdrs).hasSize(legs);
    }

    /** The engine's strands and listener calls: their tasks run when the test says, in a random order. */
    private static final class TaskPool implements Executor {
        private final List<Runnable> queued = new ArrayList<>();

        @Override
        public synchronized void execute(Runnable task) {
            queued.add(task);
        }

        private synchronized Runnable take(Random random) {
            return queued.isEmpty() ? null : queued.remove(random.nextInt(queued.size()));
        }

        void runAll(Random random) {
            for (Runnable task = take(random); task != null; task = take(random)) {
                task.run();
            }
        }
    }

    /** Records the listener of each leg the engine dials, so that the test can be the far end without waiting. */
    private static final class FarEnds implements SignalingProvider {
        private final List<LegListener> legs = new ArrayList<>();

        @Override
        public void start(InboundCallHandler inboundHandler) {
        }

        @Override
        public synchronized OutboundLeg dial(SipUri from, SipUri to, MediaDescription offer, LegListener listener) {
            legs.add(listener);
            return new OutboundLeg() {
                @Override
                public void cancel() {
                }

                @Override
                public void hangup(int cause) {
                }
            };
        }

        synchronized LegListener last() {
            return legs.get(legs.size() - 1);
        }

        @Override
        public void close() {
        }
    }
}
