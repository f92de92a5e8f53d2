package org.cti4j.sip.internal;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.SIPStackTimerTask;
import gov.nist.javax.sip.stack.timers.SipTimer;
import java.util.Properties;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 * at once (so it does not hold its dialog or transaction until it would have fired). Like JAIN-SIP's,
 * {@link #isStarted()} answers true from {@link #start} until {@link #stop()}: the stack schedules its server
 * transaction and dialog timers only then.
 */
public final class StackTimer implements SipTimer {

    private static final Logger log = LoggerFactory.getLogger(StackTimer.class);

    private volatile ScheduledThreadPoolExecutor executor;

    /** Creates a timer; JAIN-SIP calls this, then {@link #start}. */
    public StackTimer() {
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
        task.setSipTimerTask(running().schedule(guarded(task), delay, TimeUnit.MILLISECONDS));
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
