package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {

    @Test
    void theDemoRunsADuoCallbackOverRealSipAndRtpAndLeavesARecordingOfBothParties(@TempDir Path temp)
            throws Exception {
        Path recording = temp.resolve("demo.wav");
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Demo.main(new String[] {recording.toString()});
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        original.print(output);
        assertThat(output)
                .contains("onStateChanged  INITIATED -> ANSWERED")
                .contains("onStateChanged  ANSWERED -> CONNECTED")
                .contains("onStateChanged  CONNECTED -> RELEASED")
                .contains("onReleased      error=null")
                .contains("CDR             leg 1 outbound sip:400@127.0.0.1 -> sip:agent@127.0.0.1:")
                .contains("user_data=order-1234/agent")
                .contains("CDR             leg 2 outbound sip:400@127.0.0.1 -> sip:customer@127.0.0.1:")
                .contains("user_data=order-1234/customer")
                .contains("engine stopped; the conversation is in " + recording);
        ToneCheck recorded = ToneCheck.of(recording);
        assertThat(recorded.seconds()).isBetween(4.0, 6.0);
        assertThat(recorded.presence(600)).as("the agent in the recording").isGreaterThan(0.7);
        assertThat(recorded.presence(1400)).as("the customer in the recording").isGreaterThan(0.7);
    }
}
