package org.cti4j.media.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.cti4j.api.RecordFormat;
import org.cti4j.core.spi.MediaException;
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
 * stalls for seconds, is dropped and counted). The {@link FileOpener} opens the file (a regular file only, never on
 * the I/O thread: a FIFO would block it); the I/O thread polls for it, then encodes and writes. Finishing drains the
 * ring and completes the file (header sizes, last block) under a lock, either on the I/O thread (after {@link
 * #stop()}) or on the caller's thread ({@link #finishNow()}, used when a session or mixer closes, so that the file
 * is complete when {@code close()} returns). The I/O thread never waits for the lock: a tick that finds it taken
 * skips the recording. A write that fails (a full disk) ends the recording with the error, and the file's header is
 * made to match what the file holds. The listener hears the outcome exactly once, after the file is complete.
 *
 * <p>A stereo recording takes interleaved frames (left, right, ...) and keeps them whole: a frame that does not fit
 * in the ring is dropped entirely, so that the channels never slip against each other.
 */
public final class Recording implements MediaOperation, MediaIo.Pumped {

    private static final Logger log = LoggerFactory.getLogger(Recording.class);
    /** How long closing a session may wait for its recording's file to open: the SPI's one short wait. */
    private static final long CLOSE_OPEN_WAIT_MILLIS = 1000;

    private final String path;
    private final boolean replace;
    private final RecordFormat format;
    private final boolean stereo;
    private final Listener listener;
    private final MediaIo io;
    private final UnaryOperator<FileOutput.Sink> sinkFilter;
    private final PcmRing ring;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean completed = new AtomicBoolean();
    private final short[] chunk = new short[2048];
    private volatile boolean stopped;
    private volatile long samplesWritten;
    private long samplesDropped;
    // Under the lock.
    private FileOpener.Pending opening;
    private AudioFileWriter writer;

    /**
     * Starts a recording in {@code slot} (a session's or a mixer's), stopping the one it replaces. If the owner is
     * closed, before or while this runs, the recording finishes at once: its file is complete and its listener told.
     * A format the provider cannot write fails the recording at once, before any file is made.
     *
     * @param stereo whether the owner pushes interleaved stereo frames (only in a format that allows it)
     * @throws MediaException if stereo is asked of a format that does not allow it; nothing is started
     */
    public static Recording startIn(AtomicReference<Recording> slot, AtomicBoolean ownerClosed, String file,
            boolean replace, RecordFormat format, boolean stereo, Listener listener, MediaContext context) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(listener, "listener");
        if (stereo && !format.allowsStereo()) {
            throw new MediaException(500, "cannot record " + file + ": " + format + " cannot be recorded in stereo");
        }
        Recording next = new Recording(file, replace, format, stereo, listener, context.io(),
                UnaryOperator.identity());
        if (!context.canRecord(format)) {
            next.fail("cannot record " + file + ": " + AudioFileWriter.MP3_UNAVAILABLE);
            return next;
        }
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

    /**
     * Creates a recording; {@link #start()} starts it.
     *
     * @param replace whether an existing file is replaced (else the file is created new, and an existing one fails
     *     the recording)
     * @param sinkFilter wraps the opened file: the identity, or, in tests, a file whose writes fail
     */
    public Recording(String path, boolean replace, RecordFormat format, Listener listener, MediaIo io,
            UnaryOperator<FileOutput.Sink> sinkFilter) {
        this(path, replace, format, false, listener, io, sinkFilter);
    }

    /**
     * Creates a recording, mono or stereo; {@link #start()} starts it.
     *
     * @param stereo whether {@link #push} takes interleaved stereo frames
     */
    public Recording(String path, boolean replace, RecordFormat format, boolean stereo, Listener listener,
            MediaIo io, UnaryOperator<FileOutput.Sink> sinkFilter) {
        this.path = path;
        this.replace = replace;
        this.format = format;
        this.stereo = stereo;
        this.ring = new PcmRing(stereo ? 32768 : 16384); // about 2 s either way
        this.listener = listener;
        this.io = io;
        this.sinkFilter = sinkFilter;
    }

    /** Starts opening the file and pumping on the I/O thread; fails the recording if the I/O thread is gone. */
    public Recording start() {
        lock.lock();
        try {
            startOpeningLocked();
        } catch (RuntimeException e) {
            failLocked(e);
            return this;
        } finally {
            lock.unlock();
        }
        if (!io.start(this)) {
            finishNow();
        }
        return this;
    }

    /**
     * Worker thread: appends one frame (stereo: interleaved, an even {@code length}, kept whole); ignored once the
     * recording is stopped.
     */
    public void push(short[] samples, int offset, int length) {
        if (stopped) {
            return;
        }
        if (stereo && ring.free() < length) {
            samplesDropped += length / 2;
            return;
        }
        int written = ring.write(samples, offset, length);
        if (written < length) {
            samplesDropped += length - written;
        }
    }

    /** Returns whether it takes interleaved stereo frames. */
    public boolean isStereo() {
        return stereo;
    }

    /** Returns whether it takes no more audio (stopped, finished or failed). */
    public boolean isDone() {
        return stopped || completed.get();
    }

    /** Returns the number of samples written to the file so far (per channel). */
    public long samplesWritten() {
        return samplesWritten;
    }

    /** I/O thread: writes what the ring holds once the file is open, and completes the file once stopped. */
    @Override
    public boolean pump() {
        if (completed.get()) {
            return false;
        }
        if (!lock.tryLock()) {
            return true;
        }
        try {
            // Checked again under the lock: finishNow() may have completed the file while this waited for it, and
            // draining then would write to the finished file.
            if (completed.get()) {
                return false;
            }
            if (writer == null && !openLocked(opening.poll())) {
                return true;
            }
            drainLocked();
            if (stopped) {
                finishLocked();
            }
        } catch (IOException | RuntimeException e) {
            failLocked(e);
        } finally {
            lock.unlock();
        }
        return !completed.get();
    }

    /** Stops taking audio; the I/O thread completes the file and the listener then hears {@code null}. */
    @Override
    public void stop() {
        stopped = true;
        if (!io.execute(this::pump)) {
            finishNow();
        }
    }

    /**
     * Stops taking audio and completes the file on the calling thread (a short write: what the ring holds, and the
     * header; if the file is still being opened, a wait of at most a second for it). Safe to call twice and
     * concurrently with the I/O thread.
     */
    public void finishNow() {
        stopped = true;
        lock.lock();
        try {
            if (completed.get()) {
                return;
            }
            if (writer == null) {
                startOpeningLocked();
                openLocked(opening.await(CLOSE_OPEN_WAIT_MILLIS));
            }
            drainLocked();
            finishLocked();
        } catch (IOException | RuntimeException e) {
            failLocked(e);
        } finally {
            lock.unlock();
        }
    }

    private void startOpeningLocked() {
        if (opening == null) {
            opening = io.opener().openForWriting(Paths.get(path), replace);
        }
    }

    /** Starts the file's writer on the opened channel; returns false if it is not open yet. */
    private boolean openLocked(FileChannel channel) throws IOException {
        if (channel == null) {
            return false;
        }
        FileOutput out = new FileOutput(sinkFilter.apply(FileOutput.Sink.of(channel)));
        try {
            writer = AudioFileWriter.open(out, format, stereo);
        } catch (IOException | RuntimeException e) {
            out.abort();
            throw e;
        }
        return true;
    }

    // one writer: only the I/O thread updates samplesWritten; others only read it
    @SuppressWarnings("NonAtomicVolatileUpdate")
    private void drainLocked() throws IOException {
        int n;
        while ((n = ring.read(chunk, 0, chunk.length)) > 0) {
            writer.write(chunk, 0, n);
            samplesWritten += stereo ? n / 2 : n;
        }
    }

    private void finishLocked() throws IOException {
        writer.finish();
        writer = null;
        if (samplesDropped > 0) {
            log.warn("recording {} lost {} samples: the disk was too slow", path, samplesDropped);
        }
        complete(null);
    }

    private void failLocked(Exception e) {
        if (writer != null) {
            writer.abort();
            writer = null;
        }
        if (opening != null) {
            opening.abandon();
        }
        String why = e instanceof FileAlreadyExistsException ? "the file exists and may not be replaced"
                : e instanceof NoSuchFileException ? "no such directory"
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
