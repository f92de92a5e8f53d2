package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.cti4j.sip.Baresip;
import org.cti4j.sip.Tones;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The click-to-call example from its command line, against two baresip phones. */
class ClickToCallIT {

    @Test
    void connectsTwoPhonesAndRecordsThemFromTheCommandLine(@TempDir Path temp) throws Exception {
        Baresip.requireInstalled();
        Path recording = temp.resolve("c2c.wav");
        try (Baresip agent = new Baresip("agent", Baresip.AnswerMode.AUTO, Tones.sine(temp.resolve("a.wav"), 600, 60));
                Baresip customer = new Baresip("customer", Baresip.AnswerMode.AUTO,
                        Tones.sine(temp.resolve("b.wav"), 1400, 60))) {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int exit = ClickToCall.run(new String[] {"--to1", agent.uri("agent"), "--to2", customer.uri("customer"),
                "--max-connect", "3", "--record", recording.toString()},
                    new PrintStream(output, true, StandardCharsets.UTF_8));
            String printed = output.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(printed).isZero();
            assertThat(printed).contains("ANSWERED -> CONNECTED").contains("released: error=null")
                    .contains("CDR leg 1").contains("CDR leg 2");
            ToneCheck recorded = ToneCheck.of(recording);
            assertThat(recorded.presence(600)).isGreaterThan(0.7);
            assertThat(recorded.presence(1400)).isGreaterThan(0.7);
        }
    }

    @Test
    void badArgumentsExitWithTwoAndSayWhy() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit = ClickToCall.run(new String[] {"--to1", "sip:a@127.0.0.1", "--to2", "not a uri"},
                new PrintStream(output, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(2);
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("to2_uri").contains("not a uri");
    }
}
