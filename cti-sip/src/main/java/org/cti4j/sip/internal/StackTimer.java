package org.cti4j.sip.internal;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import gov.nist.javax.sip.stack.timers.SipTimer;
import java.lang.ref.WeakReference;
import java.util.Properties;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timer of a JAIN-SIP stack (its RFC 3261 transaction timers, dialog timers and audits), on one daemon thread
 * that ends when the stack stops. Instantiated by JAIN-SIP through its {@code gov.nist.javax.sip.TIMER_CLASS_NAME}
 * property; not for applications.
 *
 * <p>It does what JAIN-SIP's {@code ScheduledExecutorSipTimer} does, but for the JVM's exit. In 1.3.0-91 that timer's
 * thread is not a daemon, and its {@code stop()} calls {@code shutdown()}, which lets every delayed task already
 * queued run first: the thread outlives the stack until the last of them is due (Timer D, a dialog's early-state
 * timer: from seconds to minutes), and keeps the application's JVM up until then. Here the thread is a daemon named
 * after the stack, {@link #stop()} drops what is queued and ends it at once, and a cancelled task leaves the queue
 * at once (so it does not hold its dialog or transaction until it would have fired), and the 32 s check of every
 * answered outbound call's ACK ({@link #ACK_WATCH}) does not hold the call's dialog. Like JAIN-SIP's,
 * {@link #isStarted()} answers true from {@link #start} until {@link #stop()}: the stack schedules its server
 * transaction and dialog timers only then.
 */
public final class StackTimer implements SipTimer {

    private static final Logger log = LoggerFactory.getLogger(StackTimer.class);
    /**
     * The task JAIN-SIP schedules for every 2xx to an INVITE it sends: 32 s later (64 × T1) it deletes the dialog if
     * no ACK was sent by then, and does nothing otherwise. JAIN-SIP never cancels it, so held by the timer it kept
     * every answered outbound call's dialog, with its transactions and messages, for 32 s after the ACK (at 250 duo
     * callbacks a second, 16,000 dialogs that every young collection copied or scanned). The timer holds it weakly
     * ({@link #weakly}): the dialog itself holds it while it is in the stack.
     */
    static final String ACK_WATCH = "gov.nist.javax.sip.stack.SIPDialog$DialogDeleteIfNoAckSentTask";

    /** Which tasks the timer holds only weakly: {@link #ACK_WATCH}, or what a test says. */
    private final Predicate<SIPStackTimerTask> heldWeakly;
    private volatile ScheduledThreadPoolExecutor executor;

    /** Creates a timer; JAIN-SIP calls this, then {@link #start}. */
    public StackTimer() {
        this(task -> task.getClass().getName().equals(ACK_WATCH));
    }

    /** Creates a timer that holds the tasks {@code heldWeakly} accepts weakly (for tests). */
    StackTimer(Predicate<SIPStackTimerTask> heldWeakly) {
        this.heldWeakly = heldWeakly;
    }

    @Override
    public void start(SipStackImpl stack, Properties properties) {
        String name = properties.getProperty("javax.sip.STACK_NAME", "jain-sip") + "-timer";
        ScheduledThreadPoolExecutor started = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
        started.setRemoveOnCancelPolicy(true);
        started.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        started.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        executor = started;
    }

    @Override
    public boolean isStarted() {
        ScheduledThreadPoolExecutor current = executor;
        return current != null && !current.isShutdown();
    }

    @Override
    public boolean schedule(SIPStackTimerTask task, long delay) {
        Runnable action = heldWeakly.test(task) ? weakly(task) : guarded(task);
        task.setSipTimerTask(running().schedule(action, delay, TimeUnit.MILLISECONDS));
        return true;
    }

    @Override
    public boolean scheduleWithFixedDelay(SIPStackTimerTask task, long delay, long period) {
        task.setSipTimerTask(running().scheduleWithFixedDelay(guarded(task), delay, period, TimeUnit.MILLISECONDS));
        return true;
    }

    @Override
    public boolean cancel(SIPStackTimerTask task) {
        if (!(task.getSipTimerTask() instanceof ScheduledFuture<?> future)) {
            return false;
        }
        task.cleanUpBeforeCancel();
        task.setSipTimerTask(null);
        return future.cancel(false);
    }

    @Override
    public void stop() {
        ScheduledThreadPoolExecutor current = executor;
        if (current != null) {
            current.shutdownNow();
        }
    }

    /** Returns the executor; the stack's own classes expect an {@link IllegalStateException} once it stopped. */
    private ScheduledThreadPoolExecutor running() {
        ScheduledThreadPoolExecutor current = executor;
        if (current == null || current.isShutdown()) {
            throw new IllegalStateException("the SIP stack's timer is stopped; no task can be scheduled");
        }
        return current;
    }

    /**
     * Runs {@code task} if it is still reachable when due. Only for {@link #ACK_WATCH}: its dialog holds it (in
     * {@code SIPDialog.dialogDeleteIfNoAckSentTask}) for as long as the dialog is in the stack, and once the dialog is
     * gone the task has nothing to do.
     */
    private static Runnable weakly(SIPStackTimerTask task) {
        WeakReference<SIPStackTimerTask> reference = new WeakReference<>(task);
        return () -> {
            SIPStackTimerTask due = reference.get();
            if (due != null) {
                guarded(due).run();
            }
        };
    }

    /** A timer task that throws is logged; it must not end a periodic task's schedule silently elsewhere. */
    private static Runnable guarded(SIPStackTimerTask task) {
        return () -> {
            try {
                task.runTask();
            } catch (RuntimeException | Error e) {
                log.warn("a SIP stack timer task failed: {}", HandlingFailures.cut(e.toString()));
            }
        };
    }
}
