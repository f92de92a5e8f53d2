package org.cti4j.media.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media I/O thread: everything that may block on a disk or a name lookup, kept off the strands and off the media
 * clock. Every 20 ms it pumps the active playbacks (reads, decodes and resamples files into their rings) and
 * recordings (drains their rings into the file writers). Files are opened by its {@link FileOpener}, never on the
 * thread itself: opening a FIFO blocks until its other end opens.
 */
public final class MediaIo implements AutoCloseable {

    /** Work the I/O thread repeats until it is done. */
    public interface Pumped {
        /** Does what can be done now, on the I/O thread; returns {@code false} once there is nothing left to do. */
        boolean pump();
    }

    private static final Logger log = LoggerFactory.getLogger(MediaIo.class);
    private static final long PERIOD_MILLIS = 20;
    /** How long a file may take to open before its playback or recording fails: far longer than a disk needs. */
    public static final long OPEN_TIMEOUT_MILLIS = 5000;

    private final ScheduledExecutorService executor;
    private final Set<Pumped> active = ConcurrentHashMap.newKeySet();
    private final FileOpener opener;

    /** Starts the I/O thread and two file opener threads. */
    public MediaIo(String name) {
        this(name, OPEN_TIMEOUT_MILLIS);
    }

    /** Starts the I/O thread and two file opener threads whose opens time out after {@code openTimeoutMillis}. */
    public MediaIo(String name, long openTimeoutMillis) {
        opener = new FileOpener(name + "-open", 2, openTimeoutMillis);
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        // pumpAll catches what a pump throws, so the task never ends by failing; close() shuts the executor down
        var unused = executor.scheduleWithFixedDelay(this::pumpAll, PERIOD_MILLIS, PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /** Returns the opener of playback and recording files. */
    public FileOpener opener() {
        return opener;
    }

    /** Starts pumping {@code pumped} at once and then periodically. Returns false if the thread has stopped. */
    public boolean start(Pumped pumped) {
        active.add(pumped);
        if (execute(() -> pumpOne(pumped))) {
            return true;
        }
        active.remove(pumped);
        return false;
    }

    /** Runs {@code task} on the I/O thread. Returns false if the thread has stopped. */
    public boolean execute(Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void pumpAll() {
        for (Pumped pumped : active) {
            pumpOne(pumped);
        }
    }

    private void pumpOne(Pumped pumped) {
        try {
            if (active.contains(pumped) && !pumped.pump()) {
                active.remove(pumped);
            }
        } catch (RuntimeException e) {
            log.error("media I/O failed", e);
            active.remove(pumped);
        }
    }

    /** Stops the thread after its queued tasks, waiting up to 2 s, and the opener threads. Safe to call twice. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            opener.close();
        }
    }
}
