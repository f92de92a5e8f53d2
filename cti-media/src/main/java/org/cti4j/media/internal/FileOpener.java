package org.cti4j.media.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the files of playbacks and recordings off the media I/O thread, so that no file can stall it.
 *
 * <pre>
 *   I/O thread ──open(path)──▶ Pending ◀──poll() every tick (never blocks)
 *                                 │
 *   opener threads: check the path (regular files only, links followed to a regular file) ─▶ FileChannel.open
 * </pre>
 *
 * <p>Only regular files are opened: anything else (a FIFO, a device, a directory, a socket) fails with
 * {@link NotRegularFileException} before any open, because opening a FIFO blocks in {@code open()} until its other
 * end opens, before any check of the opened channel could run. What the check cannot exclude (the path replaced
 * between the check and the open, a hung network file system) is bounded by a timeout: an open that has not finished
 * within it fails, and its thread is abandoned and counted ({@link #stuckOpens()}); a new thread takes its place, so
 * one bad file never holds up the opens of other calls. An abandoned open that finishes later closes what it opened.
 * When {@link #MAX_STUCK} opens are stuck at once, new opens are refused at once until some finish.
 */
public final class FileOpener implements AutoCloseable {

    /** The file is not a regular file (a FIFO, a device, a directory, a socket): it is never opened. */
    public static final class NotRegularFileException extends IOException {
        private static final long serialVersionUID = 1L;

        NotRegularFileException() {
            super("not a regular file");
        }
    }

    /** How many opens may be stuck at once before new ones are refused: each holds a thread. */
    public static final int MAX_STUCK = 16;

    private static final Logger log = LoggerFactory.getLogger(FileOpener.class);
    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ);
    private static final Set<OpenOption> REPLACE = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
    private static final Set<OpenOption> CREATE_NEW = Set.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
    private static final FileAttribute<?>[] OWNER_ONLY = ownerOnly();

    private final int threads;
    private final long timeoutNanos;
    private final ThreadPoolExecutor executor;
    private final AtomicInteger stuck = new AtomicInteger();

    /**
     * Starts an opener.
     *
     * @param name the threads' name prefix
     * @param threads how many opens may run at once when none is stuck
     * @param timeoutMillis how long an open may take, from its request, before it fails and is abandoned
     */
    public FileOpener(String name, int threads, long timeoutMillis) {
        this.threads = threads;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    /** Returns how many opens were abandoned and have not finished yet (each holds a thread). */
    public int stuckOpens() {
        return stuck.get();
    }

    /** Starts opening a regular file for reading. Never blocks. */
    public Pending openForReading(Path path) {
        return submit(path, false, false, true);
    }

    /**
     * Starts opening a regular file for writing: creating it, or, if {@code replace}, truncating an existing one;
     * without {@code replace}, an existing file (or link) fails the open ({@link FileAlreadyExistsException}), with no
     * window between a check and the creation. A file created is readable and writable by its owner only (on POSIX
     * file systems); one replaced keeps its permissions. Never blocks.
     */
    public Pending openForWriting(Path path, boolean replace) {
        return submit(path, true, replace, true);
    }

    /** Starts opening {@code path} without checking what it is: for tests of the timeout only. */
    public Pending openUnchecked(Path path, boolean forWriting) {
        return submit(path, forWriting, true, false);
    }

    private static FileAttribute<?>[] ownerOnly() {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0];
    }

    private Pending submit(Path path, boolean forWriting, boolean replace, boolean check) {
        Pending pending = new Pending(System.nanoTime());
        int nowStuck = stuck.get();
        if (nowStuck >= MAX_STUCK) {
            pending.fail(new IOException("opening it was refused: " + nowStuck + " file opens are stuck"));
            return pending;
        }
        try {
            executor.execute(() -> pending.run(path, forWriting, replace, check));
        } catch (RejectedExecutionException e) {
            pending.fail(new IOException("the media provider is closed"));
        }
        return pending;
    }

    /**
     * Checks that {@code path} names a regular file, or, for writing, nothing yet. A symbolic link is followed and its
     * target checked the same way. Runs on an opener thread: reading attributes may block too (a network file system).
     */
    public static void checkRegularFile(Path path, boolean forWriting) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                attributes = Files.readAttributes(path, BasicFileAttributes.class);
            }
        } catch (NoSuchFileException e) {
            if (forWriting) {
                return;
            }
            throw e;
        }
        if (!attributes.isRegularFile()) {
            throw new NotRegularFileException();
        }
    }

    private void abandoned(boolean running) {
        if (running) {
            int now = stuck.incrementAndGet();
            // A stuck thread no longer counts: one more thread keeps the same number serving the other calls.
            resize();
            log.warn("a file open did not finish in time; {} open(s) stuck", now);
        }
    }

    private void unstuck() {
        stuck.decrementAndGet();
        resize();
    }

    private synchronized void resize() {
        int size = threads + Math.max(0, stuck.get());
        if (size > executor.getMaximumPoolSize()) {
            executor.setMaximumPoolSize(size);
            executor.setCorePoolSize(size);
        } else {
            executor.setCorePoolSize(size);
            executor.setMaximumPoolSize(size);
        }
    }

    /** Stops the opener threads; stuck ones are left to finish (they are daemon threads). Safe to call twice. */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** An open under way: polled by the thread that asked for it. Thread-safe. */
    public final class Pending {
        private static final int QUEUED = 0;
        private static final int RUNNING = 1;
        private static final int DONE = 2;
        private static final int ABANDONED = 3;
        private static final int TAKEN = 4;

        private final long requested;
        private final AtomicInteger state = new AtomicInteger(QUEUED);
        private final CountDownLatch finished = new CountDownLatch(1);
        private volatile FileChannel channel;
        private volatile IOException failure;

        private Pending(long requested) {
            this.requested = requested;
        }

        private void run(Path path, boolean forWriting, boolean replace, boolean check) {
            if (!state.compareAndSet(QUEUED, RUNNING)) {
                return;
            }
            FileChannel opened = null;
            IOException error = null;
            try {
                if (check) {
                    checkRegularFile(path, forWriting);
                }
                opened = !forWriting ? FileChannel.open(path, READ)
                        : FileChannel.open(path, replace ? REPLACE : CREATE_NEW, OWNER_ONLY);
            } catch (IOException e) {
                error = e;
            } catch (RuntimeException e) {
                error = new IOException(e.getMessage() != null ? e.getMessage() : e.toString(), e);
            }
            channel = opened;
            failure = error;
            if (!state.compareAndSet(RUNNING, DONE)) {
                closeQuietly(opened);
                unstuck();
                return;
            }
            finished.countDown();
        }

        private void fail(IOException error) {
            failure = error;
            state.set(DONE);
            finished.countDown();
        }

        /**
         * Returns the opened channel once (the caller owns it from then on), or {@code null} while the open goes on.
         * Never blocks.
         *
         * @throws IOException if the open failed, or has not finished within the timeout (it is then abandoned)
         */
        FileChannel poll() throws IOException {
            int now = state.get();
            if (now == DONE) {
                return take();
            }
            if (System.nanoTime() - requested > timeoutNanos) {
                return giveUpOrTake();
            }
            return null;
        }

        /**
         * Waits up to {@code millis} for the open and returns the channel, which the caller then owns. Blocks: for
         * the short, bounded wait of closing a session, never on the I/O thread.
         *
         * @throws IOException if the open failed or has not finished in time (it is then abandoned)
         */
        FileChannel await(long millis) throws IOException {
            try {
                finished.await(millis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return giveUpOrTake();
        }

        /** The time is up: abandons the open if it still runs, else returns what it gave. */
        private FileChannel giveUpOrTake() throws IOException {
            if (giveUp()) {
                throw new IOException("opening it did not finish in time");
            }
            return take();
        }

        private FileChannel take() throws IOException {
            if (!state.compareAndSet(DONE, TAKEN)) {
                throw new IOException("the file was taken or abandoned already");
            }
            if (failure != null) {
                throw failure;
            }
            return channel;
        }

        /** Gives the open up: what it opens later, or opened and was not taken, is closed. Safe to call twice. */
        void abandon() {
            if (!giveUp() && state.compareAndSet(DONE, TAKEN)) {
                closeQuietly(channel);
            }
        }

        /** Abandons the open if it is queued or running; returns whether it did. */
        private boolean giveUp() {
            while (true) {
                int now = state.get();
                if (now != QUEUED && now != RUNNING) {
                    return false;
                }
                if (state.compareAndSet(now, ABANDONED)) {
                    abandoned(now == RUNNING);
                    return true;
                }
            }
        }

        private void closeQuietly(FileChannel opened) {
            if (opened != null) {
                try {
                    opened.close();
                } catch (IOException e) {
                    log.debug("closing an abandoned file failed", e);
                }
            }
        }
    }
}
