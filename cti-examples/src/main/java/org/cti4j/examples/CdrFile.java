package org.cti4j.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import org.cti4j.api.CdrListener;
import org.cti4j.api.CdrRecord;
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
 * <p>{@link #onCdr} never blocks: it turns the record into its line and queues it; one thread of its own writes the
 * lines in order, each straight to the file (no buffering in the process, so a crash loses no written line). An
 * existing file is appended to. A line that cannot be written (disk full, queue full, file closed) is logged at
 * error level with its content, never thrown into the engine. {@link #close()} writes what is queued, syncs the file
 * to disk and closes it. Thread-safe.
 */
public final class CdrFile implements CdrListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CdrFile.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int QUEUE_CAPACITY = 100_000;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** Tells the writer to stop; compared by identity. */
    private static final String END = new String("end of CDRs");

    private final Path path;
    private final FileChannel channel;
    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY + 1);
    private final Thread writer;
    private final Object lock = new Object();
    private boolean closed;

    private CdrFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
        this.writer = new Thread(this::writeLines, "cti-cdr-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Opens (creating it if needed) a file to append CDRs to.
     *
     * @param path the file
     * @return the listener, ready
     * @throws IOException if the file cannot be opened for appending
     */
    public static CdrFile open(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        return new CdrFile(path, channel);
    }

    /** Returns the file the CDRs are appended to. */
    public Path path() {
        return path;
    }

    /**
     * Queues the record's line for writing and returns at once. Called by the engine on its event executor; never
     * throws: a line that cannot be queued (the file is closed, or the writer is 100,000 lines behind) is logged.
     */
    @Override
    public void onCdr(CdrRecord record) {
        String line;
        try {
            line = toJson(record);
        } catch (RuntimeException e) {
            log.error("cannot turn a CDR into JSON: {}", record, e);
            return;
        }
        synchronized (lock) {
            if (closed) {
                log.error("CDR file {} is closed; CDR not written: {}", path, line);
                return;
            }
            // one place stays free for END
            if (queue.remainingCapacity() <= 1 || !queue.offer(line)) {
                log.error("CDR file {}: {} lines wait to be written (is the disk stalled?); CDR not written: {}",
                        path, queue.size(), line);
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
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Long seconds(Instant time) {
        return time == null ? null : time.getEpochSecond();
    }

    private void writeLines() {
        try {
            for (String line = queue.take(); line != END; line = queue.take()) {
                write(line);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write(String line) {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            log.error("cannot write to CDR file {}: {}; CDR not written: {}", path, e.toString(), line);
        }
    }

    /**
     * Writes the queued lines (waiting at most 10 s for them), syncs the file to disk and closes it. Records that
     * arrive afterwards are logged instead. Safe to call twice.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(END);
        }
        try {
            writer.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            List<String> left = new ArrayList<>();
            queue.drainTo(left);
            left.remove(END);
            log.error("CDR file {}: writing took over {} s; {} CDRs not written", path, CLOSE_TIMEOUT.toSeconds(),
                    left.size());
            left.forEach(line -> log.error("CDR not written: {}", line));
        }
        try {
            channel.force(false);
        } catch (IOException e) {
            log.warn("cannot sync CDR file {} to disk: {}", path, e.toString());
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.warn("cannot close CDR file {}: {}", path, e.toString());
        }
    }
}
