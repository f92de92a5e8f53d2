package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.DialOptions;
import org.cti4j.api.SendDtmfEndReason;
import org.cti4j.core.CoreEngine;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.sip.SipConfig;
import org.cti4j.sip.SipSignalingProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code send_dtmf_start} to a far end that did not negotiate telephone-event, against an independent peer: the
 * engine calls SIPp, which answers with PCMU only; the keys go out as SIP INFO. In {@code sipp/info-dtmf-1-pound-9.xml}
 * SIPp checks each INFO's {@code application/dtmf-relay} type and its {@code Signal} and {@code Duration}, in the order
 * {@code 1 # 9}, and answers each 200; in {@code sipp/info-dtmf-refused.xml} it refuses the first with 415. SIPp's
 * exit code says whether every INFO came as its scenario expects.
 */
class SendDtmfInfoSippIT {

    private static final Path SIPP = Path.of("/usr/bin/sipp");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path temp;

    @Test
    void eachKeyGoesOutAsAnInfoInOrderAndTheSendingFinishes() throws Exception {
        CallEvent.SendDtmfCompleted sent = send("info-dtmf-1-pound-9.xml", "1#,9");
        assertThat(sent.reason()).isEqualTo(SendDtmfEndReason.FINISHED);
        assertThat(sent.error()).isNull();
        assertThat(sent.keys()).isEqualTo("1#,9");
    }

    @Test
    void anInfoRefusedWith415EndsTheSendingFailed() throws Exception {
        CallEvent.SendDtmfCompleted sent = send("info-dtmf-refused.xml", "12");
        assertThat(sent.reason()).isEqualTo(SendDtmfEndReason.FAILED);
        assertThat(sent.error()).contains("415").contains("key '1'");
    }

    /** The engine dials SIPp running {@code scenarioName}, sends {@code keys} once answered, then hangs up. */
    private CallEvent.SendDtmfCompleted send(String scenarioName, String keys) throws Exception {
        boolean installed = Files.isExecutable(SIPP);
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("SIPp is required on CI: apt-get install sip-tester");
        }
        assumeTrue(installed, "SIPp is not installed (apt-get install sip-tester): skipping");
        Path run = Files.createTempDirectory(temp, "sipp");
        Path scenario = run.resolve(scenarioName);
        try (InputStream in = SendDtmfInfoSippIT.class.getResourceAsStream("/sipp/" + scenarioName)) {
            Files.copy(in, scenario);
        }
        int sippPort = Ports.freeUdp();
        Process sipp = new ProcessBuilder(SIPP.toString(), "-sf", scenario.toString(), "-i", "127.0.0.1", "-p",
                String.valueOf(sippPort), "-mp", String.valueOf(Ports.freeEvenUdpPair()), "-m", "1", "-timeout",
                "40s", "-timeout_error", "-nostdin")
                .directory(run.toFile()).redirectErrorStream(true)
                .redirectOutput(run.resolve("sipp.log").toFile()).start();
        SipSignalingProvider sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        try (CoreEngine engine = CoreEngine.builder().signaling(sip).media(new RtpMediaProvider()).build()) {
            CompletableFuture<Call> answered = new CompletableFuture<>();
            CompletableFuture<CallEvent.DialCompleted> dialled = new CompletableFuture<>();
            Call call = engine.dial(DialOptions.builder().fromUri("sip:ivr@127.0.0.1")
                    .toUri("sip:service@127.0.0.1:" + sippPort).maxAnswerSeconds(60).build(), new CallListener() {
                        @Override
                        public void onDialCompleted(Call c, CallEvent.DialCompleted event) {
                            dialled.complete(event);
                        }

                        @Override
                        public void onAnswered(Call c, CallEvent.Answered event) {
                            answered.complete(c);
                        }
                    });
            awaitAnswer(answered, dialled, run);
            CallEvent.SendDtmfCompleted sent = call.sendDtmfStart(keys).toCompletableFuture()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            call.drop();
            assertThat(sipp.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("SIPp ends its call").isTrue();
            assertThat(sipp.exitValue()).as("SIPp's exit code (0: every INFO came as scripted); its log: "
                    + log(run)).isZero();
            return sent;
        } finally {
            sipp.destroyForcibly();
        }
    }

    /** Waits for SIPp's answer; SIPp may need a moment to listen, so a dial it did not hear fails with its log. */
    private static void awaitAnswer(CompletableFuture<Call> answered, CompletableFuture<CallEvent.DialCompleted> dialled,
            Path run) throws Exception {
        CallEvent.DialCompleted dial = dialled.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(dial.error()).as("the dial to SIPp; its log: " + log(run)).isNull();
        answered.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static String log(Path run) {
        try {
            return Files.readString(run.resolve("sipp.log"));
        } catch (IOException e) {
            return "(none: " + e.getMessage() + ")";
        }
    }
}
