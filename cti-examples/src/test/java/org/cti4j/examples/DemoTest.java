package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DemoTest {

    @Test
    void theDemoRunsADuoCallbackToItsEndAndPrintsItsEventsAndCdrs() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Demo.main(new String[0]);
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
                .contains("CDR             leg 1 outbound sip:400@127.0.0.1 -> sip:1001@127.0.0.1:5062")
                .contains("user_data=order-1234/agent")
                .contains("CDR             leg 2 outbound")
                .contains("dropped_by=usr cause=200 user_data=order-1234/customer")
                .contains("engine stopped");
    }
}
