package org.cti4j.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The manual clock: time moves only forward, however many threads advance it. */
class ManualSchedulerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(10);

    /**
     * The interleaving behind a CDR that ended before it began: one thread's advance runs a task that falls due (the
     * engine's timer posting to a strand) while a second thread advances further; the first then finished by setting
     * the time it had computed at its start, earlier than the second one's. Reproduced here without timing: the task
     * holds the first advance until the second one has either finished or is waiting its turn.
     */
    @Test
    void anAdvanceThatOverlapsAnotherNeverMovesTimeBack() throws Exception {
        ManualScheduler clock = new ManualScheduler(T0);
        List<Instant> seen = new ArrayList<>();
        CountDownLatch inTask = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        clock.schedule(Duration.ofMillis(500), () -> {
            inTask.countDown();
            awaitLatch(release);
        });
        Thread first = new Thread(() -> clock.advance(Duration.ofSeconds(1)), "first-advance");
        Thread second = new Thread(() -> clock.advance(Duration.ofSeconds(3)), "second-advance");
        try {
            first.start();
            assertThat(inTask.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            second.start();
            Await.until("the second advance to finish or wait its turn", WAIT,
                    () -> second.getState() == Thread.State.TERMINATED || second.getState() == Thread.State.WAITING);
            synchronized (seen) {
                seen.add(clock.instant());
            }
            release.countDown();
            first.join(WAIT.toMillis());
            synchronized (seen) {
                seen.add(clock.instant());
            }
            second.join(WAIT.toMillis());
        } finally {
            release.countDown();
            first.join(WAIT.toMillis());
            second.join(WAIT.toMillis());
        }
        seen.add(clock.instant());

        assertThat(seen).as("the clock as read between the steps").isSorted();
        assertThat(clock.instant()).as("both advances, in full").isEqualTo(T0.plusSeconds(4));
    }

    @Test
    void aTaskThatAdvancesTheClockIsNotUndoneByTheAdvanceRunningIt() {
        ManualScheduler clock = new ManualScheduler(T0);
        clock.schedule(Duration.ofSeconds(1), () -> clock.advance(Duration.ofSeconds(10)));

        clock.advance(Duration.ofSeconds(2));

        assertThat(clock.instant()).isEqualTo(T0.plusSeconds(11));
    }

    @Test
    void tasksRunInOrderOfDueTimeAndSeeTheirOwnTime() {
        ManualScheduler clock = new ManualScheduler(T0);
        List<String> ran = new ArrayList<>();
        clock.schedule(Duration.ofSeconds(3), () -> ran.add("c " + clock.instant()));
        clock.schedule(Duration.ofSeconds(1), () -> ran.add("a " + clock.instant()));
        clock.schedule(Duration.ofSeconds(2), () -> ran.add("b " + clock.instant()));

        clock.advance(Duration.ofMillis(2500));

        assertThat(ran).containsExactly("a " + T0.plusSeconds(1), "b " + T0.plusSeconds(2));
        assertThat(clock.pending()).isEqualTo(1);
        assertThat(clock.instant()).isEqualTo(T0.plusMillis(2500));
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("the test never released the task");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
