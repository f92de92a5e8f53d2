package org.cti4j.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import org.cti4j.api.CdrListener;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.LegAnswered;
import org.cti4j.api.LegStarted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CdrListener} that appends every {@link CdrRecord} to a file as one JSON object per line (JSON Lines),
 * with the names and conventions of the wire protocol ({@code cti-rpc/PROTOCOL.md}):
 *
 * <pre>{@code
 * {"res_id":"0.0.0-sys.call-1763733600000001","leg":0,"call_dir":"outbound","from_uri":"sip:400@10.0.0.1",
 *  "to_uri":"sip:1001@10.0.0.10:5060","begin_time":1763733600,"answer_time":1763733605,"end_time":1763733700,
 *  "dropped_by":"usr","cause":200,"user_data":"ticket 42","error":null,"record_file":"/var/rec/c1.wav",
 *  "record_error":null}
 * }</pre>
 *
 * (one line in the file). Times are integer Unix seconds, {@code null} when the moment did not happen; {@code error}
 * is {@code "486 Busy Here"} for a failed dial, else {@code null}; {@code record_file} is the leg's recording (a
 * duo callback's, or a call's last one; {@code null} if none was started) and {@code record_error} why it failed
 * ({@code null} when its file is complete).
 *
 * <p><b>Crash safety.</b> Every leg gets exactly one line, even when the process is killed (SIGKILL, an out-of-memory
 * kill) or the machine loses power while legs are under way. The file keeps a journal next to it,
 * {@code <file>.journal} (JSON Lines too): each leg is noted there when it starts
 * ({@link #onLegStarted}) and when it is answered ({@link #onLegAnswered}), and while any leg is under way a mark
 * says every second that the server still runs. When the file is opened again, every leg the journal saw start that
 * has no line in the file gets a <em>crash line</em>: an ordinary CDR line with {@code "dropped_by":"sys"},
 * {@code "cause":0} ({@value #CRASH_CAUSE}, which no SIP status is), {@code "error":null}, no recording, and one
 * field more at its end, {@code "crash":true} (ordinary lines are unchanged and have no such field). Its
 * {@code end_time} is the last moment the journal shows the server running: the later of the last mark and the leg's
 * own start or answer; the true end lies after it, by at most a second plus the sync interval. Its
 * {@code user_data} is the one it was answered with, or started with if it was not answered. A crash during that
 * recovery writes no leg twice: the journal's first line holds the file's size when the journal was made, a leg gets
 * a crash line only if the file has no line of it after that point, and the crash lines are synced before the journal
 * is replaced (by a new file renamed over it), so a recovery cut short is done again and skips what it wrote. A last
 * line torn by a power loss is cut off from the file (logged with its content; its leg then gets a crash line), a
 * damaged journal line skipped with a warning. Then the journal is made anew, empty; it is also rewritten, with only the legs under way, every few thousand
 * entries. Only one process may have the file open: it is locked while open.
 *
 * <p><b>Syncing.</b> Lines reach the file at once (no buffering in the process, so a killed process loses no written
 * line). How soon they are also synced to disk, and so survive a power loss, is the {@code syncInterval}: within
 * that long after they are written (default {@link #DEFAULT_SYNC_INTERVAL}, 200 ms), or, with
 * {@link Duration#ZERO}, each at once. A sync (fdatasync) took about 0.15 ms on the virtual disk this was measured
 * on, and takes several milliseconds on a spinning disk or a disk that honours flushes: per-record syncing bounds
 * how many CDRs a second the file can take; the interval makes it one sync per interval whatever the load. A leg
 * that starts and ends within one interval before a power loss may be lost entirely; one that started earlier gets
 * at least its crash line.
 *
 * <p>The listener methods never block: they turn what they get into a line and queue it; one thread of its own writes
 * the lines in order. A line that cannot be written (disk full, queue full, file closed) is logged at error level
 * with its content, never thrown into the engine. {@link #close()} writes what is queued, syncs the file to disk,
 * leaves the journal empty (legs still under way stay in it, to get crash lines at the next start) and closes both.
 * Thread-safe.
 */
public final class CdrFile implements CdrListener, AutoCloseable {

    /** The {@code cause} of a crash line: 0, which no SIP status is. */
    public static final int CRASH_CAUSE = 0;

    /** The default sync interval: 200 ms. */
    public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofMillis(200);

    /** The longest sync interval {@link #open(Path, Duration)} accepts: one minute. */
    public static final Duration MAX_SYNC_INTERVAL = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(CdrFile.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int QUEUE_CAPACITY = 100_000;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration ALIVE_INTERVAL = Duration.ofSeconds(1);

    private final Path path;
    private final FileChannel channel;
    private final FileLock fileLock;
    private final CdrJournal journal;
    private final int recovered;
    private final LinkedBlockingQueue<CdrWriter.Entry> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY + 1);
    private final Thread writer;
    private final Object lock = new Object();
    private boolean closed;

    private CdrFile(Path path, FileChannel channel, FileLock fileLock, CdrJournal journal, Duration syncInterval,
            Duration aliveInterval, int recovered) {
        this.path = path;
        this.channel = channel;
        this.fileLock = fileLock;
        this.journal = journal;
        this.recovered = recovered;
        this.writer = new Thread(new CdrWriter(path, channel, journal, queue, syncInterval, aliveInterval),
                "cti-cdr-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Opens (creating it if needed) a file to append CDRs to, syncing them at the {@linkplain #DEFAULT_SYNC_INTERVAL
     * default interval}, and first completes it after a crash (see the class description).
     *
     * @param path the file
     * @return the listener, ready
     * @throws IOException if the file or its journal cannot be opened, read or written, or another process has the
     *     file open
     */
    public static CdrFile open(Path path) throws IOException {
        return open(path, DEFAULT_SYNC_INTERVAL);
    }

    /**
     * Opens (creating it if needed) a file to append CDRs to, and first completes it after a crash (see the class
     * description).
     *
     * @param path the file
     * @param syncInterval how soon written lines are synced to disk: {@link Duration#ZERO} for each at once, at most
     *     {@link #MAX_SYNC_INTERVAL}
     * @return the listener, ready
     * @throws IllegalArgumentException if {@code syncInterval} is negative or over a minute
     * @throws IOException if the file or its journal cannot be opened, read or written, or another process has the
     *     file open
     */
    public static CdrFile open(Path path, Duration syncInterval) throws IOException {
        return open(path, syncInterval, ALIVE_INTERVAL);
    }

    /** As {@link #open(Path, Duration)}, marking the journal every {@code aliveInterval} while legs are under way. */
    static CdrFile open(Path path, Duration syncInterval, Duration aliveInterval) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(syncInterval, "syncInterval");
        if (syncInterval.isNegative() || syncInterval.compareTo(MAX_SYNC_INTERVAL) > 0) {
            throw new IllegalArgumentException("syncInterval " + syncInterval + " is not within 0 and "
                    + MAX_SYNC_INTERVAL);
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        try {
            FileLock fileLock = lock(path, channel);
            Path journalPath = CdrJournal.pathFor(path);
            int recovered = CdrRecovery.recover(path, channel, journalPath);
            if (recovered > 0) {
                log.warn("CDR file {}: {} legs the server had when it stopped last had no CDR; they were written as"
                        + " ended by a crash (\"crash\":true)", path, recovered);
            }
            // Lines a killed server wrote may still be only in the page cache: on disk before the journal says
            // they are behind its offset.
            channel.force(false);
            CdrJournal journal = CdrJournal.create(journalPath, channel.size(), System.currentTimeMillis(),
                    List.of());
            return new CdrFile(path, channel, fileLock, journal, syncInterval, aliveInterval, recovered);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static FileLock lock(Path path, FileChannel channel) throws IOException {
        FileLock fileLock;
        try {
            fileLock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            throw new IOException(path + " is already open as a CDR file in this process");
        }
        if (fileLock == null) {
            throw new IOException(path + " is open as a CDR file in another process");
        }
        return fileLock;
    }

    /** Returns the file the CDRs are appended to. */
    public Path path() {
        return path;
    }

    /** Returns how many crash lines were written when the file was opened. */
    public int recovered() {
        return recovered;
    }

    /**
     * Queues the leg's start for the journal and returns at once. Called by the engine on its event executor; never
     * throws.
     */
    @Override
    public void onLegStarted(LegStarted started) {
        enqueue(() -> new CdrWriter.Start(CdrJournal.key(started.resId(), started.leg()),
                CdrJournal.startLine(started)), started);
    }

    /**
     * Queues the leg's answer for the journal and returns at once. Called by the engine on its event executor; never
     * throws.
     */
    @Override
    public void onLegAnswered(LegAnswered answered) {
        enqueue(() -> new CdrWriter.Answer(CdrJournal.key(answered.resId(), answered.leg()),
                CdrJournal.answerLine(answered)), answered);
    }

    /**
     * Queues the record's line for writing and returns at once. Called by the engine on its event executor; never
     * throws: a line that cannot be queued (the file is closed, or the writer is 100,000 lines behind) is logged.
     */
    @Override
    public void onCdr(CdrRecord record) {
        enqueue(() -> new CdrWriter.Cdr(CdrJournal.key(record.resId(), record.leg()), toJson(record)), record);
    }

    private void enqueue(Supplier<CdrWriter.Entry> entryOf, Object source) {
        CdrWriter.Entry entry;
        try {
            entry = entryOf.get();
        } catch (RuntimeException e) {
            log.error("cannot turn into JSON: {}", source, e);
            return;
        }
        String kind = entry instanceof CdrWriter.Cdr ? "CDR" : "journal entry";
        String what = entry.line();
        synchronized (lock) {
            if (closed) {
                log.error("CDR file {} is closed; {} not written: {}", path, kind, what);
                return;
            }
            // one place stays free for Stop
            if (queue.remainingCapacity() <= 1 || !queue.offer(entry)) {
                log.error("CDR file {}: {} lines wait to be written (is the disk stalled?); {} not written: {}",
                        path, queue.size(), kind, what);
            }
        }
    }

    /**
     * Returns the record as one line of JSON (without the line break), as {@link CdrFile} writes it.
     *
     * @param record the CDR
     * @return its JSON object
     */
    public static String toJson(CdrRecord record) {
        return json(toNode(record));
    }

    /** Returns the crash line of a leg: its record's line with {@code "crash":true} added. */
    static String toCrashJson(CdrRecord record) {
        return json(toNode(record).put("crash", true));
    }

    private static ObjectNode toNode(CdrRecord record) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("res_id", record.resId());
        node.put("leg", record.leg());
        node.put("call_dir", record.callDir().wireName());
        node.put("from_uri", record.fromUri().toString());
        node.put("to_uri", record.toUri().toString());
        node.put("begin_time", seconds(record.beginTime()));
        node.put("answer_time", seconds(record.answerTime()));
        node.put("end_time", seconds(record.endTime()));
        node.put("dropped_by", record.droppedBy().wireName());
        node.put("cause", record.cause());
        node.put("user_data", record.userData());
        node.put("error", record.error() == null ? null : record.error().toString());
        node.put("record_file", record.recordFile());
        node.put("record_error", record.recordError());
        return node;
    }

    private static String json(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Long seconds(Instant time) {
        return time == null ? null : time.getEpochSecond();
    }

    /**
     * Writes the queued lines (waiting at most 10 s for them), syncs the file to disk, leaves in the journal only the
     * legs still under way, and closes both. Records that arrive afterwards are logged instead. Safe to call twice.
     */
    @Override
    public void close() {
        stop(true);
    }

    /**
     * Stops as a killed process would, for tests: the lines queued before are written, nothing is synced and the
     * journal is left as it is.
     */
    void abandon() {
        stop(false);
    }

    private void stop(boolean clean) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(new CdrWriter.Stop(clean));
        }
        try {
            writer.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            List<CdrWriter.Entry> left = new ArrayList<>();
            queue.drainTo(left);
            left.removeIf(CdrWriter.Stop.class::isInstance);
            log.error("CDR file {}: writing took over {} s; {} lines not written", path, CLOSE_TIMEOUT.toSeconds(),
                    left.size());
            left.forEach(entry -> log.error("not written: {}", entry.line()));
        }
        if (clean) {
            try {
                channel.force(false);
            } catch (IOException e) {
                log.warn("cannot sync CDR file {} to disk: {}", path, e.toString());
            }
        }
        try {
            journal.close();
        } catch (IOException e) {
            log.warn("cannot close the CDR journal of {}: {}", path, e.toString());
        }
        try {
            fileLock.release();
            channel.close();
        } catch (IOException e) {
            log.warn("cannot close CDR file {}: {}", path, e.toString());
        }
    }
}
