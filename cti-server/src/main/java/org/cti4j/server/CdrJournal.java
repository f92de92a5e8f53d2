package org.cti4j.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cti4j.api.CallDirection;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.DroppedBy;
import org.cti4j.api.LegAnswered;
import org.cti4j.api.LegStarted;
import org.cti4j.api.SipUri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal of a {@link CdrFile}: the file {@code <cdr file>.journal}, JSON Lines, that notes every leg as it
 * starts and is answered, so that the CDR file can be completed after a crash. Its lines:
 *
 * <pre>{@code
 * {"type":"journal","cdr_offset":48213,"time":1763733600120}      first line: the CDR file's size when it was made
 * {"type":"start","res_id":"...","leg":0,"call_dir":"outbound","from_uri":"...","to_uri":"...",
 *  "begin_time":1763733601000,"user_data":"..."}
 * {"type":"answer","res_id":"...","leg":0,"answer_time":1763733605500,"user_data":"..."}
 * {"type":"alive","time":1763733606000}                           the server still ran then
 * }</pre>
 *
 * (times in Unix milliseconds). A leg's end is not journalled: a leg has ended when the CDR file holds its line, so
 * the CDR file itself is the one record of which legs ended and no second record can disagree with it. Every line the
 * CDR file got since the journal was made lies after {@code cdr_offset}, which bounds what a recovery reads.
 *
 * <p>The journal is appended to by the CDR file's writer thread only, and replaced whole (by {@link #rewrite}: a
 * temporary file, synced, renamed over it, the directory synced) so that it is never half old, half new. Not
 * thread-safe.
 */
