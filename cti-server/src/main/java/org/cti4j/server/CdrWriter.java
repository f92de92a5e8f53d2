package org.cti4j.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer thread of a {@link CdrFile}: takes the queued entries in order, appends CDR lines to the CDR file and
 * journal entries to the {@link CdrJournal}, marks the journal every {@code aliveInterval} while legs are under way,
 * syncs both files within {@code syncInterval} of a write (the CDR file first), and rewrites the journal with only
 * the legs under way every {@value #REWRITE_AFTER} entries. Its state is touched by its own thread only.
 */
final class CdrWriter implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(CdrWriter.class);
    /** After how many entries (marks included) the journal is rewritten with only the legs under way. */
    static final int REWRITE_AFTER = 4_000;

    /** What the writer thread is given: a journal entry or a CDR line, or the order to stop. */
    sealed interface Entry {
        /** Returns the line to write, for the log if it cannot be. */
        default String line() {
            return "";
        }
    }

    record Start(String key, String line) implements Entry {
    }

    record Answer(String key, String line) implements Entry {
    }

    record Cdr(String key, String line) implements Entry {
    }

    /** Stop: after a sync and a rewrite of the journal ({@code clean}), or at once, as a killed process would. */
    record Stop(boolean clean) implements Entry {
    }

    private final Path path;
    private final FileChannel channel;
    private final CdrJournal journal;
    private final BlockingQueue<Entry> queue;
    private final long syncNanos;
    private final long aliveNanos;
    /** The journal lines (start, then answer if any) of the legs under way, by key. */
    private final Map<String, List<String>> open = new LinkedHashMap<>();
    private boolean cdrDirty;
    private boolean journalDirty;
    private long dirtySince;
    private long lastAlive;
    private int sinceRewrite;

    CdrWriter(Path path, FileChannel channel, CdrJournal journal, BlockingQueue<Entry> queue, Duration syncInterval,
            Duration aliveInterval) {
        this.path = path;
        this.channel = channel;
        this.journal = journal;
        this.queue = queue;
        this.syncNanos = syncInterval.toNanos();
        this.aliveNanos = aliveInterval.toNanos();
    }

    @Override
    public void run() {
        try {
            while (true) {
                Entry entry = nextEntry();
                if (entry instanceof Stop stop) {
                    if (stop.clean() && sync()) {
                        rewriteJournal();
                    }
                    return;
                }
                try {
                    writeAndSync(entry);
                } catch (RuntimeException e) {
                    log.error("CDR file {}: the writer failed; it goes on with the next line", path, e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes the entry (if any), then a mark, a sync or a rewrite of the journal if one is due. */
    private void writeAndSync(Entry entry) {
        if (entry != null) {
            write(entry);
        }
        long now = System.nanoTime();
        if (!open.isEmpty() && now - lastAlive >= aliveNanos) {
            appendToJournal(CdrJournal.aliveLine(System.currentTimeMillis()), "a mark");
            lastAlive = now;
            sinceRewrite++;
        }
        if ((cdrDirty || journalDirty) && now - dirtySince >= syncNanos) {
            sync();
        }
        if (sinceRewrite >= REWRITE_AFTER && sync()) {
            rewriteJournal();
        }
    }

    /** Waits for the next entry, or returns {@code null} when a sync or a mark is due first. */
    private Entry nextEntry() throws InterruptedException {
        long wait = Long.MAX_VALUE;
        long now = System.nanoTime();
        if (cdrDirty || journalDirty) {
            wait = syncNanos - (now - dirtySince);
        }
        if (!open.isEmpty()) {
            wait = Math.min(wait, aliveNanos - (now - lastAlive));
        }
        if (wait == Long.MAX_VALUE) {
            return queue.take();
        }
        return wait <= 0 ? queue.poll() : queue.poll(wait, TimeUnit.NANOSECONDS);
    }

    private void write(Entry entry) {
        sinceRewrite++;
        if (entry instanceof Start start) {
            if (open.isEmpty()) {
                lastAlive = System.nanoTime();
            }
            open.put(start.key(), new ArrayList<>(List.of(start.line())));
            appendToJournal(start.line(), "the start of leg " + start.key());
        } else if (entry instanceof Answer answer) {
            List<String> lines = open.get(answer.key());
            if (lines != null) {
                lines.add(answer.line());
            }
            appendToJournal(answer.line(), "the answer of leg " + answer.key());
        } else if (entry instanceof Cdr cdr) {
            open.remove(cdr.key());
            markDirty();
            cdrDirty = true;
            try {
                CdrJournal.writeFully(channel, cdr.line() + "\n");
            } catch (IOException e) {
                log.error("cannot write to CDR file {}: {}; CDR not written: {}", path, e.toString(), cdr.line());
            }
        }
    }

    private void appendToJournal(String line, String what) {
        markDirty();
        journalDirty = true;
        try {
            journal.append(line);
        } catch (IOException e) {
            log.error("cannot write to CDR journal of {}: {}; {} is not journalled (after a crash it may have no"
                    + " CDR)", path, e.toString(), what);
        }
    }

    private void markDirty() {
        if (!cdrDirty && !journalDirty) {
            dirtySince = System.nanoTime();
        }
    }

    /**
     * Syncs the CDR file, then the journal. Returns whether the CDR file is on disk, as a rewrite of the journal
     * needs.
     */
    private boolean sync() {
        boolean cdrsSynced = true;
        if (cdrDirty) {
            try {
                channel.force(false);
            } catch (IOException e) {
                cdrsSynced = false;
                log.warn("cannot sync CDR file {} to disk: {}", path, e.toString());
            }
        }
        if (journalDirty) {
            try {
                journal.force();
            } catch (IOException e) {
                log.warn("cannot sync the CDR journal of {} to disk: {}", path, e.toString());
            }
        }
        cdrDirty = false;
        journalDirty = false;
        return cdrsSynced;
    }

    /** Replaces the journal with one of the legs under way; the CDR file must be synced first (see sync). */
    private void rewriteJournal() {
        sinceRewrite = 0;
        List<String> lines = new ArrayList<>();
        open.values().forEach(lines::addAll);
        try {
            journal.rewrite(channel.size(), System.currentTimeMillis(), lines);
        } catch (IOException e) {
            log.error("cannot rewrite the CDR journal of {}: {}; the old one stays", path, e.toString());
        }
    }
}
