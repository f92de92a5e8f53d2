package org.cti4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.cti4j.api.CallDirection;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.DroppedBy;
import org.cti4j.api.LegAnswered;
import org.cti4j.api.LegStarted;
import org.cti4j.api.SipUri;
import org.cti4j.core.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CDR file's journal and its recovery after a crash: exactly one line per leg, whatever was cut off where.
 * {@link CdrFile#abandon()} stops a file as a killed process would (nothing synced, the journal left as it is).
 */
class CdrFileRecoveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-12-04T08:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void legsCutOffByACrashGetACrashLineAndEndedLegsKeepTheirOwn() throws Exception {
        Path file = dir.resolve("cdr.jsonl");
        CdrFile cdrs = CdrFile.open(file, Duration.ofMillis(50), Duration.ofMillis(20));
        cdrs.onLegStarted(started("call-1", 0, T0));
        cdrs.onLegAnswered(new LegAnswered("call-1", 0, T0.plusSeconds(2), "ticket 1"));
        cdrs.onCdr(ended("call-1", 0, T0, T0.plusSeconds(2), T0.plusSeconds(9)));
        cdrs.onLegStarted(started("call-2", 0, T0.plusSeconds(1)));
        cdrs.onLegAnswered(new LegAnswered("call-2", 0, T0.plusSeconds(3), "answered as 2"));
        cdrs.onLegStarted(started("call-3", 0, T0.plusSeconds(4)));
        cdrs.onLegStarted(started("duo-4", 1, T0.plusSeconds(5)));
        cdrs.onLegAnswered(new LegAnswered("duo-4", 1, T0.plusSeconds(6), "party one"));
        cdrs.onLegStarted(started("duo-4", 2, T0.plusSeconds(6)));
        Instant marked = Instant.now();
        Path journal = CdrJournal.pathFor(file);
        Await.until("a mark after the last start", WAIT, () -> lastAliveMark(journal) >= marked.toEpochMilli());
        cdrs.abandon();
        assertThat(lines(file)).hasSize(1);

        try (CdrFile reopened = CdrFile.open(file)) {
            assertThat(reopened.recovered()).isEqualTo(4);
        }

        Map<String, JsonNode> byLeg = byLeg(file);
        assertThat(byLeg).containsOnlyKeys("call-1/0", "call-2/0", "call-3/0", "duo-4/1", "duo-4/2");
        assertThat(byLeg.get("call-1/0").has("crash")).isFalse();
        assertThat(byLeg.get("call-1/0").get("cause").asInt()).isEqualTo(200);
        JsonNode answered = byLeg.get("call-2/0");
        assertThat(answered.get("crash").asBoolean()).isTrue();
        assertThat(answered.get("dropped_by").asText()).isEqualTo("sys");
        assertThat(answered.get("cause").asInt()).isEqualTo(CdrFile.CRASH_CAUSE);
        assertThat(answered.get("error").isNull()).isTrue();
        assertThat(answered.get("begin_time").asLong()).isEqualTo(T0.getEpochSecond() + 1);
        assertThat(answered.get("answer_time").asLong()).isEqualTo(T0.getEpochSecond() + 3);
        // The last mark was written after the last start: the end is the mark's time, now, not a start's.
        assertThat(answered.get("end_time").asLong()).isGreaterThanOrEqualTo(marked.getEpochSecond());
        assertThat(answered.get("user_data").asText()).isEqualTo("answered as 2");
        assertThat(answered.get("from_uri").asText()).isEqualTo("sip:400@127.0.0.1");
        assertThat(answered.get("to_uri").asText()).isEqualTo("sip:call-2@127.0.0.1:5062");
        assertThat(answered.get("call_dir").asText()).isEqualTo("outbound");
        JsonNode ringing = byLeg.get("call-3/0");
        assertThat(ringing.get("answer_time").isNull()).isTrue();
        assertThat(ringing.get("user_data").asText()).isEqualTo("started as call-3");
        assertThat(byLeg.get("duo-4/1").get("user_data").asText()).isEqualTo("party one");
        assertThat(byLeg.get("duo-4/2").get("answer_time").isNull()).isTrue();
        assertThat(lines(CdrJournal.pathFor(file))).as("the journal after a clean close").hasSize(1);

        // Opening again finds nothing more to do.
        try (CdrFile again = CdrFile.open(file)) {
            assertThat(again.recovered()).isZero();
        }
        assertThat(lines(file)).hasSize(5);
    }

    @Test
    void aCrashLineEndsAtTheLastMomentTheJournalShowsTheServerRunning() throws Exception {
        Path file = dir.resolve("cdr.jsonl");
        journal(file, 0, T0,
                CdrJournal.startLine(started("call-1", 0, T0.plusSeconds(1))),
                CdrJournal.aliveLine(T0.plusSeconds(30).toEpochMilli()),
                CdrJournal.startLine(started("call-2", 0, T0.plusSeconds(31))),
                CdrJournal.answerLine(new LegAnswered("call-2", 0, T0.plusSeconds(44), "answered")),
                CdrJournal.aliveLine(T0.plusSeconds(40).toEpochMilli()));

        recover(file, 2);

        Map<String, JsonNode> byLeg = byLeg(file);
        assertThat(byLeg.get("call-1/0").get("end_time").asLong()).isEqualTo(T0.getEpochSecond() + 44);
        assertThat(byLeg.get("call-2/0").get("end_time").asLong()).isEqualTo(T0.getEpochSecond() + 44);
        assertThat(byLeg.get("call-2/0").get("answer_time").asLong()).isEqualTo(T0.getEpochSecond() + 44);
    }

    @Test
    void tornLastLinesOfTheJournalAndTheCdrFileAreSkippedWithoutStoppingTheRecovery() throws Exception {
        Path file = dir.resolve("cdr.jsonl");
        String complete = CdrFile.toJson(ended("call-1", 0, T0, null, T0.plusSeconds(3)));
        String torn = CdrFile.toJson(ended("call-2", 0, T0, null, T0.plusSeconds(4)));
        Files.writeString(file, complete + "\n" + torn.substring(0, torn.length() / 2), StandardCharsets.UTF_8);
        String answer = CdrJournal.answerLine(new LegAnswered("call-3", 0, T0.plusSeconds(5), "é"));
        journal(file, 0, T0,
                CdrJournal.startLine(started("call-1", 0, T0)),
                CdrJournal.startLine(started("call-2", 0, T0)),
                CdrJournal.startLine(started("call-3", 0, T0)),
                "this line is damaged",
                answer.substring(0, answer.length() - 3));
        // The torn answer ends in the middle of a two-byte character.
        byte[] journalBytes = Files.readAllBytes(CdrJournal.pathFor(file));
        Files.write(CdrJournal.pathFor(file), java.util.Arrays.copyOf(journalBytes, journalBytes.length - 1));

        recover(file, 2);

        List<String> lines = lines(file);
        assertThat(lines).hasSize(3).allSatisfy(line -> assertThat(JSON.readTree(line).isObject()).isTrue());
        assertThat(lines.get(0)).isEqualTo(complete);
        Map<String, JsonNode> byLeg = byLeg(file);
        assertThat(byLeg.get("call-2/0").get("crash").asBoolean()).as("the leg whose line was torn").isTrue();
        assertThat(byLeg.get("call-3/0").get("answer_time").isNull()).as("its answer was torn").isTrue();
    }

    @Test
    void aCrashDuringTheRecoveryWritesNoLegTwice() throws Exception {
        Path file = dir.resolve("cdr.jsonl");
        Files.writeString(file, CdrFile.toJson(ended("old", 0, T0, null, T0)) + "\n", StandardCharsets.UTF_8);
        long offset = Files.size(file);
        Files.writeString(file, CdrFile.toJson(ended("call-1", 0, T0, null, T0)) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        List<String> journal = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            journal.add(CdrJournal.startLine(started("call-" + i, 0, T0.plusSeconds(i))));
        }
        journal(file, offset, T0, journal.toArray(String[]::new));
        Path saved = dir.resolve("journal before the recovery");
        Files.copy(CdrJournal.pathFor(file), saved);

        recover(file, 4);
        // As if the server died after writing the crash lines, before replacing the journal: a second recovery.
        Files.copy(saved, CdrJournal.pathFor(file), StandardCopyOption.REPLACE_EXISTING);
        recover(file, 0);
        assertOneLinePerLeg(file, 6);

        // As if it died in the middle of writing the third crash line: that one is torn.
        List<String> lines = lines(file);
        String upToTheTear = String.join("\n", lines.subList(0, 4)) + "\n" + lines.get(4).substring(0, 40);
        Files.writeString(file, upToTheTear, StandardCharsets.UTF_8);
        Files.copy(saved, CdrJournal.pathFor(file), StandardCopyOption.REPLACE_EXISTING);
        recover(file, 2);
        assertOneLinePerLeg(file, 6);
    }

    @Test
    void theJournalKeepsOnlyTheLegsUnderWayOnceItIsRewritten() throws Exception {
        Path file = dir.resolve("cdr.jsonl");
        CdrFile cdrs = CdrFile.open(file, Duration.ofMillis(50), Duration.ofSeconds(1));
        cdrs.onLegStarted(started("long", 0, T0));
        cdrs.onLegAnswered(new LegAnswered("long", 0, T0.plusSeconds(1), "still talking"));
        for (int i = 0; i < 2_500; i++) {
            cdrs.onLegStarted(started("short-" + i, 0, T0));
            cdrs.onCdr(ended("short-" + i, 0, T0, null, T0.plusSeconds(1)));
        }
        cdrs.onLegStarted(started("late", 0, T0.plusSeconds(2)));
        Await.until("2,501 CDR lines", WAIT, () -> lines(file).size() == 2_500 && lines(CdrJournal.pathFor(file))
                .stream().anyMatch(line -> line.contains("\"late\"")));
        cdrs.abandon();
        assertThat(lines(CdrJournal.pathFor(file)).size()).as("journal lines").isLessThan(1_500);

        recover(file, 2);
        Map<String, JsonNode> byLeg = byLeg(file);
        assertThat(byLeg).hasSize(2_502);
        assertThat(byLeg.get("long/0").get("user_data").asText()).isEqualTo("still talking");
        assertThat(byLeg.get("late/0").get("crash").asBoolean()).isTrue();
    }

    @Test
    void aJournalRewriteCutShortLeavesTheOldJournalWhichTheNextStartRecovers() throws Exception {
        Path file = dir.resolve("cdr.jsonl");
        journal(file, 0, T0, CdrJournal.startLine(started("call-1", 0, T0)));
        // The new journal was being written when the server died: its temporary file is half there.
        Path temporary = dir.resolve("cdr.jsonl.journal.tmp");
        Files.writeString(temporary, "{\"type\":\"journal\",\"cdr_off", StandardCharsets.UTF_8);

        recover(file, 1);

        assertThat(temporary).doesNotExist();
        assertOneLinePerLeg(file, 1);
        recover(file, 0);
    }

    @Test
    void eachLineIsSyncedAtOnceWithASyncIntervalOfZero() throws Exception {
        Path file = dir.resolve("cdr.jsonl");
        try (CdrFile cdrs = CdrFile.open(file, Duration.ZERO)) {
            cdrs.onLegStarted(started("call-1", 0, T0));
            cdrs.onCdr(ended("call-1", 0, T0, null, T0.plusSeconds(1)));
            Await.until("the line", WAIT, () -> lines(file).size() == 1);
        }
        assertOneLinePerLeg(file, 1);
    }

    @Test
    // The first CdrFile is only held open while a second open is refused.
    @SuppressWarnings("try")
    void aFileIsOpenInOneCdrFileAtATime() throws Exception {
        Path file = dir.resolve("cdr.jsonl");
        try (CdrFile cdrs = CdrFile.open(file)) {
            assertThatThrownBy(() -> CdrFile.open(file)).isInstanceOf(IOException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("already open");
        }
        try (CdrFile cdrs = CdrFile.open(file)) {
            assertThat(cdrs.recovered()).isZero();
        }
    }

    @Test
    void aSyncIntervalOutOfRangeIsRefused() {
        Path file = dir.resolve("cdr.jsonl");
        assertThatThrownBy(() -> CdrFile.open(file, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("syncInterval");
        assertThatThrownBy(() -> CdrFile.open(file, Duration.ofMinutes(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("syncInterval");
        assertThat(file).doesNotExist();
    }

    // ---- helpers ----

    private static LegStarted started(String resId, int leg, Instant begin) {
        return new LegStarted(resId, leg, CallDirection.OUTBOUND, SipUri.parse("sip:400@127.0.0.1"),
                SipUri.parse("sip:" + resId + "@127.0.0.1:5062"), begin, "started as " + resId);
    }

    private static CdrRecord ended(String resId, int leg, Instant begin, Instant answer, Instant end) {
        return new CdrRecord(resId, leg, CallDirection.OUTBOUND, SipUri.parse("sip:400@127.0.0.1"),
                SipUri.parse("sip:" + resId + "@127.0.0.1:5062"), begin, answer, end, DroppedBy.USR, 200,
                "ended as " + resId, null);
    }

    /** Writes the journal of {@code cdrFile} as a server that was killed would have left it. */
    private static void journal(Path cdrFile, long cdrOffset, Instant made, String... lines) throws IOException {
        String header = "{\"type\":\"journal\",\"cdr_offset\":" + cdrOffset + ",\"time\":" + made.toEpochMilli()
                + "}";
        Files.writeString(CdrJournal.pathFor(cdrFile), header + "\n" + String.join("\n", lines) + "\n",
                StandardCharsets.UTF_8);
    }

    private static void recover(Path file, int expected) throws IOException {
        try (CdrFile cdrs = CdrFile.open(file)) {
            assertThat(cdrs.recovered()).as("crash lines written").isEqualTo(expected);
        }
    }

    private static void assertOneLinePerLeg(Path file, int legs) throws IOException {
        List<String> lines = lines(file);
        assertThat(lines).hasSize(legs);
        assertThat(byLeg(file)).hasSize(legs);
    }

    /** Returns the file's whole lines (a line being written is left out). */
    private static List<String> lines(Path file) {
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
            lines.remove(lines.size() - 1);
            return lines;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long lastAliveMark(Path journal) {
        return lines(journal).stream().filter(line -> line.contains("\"alive\""))
                .mapToLong(line -> parse(line).get("time").asLong()).max().orElse(0);
    }

    private static Map<String, JsonNode> byLeg(Path file) throws IOException {
        return lines(file).stream().map(CdrFileRecoveryTest::parse).collect(Collectors.toMap(
                node -> node.get("res_id").asText() + "/" + node.get("leg").asInt(), Function.identity()));
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
