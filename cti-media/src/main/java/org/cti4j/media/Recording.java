package org.cti4j.media;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.cti4j.api.RecordFormat;
import org.cti4j.core.spi.MediaOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A recording under way, of a session or a mixer.
 *
 * <pre>
 *   media worker ──push 20 ms frames──▶ PcmRing (about 2 s) ──I/O thread drains every 20 ms──▶ AudioFileWriter
 * </pre>
 *
 * <p>The worker never touches the file: it only writes samples into a bounded ring (what does not fit, if the disk
 * stalls for seconds, is dropped and counted). The I/O thread opens the file, encodes and writes. Finishing drains
 * the ring and completes the file (header sizes, last block) under a lock, either on the I/O thread ({@link
 * #stop()}) or on the caller's thread ({@link #finishNow()}, used when a session or mixer closes, so that the file
 * is complete when {@code close()} returns). The listener hears the outcome exactly once, after the file is
 * complete.
 */
final class Recording implements MediaOperation, MediaIo.Pumped {

    private static final Logger log = LoggerFactory.getLogger(Recording.class);

    private final String path;
    private final RecordFormat format;
    private final Listener listener;
    private final MediaIo io;
    private final PcmRing ring = new PcmRing(16384);
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean completed = new AtomicBoolean();
    private final short[] chunk = new short[2048];
    private volatile boolean stopped;
    private volatile long samplesWritten;
    private long samplesDropped;
    private AudioFileWriter writer;

    /**
     * Starts a recording in {@code slot} (a session's or a mixer's), stopping the one it replaces. If the owner is
     * closed, before or while this runs, the recording finishes at once: its file is complete and its listener told.
     */
    static Recording startIn(java.util.concurrent.atomic.AtomicReference<Recording> slot, AtomicBoolean ownerClosed,
            String file, RecordFormat format, Listener listener, MediaIo io) {
        java.util.Objects.requireNonNull(file, "file");
        java.util.Objects.requireNonNull(format, "format");
        java.util.Objects.requireNonNull(listener, "listener");
        Recording next = new Recording(file, format, listener, io);
        if (ownerClosed.get()) {
            next.finishNow();
            return next;
        }
        Recording previous = slot.getAndSet(next);
        if (previous != null) {
            previous.stop();
        }
        next.start();
        if (ownerClosed.get()) {
            next.finishNow();
        }
        return next;
    }

    Recording(String path, RecordFormat format, Listener listener, MediaIo io) {
        this.path = path;
        this.format = format;
        this.listener = listener;
        this.io = io;
    }

    /** Starts pumping on the I/O thread (which opens the file); fails the recording if the I/O thread is gone. */
    Recording start() {
        if (!io.start(this)) {
            fail("cannot record " + path + ": the media provider is closed");
        }
        return this;
    }

    /** Worker thread: appends one frame; ignored once the recording is stopped. */
    void push(short[] samples, int offset, int length) {
        if (stopped) {
            return;
        }
        int written = ring.write(samples, offset, length);
        if (written < length) {
            samplesDropped += length - written;
        }
    }

    /** Returns whether it takes no more audio (stopped, finished or failed). */
    boolean isDone() {
        return stopped || completed.get();
    }

    /** Returns the number of samples written to the file so far. */
    long samplesWritten() {
        return samplesWritten;
    }

    @Override
    public boolean pump() {
        if (completed.get()) {
            return false;
        }
        lock.lock();
        try {
            // Checked again under the lock: finishNow() may have completed the file while this waited for it, and
            // draining then would open (and truncate) the finished file anew.
            if (completed.get()) {
                return false;
            }
            drainLocked();
        } catch (IOException | RuntimeException e) {
            failLocked(e);
        } finally {
            lock.unlock();
        }
        return !completed.get() && !stopped;
    }

    /** Stops taking audio and completes the file on the I/O thread; the listener then hears {@code null}. */
    @Override
    public void stop() {
        stopped = true;
        if (!io.execute(this::finishNow)) {
            finishNow();
        }
    }

    /**
     * Stops taking audio and completes the file on the calling thread (a short write: what the ring holds, and the
     * header). Safe to call twice and concurrently with the I/O thread.
     */
    void finishNow() {
        stopped = true;
        lock.lock();
        try {
            if (completed.get()) {
                return;
            }
            drainLocked();
            writer.finish();
            writer = null;
            if (samplesDropped > 0) {
                log.warn("recording {} lost {} samples: the disk was too slow", path, samplesDropped);
            }
            complete(null);
        } catch (IOException | RuntimeException e) {
            failLocked(e);
        } finally {
            lock.unlock();
        }
    }

    private void drainLocked() throws IOException {
        if (writer == null) {
            Path file = Paths.get(path);
            writer = AudioFileWriter.open(file, format);
        }
        int n;
        while ((n = ring.read(chunk, 0, chunk.length)) > 0) {
            writer.write(chunk, 0, n);
            samplesWritten += n;
        }
    }

    private void failLocked(Exception e) {
        if (writer != null) {
            writer.abort();
            writer = null;
        }
        String why = e instanceof NoSuchFileException ? "no such directory"
                : e instanceof AccessDeniedException ? "permission denied"
                : e.getMessage() != null ? e.getMessage() : e.toString();
        fail("cannot record " + path + ": " + why);
    }

    private void fail(String error) {
        stopped = true;
        complete(error);
    }

    private void complete(String error) {
        if (!completed.compareAndSet(false, true)) {
            return;
        }
        try {
            listener.onCompleted(error);
        } catch (RuntimeException e) {
            log.warn("a recording listener threw", e);
        }
    }
}