final class CdrJournal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CdrJournal.class);
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Path path;
    private FileChannel channel;

    private CdrJournal(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Returns the journal's file for the CDR file {@code cdrFile}: the same name with {@code .journal} added. */
    static Path pathFor(Path cdrFile) {
        return cdrFile.resolveSibling(cdrFile.getFileName() + ".journal");
    }

    /**
     * Replaces the journal with a new one holding only {@code openLegs}, and opens it for appending.
     *
     * @param path the journal's file
     * @param cdrOffset the CDR file's size now; every line it holds up to there must already be on disk
     * @param time now, in Unix milliseconds
     * @param openLegs the lines of the legs still under way (their start and answer lines)
     */
    static CdrJournal create(Path path, long cdrOffset, long time, Collection<String> openLegs) throws IOException {
        Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
        StringBuilder text = new StringBuilder(header(cdrOffset, time)).append('\n');
        openLegs.forEach(line -> text.append(line).append('\n'));
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeFully(out, text.toString());
            out.force(true);
        }
        try {
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(path);
        return new CdrJournal(path, FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
    }

    /**
     * As {@link #create}, in place of this journal, which is then closed; if that fails, this journal stays as it is
     * and goes on being appended to.
     */
    void rewrite(long cdrOffset, long time, Collection<String> openLegs) throws IOException {
        FileChannel fresh = create(path, cdrOffset, time, openLegs).channel;
        FileChannel old = channel;
        channel = fresh;
        old.close();
    }

    /** Appends one line. */
    void append(String line) throws IOException {
        writeFully(channel, line + "\n");
    }

    /** Syncs what was appended to disk. */
    void force() throws IOException {
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    // ---- the lines ----

    private static String header(long cdrOffset, long time) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", "journal");
        node.put("cdr_offset", cdrOffset);
        node.put("time", time);
        return json(node);
    }

    /** Returns the journal line of a leg that started. */
    static String startLine(LegStarted started) {
        ObjectNode node = legNode("start", started.resId(), started.leg());
        node.put("call_dir", started.callDir().wireName());
        node.put("from_uri", started.fromUri().toString());
        node.put("to_uri", started.toUri().toString());
        node.put("begin_time", started.beginTime().toEpochMilli());
        node.put("user_data", started.userData());
        return json(node);
    }

    /** Returns the journal line of a leg that was answered. */
    static String answerLine(LegAnswered answered) {
        ObjectNode node = legNode("answer", answered.resId(), answered.leg());
        node.put("answer_time", answered.answerTime().toEpochMilli());
        node.put("user_data", answered.userData());
        return json(node);
    }

    private static ObjectNode legNode(String type, String resId, int leg) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", type);
        node.put("res_id", resId);
        node.put("leg", leg);
        return node;
    }

    /** Returns the journal line that says the server ran at {@code time} (Unix milliseconds). */
    static String aliveLine(long time) {
        return "{\"type\":\"alive\",\"time\":" + time + "}";
    }

    /** Returns the key of a leg in the journal and in the CDR file: {@code res_id/leg}. */
    static String key(String resId, int leg) {
        return resId + "/" + leg;
    }

    private static String json(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- reading, for a recovery ----

    /**
     * What a journal says: where the CDR file stood when it was made, the legs it saw start (with their answers), and
     * the last moment it shows the server running.
     *
     * @param cdrOffset the header's {@code cdr_offset}, or 0 if the header is unreadable (all the file is read then)
     * @param legs the legs started, by {@link #key}, in the order they started
     * @param lastAlive the latest time of any line (the header, an alive mark, a start or an answer)
     */
    record Contents(long cdrOffset, Map<String, JournalLeg> legs, Instant lastAlive) {
    }

    /** A leg the journal saw start; {@code answerTime} is {@code null} if it saw no answer. */
    record JournalLeg(String resId, int leg, CallDirection callDir, SipUri fromUri, SipUri toUri, Instant beginTime,
            Instant answerTime, String userData) {

        /**
         * Returns the CDR of this leg cut off by a crash: ended at {@code lastAlive} (or its own last event, if
         * later), by this side ({@code sys}), {@code cause} {@value CdrFile#CRASH_CAUSE}, no error, no recording.
         */
        CdrRecord crashRecord(Instant lastAlive) {
            Instant end = lastAlive;
            for (Instant event : new Instant[] {beginTime, answerTime}) {
                if (event != null && event.isAfter(end)) {
                    end = event;
                }
            }
            return new CdrRecord(resId, leg, callDir, fromUri, toUri, beginTime, answerTime, end, DroppedBy.SYS,
                    CdrFile.CRASH_CAUSE, userData, null);
        }
    }

    /**
     * Reads a journal. A line that is not what the journal writes (the last one torn by a power loss, or any other
     * damage) is skipped with a warning; so is an answer of a leg it saw no start of.
     *
     * @param lines the journal's lines
     * @param name the journal's file, for the warnings
     */
    static Contents read(List<String> lines, Path name) {
        long cdrOffset = 0;
        boolean headerSeen = false;
        Map<String, JournalLeg> legs = new LinkedHashMap<>();
        long lastAlive = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            try {
                JsonNode node = MAPPER.readTree(line);
                String type = node.path("type").asText("");
                switch (type) {
                    case "journal" -> {
                        cdrOffset = required(node, "cdr_offset").asLong();
                        headerSeen = true;
                        lastAlive = Math.max(lastAlive, required(node, "time").asLong());
                    }
                    case "alive" -> lastAlive = Math.max(lastAlive, required(node, "time").asLong());
                    case "start" -> {
                        JournalLeg leg = startOf(node);
                        legs.put(key(leg.resId(), leg.leg()), leg);
                        lastAlive = Math.max(lastAlive, leg.beginTime().toEpochMilli());
                    }
                    case "answer" -> {
                        String key = key(required(node, "res_id").asText(), required(node, "leg").asInt());
                        JournalLeg started = legs.get(key);
                        long answerTime = required(node, "answer_time").asLong();
                        if (started == null) {
                            log.warn("{} line {}: an answer of {}, which it saw no start of; skipped", name, i + 1,
                                    key);
                            continue;
                        }
                        legs.put(key, new JournalLeg(started.resId(), started.leg(), started.callDir(),
                                started.fromUri(), started.toUri(), started.beginTime(),
                                Instant.ofEpochMilli(answerTime), required(node, "user_data").asText()));
                        lastAlive = Math.max(lastAlive, answerTime);
                    }
                    default -> throw new IOException("unknown type '" + type + "'");
                }
            } catch (IOException | RuntimeException e) {
                String why = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
                log.warn("{} line {} is damaged ({}; torn by a crash, if it is the last); skipped: {}", name, i + 1,
                        why, line);
            }
        }
        if (!headerSeen && !lines.isEmpty()) {
            log.warn("{} has no readable first line; the whole CDR file is searched for the legs it names", name);
            cdrOffset = 0;
        }
        return new Contents(cdrOffset, legs, Instant.ofEpochMilli(lastAlive));
    }

    private static JournalLeg startOf(JsonNode node) throws IOException {
        String dir = required(node, "call_dir").asText();
        CallDirection callDir = switch (dir) {
            case "inbound" -> CallDirection.INBOUND;
            case "outbound" -> CallDirection.OUTBOUND;
            default -> throw new IOException("call_dir '" + dir + "' is not inbound or outbound");
        };
        return new JournalLeg(required(node, "res_id").asText(), required(node, "leg").asInt(), callDir,
                SipUri.parse("from_uri", required(node, "from_uri").asText()),
                SipUri.parse("to_uri", required(node, "to_uri").asText()),
                Instant.ofEpochMilli(required(node, "begin_time").asLong()), null,
                required(node, "user_data").asText());
    }

    private static JsonNode required(JsonNode node, String field) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IOException("no " + field);
        }
        return value;
    }

    // ---- files ----

    static void writeFully(FileChannel channel, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Syncs the directory that holds {@code file}, so that a rename in it survives a power loss. */
    private static void syncDirectory(Path file) {
        Path directory = file.toAbsolutePath().getParent();
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some systems (Windows) cannot open a directory; the rename is then as durable as they make it.
            log.debug("cannot sync directory {}: {}", directory, e.toString());
        }
    }
}
