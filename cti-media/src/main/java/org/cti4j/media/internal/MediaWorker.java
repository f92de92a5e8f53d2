package org.cti4j.media.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One media thread: owns a share of the sessions and mixers, waits on their sockets with one {@link Selector}, and
 * runs a 20 ms clock that makes each of them send, mix and record one frame.
 *
 * <pre>
 *   loop: run posted tasks ─▶ select until the next tick or grace deadline ({@code await}) ─▶ read ready sockets
 *         ─▶ run posted signals (relay what just arrived) ─▶ end the grace of late frames
 *         ─▶ tick every session and mixer
 * </pre>
 *
 * <p>Signals ({@link #post}) let another worker wake this one for a payload to relay without allocating, so that a
 * relayed packet leaves as soon as it arrives rather than at the next tick. A session whose relayed payload is late
 * at its tick asks for a grace ({@link #awaitGrace}): the worker calls it back {@link #GRACE_NANOS} after that tick
 * if the payload has not come by then.
 *
 * <p>Everything a session or mixer owns is touched on this thread only; other threads hand work over with
 * {@link #execute}. A task, reader or tick that throws is logged and the worker goes on.
 */
public final class MediaWorker implements AutoCloseable {

    /** The clock period. */
    public static final long TICK_NANOS = 20_000_000L;
    /**
     * How long after its tick a frame waits for a late relayed payload before silence goes out instead: half a frame,
     * so that a packet a few ms late is not replaced by silence, and a lost one costs no more than that.
     */
    public static final long GRACE_NANOS = 10_000_000L;
    /** Shorter waits than this before a tick are not parked for: a park and its wake-up take about as long. */
    private static final long PARK_MIN_NANOS = 50_000L;
    /** How many late ticks are caught up at once before the clock skips ahead. */
    private static final int MAX_CATCH_UP = 10;

    private static final Logger log = LoggerFactory.getLogger(MediaWorker.class);

    /** Something the clock drives. */
    public interface Ticking {
        /** Called every 20 ms on the worker thread; {@code now} is the tick's nominal {@link System#nanoTime()}. */
        void tick(long now);
    }

    /** Something waiting for a late payload, called back when its grace ends. */
    public interface Late {
        /** Called on the worker thread {@link #GRACE_NANOS} after the tick that asked for the grace. */
        void graceExpired();
    }

    /**
     * A wake-up any thread can post to a worker without allocating: the worker runs its action soon, once however
     * often it was posted in the meantime. Each is built once (per session) and posted many times.
     */
    public static final class Signal {
        private final Runnable action;
        private final AtomicBoolean posted = new AtomicBoolean();
        /** The next posted signal; written before the push that publishes it, read after the pop. */
        private Signal next;

        Signal(Runnable action) {
            this.action = action;
        }
    }

    /** The attachment of a registered socket: reads what arrived. */
    public interface Reader {
        /** Called on the worker thread when the socket has datagrams to read. */
        void onReadable();
    }

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<Ticking> ticking = new ArrayList<>();
    private final List<Runnable> afterSelect = new ArrayList<>();
    /** Posted signals: a lock-free stack threaded through the signals themselves (nothing allocated per post). */
    private final AtomicReference<Signal> signals = new AtomicReference<>();
    /** Worker only: what waits for its grace to end, and when it ends. */
    private final List<Late> late = new ArrayList<>(64);
    private long graceDeadline;
    private final Consumer<SelectionKey> onSelected = this::onSelected;
    private final WorkerBuffers buffers = new WorkerBuffers();
    private volatile boolean running = true;
    /** Whether the worker parks for the last fraction of a millisecond before a tick ({@link #await}). */
    private volatile boolean parked;

    /** Creates and starts the worker thread. */
    public MediaWorker(String name) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for " + name, e);
        }
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs {@code task} on the worker thread soon. Callable from any thread; never blocks. */
    public void execute(Runnable task) {
        tasks.add(task);
        if (Thread.currentThread() != thread) {
            wake();
        }
    }

    /** Returns whether the caller is this worker's thread. */
    public boolean inWorker() {
        return Thread.currentThread() == thread;
    }

    /** Returns the worker's scratch buffers. Worker thread only. */
    public WorkerBuffers buffers() {
        return buffers;
    }

    /** Starts ticking {@code target}. Worker thread only. */
    public void addTicking(Ticking target) {
        ticking.add(target);
    }

    /** Stops ticking {@code target}. Worker thread only. */
    public void removeTicking(Ticking target) {
        ticking.remove(target);
    }

    /** Returns how many sessions and mixers the worker ticks. Worker thread only. */
    public int tickingCount() {
        return ticking.size();
    }

    /**
     * Has the worker run {@code signal}'s action soon (at once if it is the caller, after its current select
     * otherwise). Callable from any thread; never blocks, allocates nothing. A signal already posted and not yet run
     * is not posted again.
     */
    public void post(Signal signal) {
        if (!signal.posted.compareAndSet(false, true)) {
            return;
        }
        Signal head;
        do {
            head = signals.get();
            signal.next = head;
        } while (!signals.compareAndSet(head, signal));
        // a non-empty stack was posted before and its poster woke the worker (or the worker posted it, and runs the
        // stack after its select): one wake-up per batch
        if (head == null && Thread.currentThread() != thread) {
            wake();
        }
    }

    /** Wakes the worker from its select, or from its park before a tick. */
    private void wake() {
        selector.wakeup();
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Calls {@code target} back {@link #GRACE_NANOS} after {@code tickTime}, the nominal time of the tick that asks.
     * Worker thread only.
     */
    public void awaitGrace(Late target, long tickTime) {
        if (late.isEmpty()) {
            graceDeadline = tickTime + GRACE_NANOS;
        }
        late.add(target);
    }

    /** Registers a non-blocking channel for reading. Worker thread only. */
    public SelectionKey register(DatagramChannel channel, Reader reader) throws ClosedChannelException {
        return channel.register(selector, SelectionKey.OP_READ, reader);
    }

    /**
     * Runs {@code action} after the next select: by then the selector has deregistered the keys cancelled before, so
     * the sockets of their closed channels are really closed. Worker thread only.
     */
    public void afterNextSelect(Runnable action) {
        afterSelect.add(action);
    }

    private void run() {
        long next = System.nanoTime() + TICK_NANOS;
        while (running) {
            try {
                runTasks();
                runSignals();
                long until = !late.isEmpty() && graceDeadline - next < 0 ? graceDeadline : next;
                await(until - System.nanoTime());
                runAfterSelect();
                runSignals();
                long now = System.nanoTime();
                if (!late.isEmpty() && now - graceDeadline >= 0) {
                    endGrace();
                }
                for (int caught = 0; now - next >= 0 && caught < MAX_CATCH_UP; caught++) {
                    if (Flight.recordingTicks()) {
                        long start = System.nanoTime();
                        tickAll(next);
                        Flight.tick(start - next, System.nanoTime() - start, ticking.size());
                    } else {
                        tickAll(next);
                    }
                    next += TICK_NANOS;
                }
                if (now - next >= 0) {
                    log.warn("{} is {} ms behind its clock; skipping ahead", thread.getName(),
                            (now - next) / 1_000_000);
                    next = now + TICK_NANOS;
                }
            } catch (IOException | RuntimeException e) {
                log.error("{}: unexpected failure; going on", thread.getName(), e);
            }
        }
        runTasks();
        runAfterSelect();
        try {
            selector.close();
        } catch (IOException e) {
            log.debug("{}: closing the selector failed", thread.getName(), e);
        }
    }

    /**
     * Waits up to {@code wait} nanoseconds for a socket, a task or a signal. The selector counts whole milliseconds:
     * waiting for the next one up made every tick begin half a millisecond late on average, so the selector waits
     * the whole milliseconds down and the last fraction is parked (a task or signal posted meanwhile unparks it; a
     * datagram that comes then is read right after the tick, less than a millisecond later).
     */
    private void await(long wait) throws IOException {
        if (wait >= 1_000_000) {
            selector.select(onSelected, wait / 1_000_000);
            return;
        }
        selector.selectNow(onSelected);
        if (wait <= PARK_MIN_NANOS) {
            return;
        }
        // parked is set before the queues are looked at, and posters add to a queue before they look at parked:
        // either the worker sees the task or signal and does not park, or the poster sees parked and unparks it
        parked = true;
        if (tasks.isEmpty() && signals.get() == null) {
            LockSupport.parkNanos(this, wait);
        }
        parked = false;
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("{}: a media task failed", thread.getName(), e);
            }
        }
    }

    private void runAfterSelect() {
        if (afterSelect.isEmpty()) {
            return;
        }
        for (int i = 0; i < afterSelect.size(); i++) {
            try {
                afterSelect.get(i).run();
            } catch (RuntimeException e) {
                log.error("{}: a media task failed", thread.getName(), e);
            }
        }
        afterSelect.clear();
    }

    private void runSignals() {
        if (signals.get() == null) {
            return;
        }
        Signal signal = signals.getAndSet(null);
        while (signal != null) {
            Signal following = signal.next;
            signal.next = null;
            signal.posted.set(false);
            try {
                signal.action.run();
            } catch (RuntimeException e) {
                log.error("{}: a media signal failed", thread.getName(), e);
            }
            signal = following;
        }
    }

    private void endGrace() {
        for (int i = 0; i < late.size(); i++) {
            try {
                late.get(i).graceExpired();
            } catch (RuntimeException e) {
                log.error("{}: ending a grace failed", thread.getName(), e);
            }
        }
        late.clear();
    }

    private void onSelected(SelectionKey key) {
        try {
            ((Reader) key.attachment()).onReadable();
        } catch (RuntimeException e) {
            log.error("{}: reading a socket failed", thread.getName(), e);
        }
    }

    private void tickAll(long now) {
        for (int i = 0; i < ticking.size(); i++) {
            try {
                ticking.get(i).tick(now);
            } catch (RuntimeException e) {
                log.error("{}: a media tick failed", thread.getName(), e);
            }
        }
    }

    /** Stops the thread after the tasks already posted have run, and waits a little for it. Safe to call twice. */
    @Override
    public void close() {
        running = false;
        wake();
        if (!inWorker()) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
