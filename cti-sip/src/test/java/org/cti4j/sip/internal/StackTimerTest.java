package org.cti4j.sip.internal;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.stack.SIPStackTimerTask;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cti4j.core.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stack's timer holds JAIN-SIP's 32 s ACK check of every answered outbound call ({@link StackTimer#ACK_WATCH})
 * only weakly, so that the check does not keep a finished call's dialog; a check still reachable (its dialog is in the
 * stack) runs when due, and every other task is held until it runs or is cancelled.
 */
class StackTimerTest {

    private final StackTimer timer = new StackTimer(task -> task instanceof WeakTask);

    @AfterEach
    void stop() {
        timer.stop();
    }

    @Test
    void theAckWatchIsJainSipsTaskClass() throws Exception {
        // a JAIN-SIP upgrade that renames it would silently bring the 32 s retention back
        assertThat(SIPStackTimerTask.class.isAssignableFrom(Class.forName(StackTimer.ACK_WATCH))).isTrue();
    }

    @Test
    void aWeaklyHeldTaskNothingElseHoldsIsCollectedBeforeItIsDue() throws Exception {
        start();
        WeakReference<SIPStackTimerTask> weak = new WeakReference<>(scheduled(new WeakTask(null), 60_000));
        WeakReference<SIPStackTimerTask> strong = new WeakReference<>(scheduled(new StrongTask(null), 60_000));
        Await.until("the weakly held task collected", Duration.ofSeconds(10), () -> {
            System.gc();
            return weak.get() == null;
        });
        assertThat(weak.get()).as("the weakly held task, due in a minute").isNull();
        assertThat(strong.get()).as("any other task, due in a minute").isNotNull();
    }

    @Test
    void aWeaklyHeldTaskThatIsStillReachableRunsWhenDue() throws Exception {
        start();
        CountDownLatch ran = new CountDownLatch(1);
        WeakTask reachable = new WeakTask(ran);
        timer.schedule(reachable, 50);
        System.gc();
        assertThat(ran.await(10, TimeUnit.SECONDS)).as("the reachable task ran").isTrue();
        assertThat(reachable).isNotNull();
    }

    @Test
    void aCancelledTaskDoesNotRun() throws Exception {
        start();
        CountDownLatch ran = new CountDownLatch(1);
        WeakTask task = new WeakTask(ran);
        timer.schedule(task, 200);
        assertThat(timer.cancel(task)).isTrue();
        assertThat(ran.await(600, TimeUnit.MILLISECONDS)).as("the cancelled task ran").isFalse();
    }

    private void start() {
        Properties properties = new Properties();
        properties.setProperty("javax.sip.STACK_NAME", "stack-timer-test");
        timer.start(null, properties);
    }

    private SIPStackTimerTask scheduled(SIPStackTimerTask task, long delay) {
        timer.schedule(task, delay);
        return task;
    }

    /** A task the timer under test holds as JAIN-SIP's timers do. */
    private static class StrongTask extends SIPStackTimerTask {
        private final CountDownLatch ran;

        StrongTask(CountDownLatch ran) {
            this.ran = ran;
        }

        @Override
        public void runTask() {
            if (ran != null) {
                ran.countDown();
            }
        }

        @Override
        public Object getThreadHash() {
            return null;
        }
    }

    /** A task the timer under test holds weakly. */
    private static final class WeakTask extends StrongTask {
        WeakTask(CountDownLatch ran) {
            super(ran);
        }
    }
}
