package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cti4j.testkit.TestCall;
import org.cti4j.testkit.TestPhone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The click-to-call example (a duo callback) from its command line, against two test phones: the agent hears the
 * customer and the customer the agent, and the recording holds both. {@code ClickToCallIT} does the same with
 * baresip phones. The example runs its own engine, so the phones are used without {@code @CtiTest}.
 */
class ClickToCallKitTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void connectsTwoPhonesWhoHearEachOtherAndRecordsThem(@TempDir Path temp) throws Exception {
        Path recording = temp.resolve("c2c.wav");
        TestPhone agent = TestPhone.start("agent");
        TestPhone customer = TestPhone.start("customer");
        try {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
                try {
                    return ClickToCall.run(new String[] {"--to1", agent.uri().toString(), "--to2",
                        customer.uri().toString(), "--max-connect", "3", "--record", recording.toString()},
                            new PrintStream(output, true, StandardCharsets.UTF_8));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            TestCall agentCall = agent.awaitCall(WAIT);
            agentCall.awaitAnswered(WAIT);
            agentCall.playTone(600, Duration.ofSeconds(8));
            TestCall customerCall = customer.awaitCall(WAIT);
            customerCall.awaitAnswered(WAIT);
            customerCall.playTone(1400, Duration.ofSeconds(8));

            customerCall.awaitTone(600, Duration.ofSeconds(1), WAIT);
            agentCall.awaitTone(1400, Duration.ofSeconds(1), WAIT);
            assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as(output.toString(StandardCharsets.UTF_8))
                    .isZero();
            agentCall.awaitReleased(WAIT);
            customerCall.awaitReleased(WAIT);
            agentCall.assertNotHeard(600);
            customerCall.assertNotHeard(1400);
            assertThat(output.toString(StandardCharsets.UTF_8)).contains("ANSWERED -> CONNECTED")
                    .contains("released: error=null");
            ToneCheck recorded = ToneCheck.of(recording);
            assertThat(recorded.presence(600)).isGreaterThan(0.7);
            assertThat(recorded.presence(1400)).isGreaterThan(0.7);
        } finally {
            TestPhone.closeAll(agent, customer);
        }
    }
}
