package org.cti4j.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cti4j.api.CdrRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes a CDR file after a crash, when a {@link CdrFile} opens it: writes a crash CDR for every leg its
 * {@link CdrJournal} saw start that has no line in the CDR file, and syncs them to disk. The caller then replaces
 * the journal with an empty one.
 *
 * <p>Exactly one line per leg, whenever the process dies: a leg gets a crash line only if the CDR file holds no line
 * of it after the journal's {@code cdr_offset}, and the journal is replaced only once those lines are on disk. A crash
 * during a recovery leaves the old journal; the next recovery reads the lines the first one wrote and skips those
 * legs. A last line torn by a power loss (one that does not end the file with a line break and is not a whole JSON
 * object) is cut off with a warning that shows it, so that the next line does not run into it; its leg, having no
 * line, gets a crash line.
 */
final class CdrRecovery {

    private static final Logger log = LoggerFactory.getLogger(CdrRecovery.class);
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private CdrRecovery() {
    }

    /**
     * Recovers.
     *
     * @param cdrFile the CDR file's name, for the log
     * @param cdrs the CDR file, open for appending
     * @param journal the journal's file; nothing to recover if it does not exist
     * @return how many crash CDRs were written
     * @throws IOException if the files cannot be read or written
     */
    static int recover(Path cdrFile, FileChannel cdrs, Path journal) throws IOException {
        cutTornLine(cdrFile, cdrs);
        if (!Files.exists(journal)) {
            return 0;
        }
        CdrJournal.Contents contents = CdrJournal.read(lines(Files.readAllBytes(journal)), journal);
        if (contents.legs().isEmpty()) {
            return 0;
        }
        long offset = contents.cdrOffset();
        if (offset > cdrs.size()) {
            log.warn("CDR file {} is shorter ({} bytes) than when its journal was made ({} bytes): was it replaced?"
                    + " All of it is searched for the legs the journal names", cdrFile, cdrs.size(), offset);
            offset = 0;
        }
        Set<String> ended = endedLegs(cdrFile, offset);
        Instant lastAlive = contents.lastAlive();
        StringBuilder text = new StringBuilder();
        int written = 0;
        for (var entry : contents.legs().entrySet()) {
            if (!ended.contains(entry.getKey())) {
                CdrRecord crash = entry.getValue().crashRecord(lastAlive);
                text.append(CdrFile.toCrashJson(crash)).append('\n');
                written++;
                log.warn("CDR file {}: leg {} had not ended when the server stopped last (it was killed, or the"
                        + " machine lost power); written as ended at {} by a crash", cdrFile, entry.getKey(),
                        crash.endTime());
            }
        }
        if (written > 0) {
            CdrJournal.writeFully(cdrs, text.toString());
            cdrs.force(false);
        }
        return written;
    }

    /** Cuts off a last line torn by a crash, so that the next line does not run into it. */
    private static void cutTornLine(Path cdrFile, FileChannel cdrs) throws IOException {
        long size = cdrs.size();
        if (size == 0) {
            return;
        }
        // The last line's start: after the last line break (a CDR line is a few kilobytes at most).
        long from = Math.max(0, size - 65_536);
        byte[] tail = readFrom(cdrFile, from, (int) (size - from));
        if (tail[tail.length - 1] == '\n') {
            return;
        }
        int start = tail.length - 1;
        while (start >= 0 && tail[start] != '\n') {
            start--;
        }
        start++;
        String last = new String(tail, start, tail.length - start, StandardCharsets.UTF_8);
        if (isJsonObject(last)) {
            log.warn("CDR file {} does not end with a line break; one is added after its last line", cdrFile);
            CdrJournal.writeFully(cdrs, "\n");
        } else {
            log.warn("CDR file {} ends with a line torn by a crash; it is cut off: {}", cdrFile, last);
            cdrs.truncate(from + start);
        }
        cdrs.force(false);
    }

    /** Returns the {@code res_id/leg} of every whole CDR line from {@code offset} on. */
    private static Set<String> endedLegs(Path cdrFile, long offset) throws IOException {
        Set<String> ended = new HashSet<>();
        try (FileChannel in = FileChannel.open(cdrFile, StandardOpenOption.READ)) {
            in.position(offset);
            InputStream stream = Channels.newInputStream(in);
            // Only this run's lines are read: those written since the journal was made.
            for (String line : lines(stream.readAllBytes())) {
                try {
                    JsonNode node = MAPPER.readTree(line);
                    if (node != null && node.hasNonNull("res_id") && node.has("leg")) {
                        ended.add(CdrJournal.key(node.get("res_id").asText(), node.get("leg").asInt()));
                    }
                } catch (IOException e) {
                    log.warn("CDR file {}: a line is not JSON; skipped: {}", cdrFile, line);
                }
            }
        }
        return ended;
    }

    private static byte[] readFrom(Path file, long position, int length) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            in.position(position);
            return Channels.newInputStream(in).readNBytes(length);
        }
    }

    private static boolean isJsonObject(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            return node != null && node.isObject();
        } catch (IOException e) {
            return false;
        }
    }

    /** Splits bytes into lines, leniently: bytes that are not UTF-8 (a torn character) become replacements. */
    static List<String> lines(byte[] bytes) {
        List<String> lines = new ArrayList<>(Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n")));
        lines.removeIf(String::isBlank);
        return lines;
    }
}
