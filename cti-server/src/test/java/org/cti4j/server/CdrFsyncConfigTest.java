package org.cti4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.cti4j.examples.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The server's {@code --cdr-fsync} setting: how soon CDR lines are synced to disk. */
class CdrFsyncConfigTest {

    @TempDir
    Path dir;

    @Test
    void cdrLinesAreSyncedEvery200MillisecondsByDefault() throws Exception {
        CtiServerConfig config = CtiServerConfig.parse(new String[] {"--cdr-file", "cdr.jsonl"}, Map.of());

        assertThat(config.cdrSyncInterval()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void recordSyncsEachLineAndANumberIsMilliseconds() throws Exception {
        assertThat(CtiServerConfig.parse(new String[] {"--cdr-file", "c", "--cdr-fsync", "record"}, Map.of())
                .cdrSyncInterval()).isZero();
        assertThat(CtiServerConfig.parse(new String[] {"--cdr-file", "c", "--cdr-fsync=1000"}, Map.of())
                .cdrSyncInterval()).isEqualTo(Duration.ofSeconds(1));
        Path file = Files.writeString(dir.resolve("server.properties"), "cdr-file=c\ncdr-fsync=RECORD\n");
        CtiServerConfig fromFile = CtiServerConfig.parse(new String[] {"--config", file.toString()}, Map.of());
        assertThat(fromFile.cdrSyncInterval()).isZero();
        assertThat(fromFile.toString()).contains("cdrSyncInterval=PT0S");
        assertThat(CtiServerConfig.USAGE).contains("--cdr-fsync record|MS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "60001", "-5", "often", ""})
    void aValueThatIsNeitherRecordNorMillisecondsIsBadInput(String value) {
        assertThatThrownBy(() -> CtiServerConfig.parse(new String[] {"--cdr-file", "c", "--cdr-fsync", value},
                Map.of())).isInstanceOf(CtiServerConfig.BadInputException.class)
                .hasMessage("--cdr-fsync '" + value + "' is not 'record' or a number of milliseconds within 1-60000");
    }

    @Test
    void withoutACdrFileItIsBadInput() {
        assertThatThrownBy(() -> CtiServerConfig.parse(new String[] {"--cdr-fsync", "record"}, Map.of()))
                .isInstanceOf(CtiServerConfig.BadInputException.class)
                .hasMessage("--cdr-fsync 'record' is given without --cdr-file");
    }

    @Test
    // The server is only held running while its output is checked.
    @SuppressWarnings("try")
    void theServerSaysHowItSyncsAndRefusesACdrFileAnotherServerHasOpen() throws Exception {
        Path cdrs = dir.resolve("cdr.jsonl");
        int rtp = 40000 + 2 * ThreadLocalRandom.current().nextInt(5000);
        String[] args = {"--sip-port", Integer.toString(Ports.freeSipPort()), "--rpc-port", "0", "--rtp-ports",
            rtp + "-" + (rtp + 99), "--cdr-file", cdrs.toString(), "--cdr-fsync", "record"};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CtiServer server = CtiServer.start(args, Map.of(), print(out), print(new ByteArrayOutputStream()))) {
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("CDRs to " + cdrs + " (fsync per record)");

            ByteArrayOutputStream err = new ByteArrayOutputStream();
            String[] second = args.clone();
            second[1] = Integer.toString(Ports.freeSipPort());
            assertThatThrownBy(() -> CtiServer.start(second, Map.of(), print(new ByteArrayOutputStream()),
                    print(err))).isInstanceOf(CtiServer.ExitException.class);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("--cdr-file '" + cdrs + "'", "already open");
        }
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
