package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.RecordEndReason;
import org.cti4j.core.CoreEngine;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.sip.SipConfig;
import org.cti4j.sip.SipSignalingProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 4733 digits from an independent peer end a recording with the right finish key: SIPp's built-in
 * {@code uac_pcap} scenario calls the engine, sends eight seconds of recorded G.711 speech, then the key {@code 1}
 * as RFC 2833/4733 events (Debian's {@code sip-tester} pcaps), then hangs up.
 */
class DtmfFinishKeyIT {

    private static final Path SIPP = Path.of("/usr/bin/sipp");
    private static final Path PCAPS = Path.of("/usr/share/sip-tester");

    @Test
    // The engine only has to run while SIPp calls it.
    @SuppressWarnings("try")
    void aDigitSentAsRtpEventsEndsTheRecordingWithThatKey(@TempDir Path temp) throws Exception {
        boolean installed = Files.isExecutable(SIPP) && Files.exists(PCAPS.resolve("dtmf_2833_1.pcap"));
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("SIPp is required on CI: apt-get install sip-tester");
        }
        assumeTrue(installed, "SIPp is not installed (apt-get install sip-tester): skipping");
        Path recording = temp.resolve("message.wav");
        CompletableFuture<CallEvent.RecordCompleted> recorded = new CompletableFuture<>();
        SipSignalingProvider sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        try (CoreEngine engine = CoreEngine.builder().signaling(sip).media(new RtpMediaProvider())
                .incomingCallListener(new CallListener() {
                    @Override
                    public void onIncoming(Call call, CallEvent.Incoming event) {
                        call.answer();
                        call.recordStart(recording.toString(), "1#").thenAccept(recorded::complete);
                    }
                }).build()) {
            // The scenario names its pcaps as pcap/<name>, relative to where SIPp runs.
            Files.createSymbolicLink(temp.resolve("pcap"), PCAPS);
            Process sipp = new ProcessBuilder(SIPP.toString(), "127.0.0.1:" + sip.port(), "-sn", "uac_pcap",
                    "-s", "ivr", "-i", "127.0.0.1", "-p", String.valueOf(Ports.freeUdp()), "-mp",
                    String.valueOf(Ports.freeEvenUdpPair()), "-m", "1",
                    "-timeout", "40s", "-timeout_error", "-nostdin")
                    .directory(temp.toFile()).redirectErrorStream(true)
                    .redirectOutput(temp.resolve("sipp.log").toFile()).start();
            try {
                CallEvent.RecordCompleted done = recorded.get(30, TimeUnit.SECONDS);
                assertThat(done.reason()).isEqualTo(RecordEndReason.FINISH_KEY);
                assertThat(done.finishKey()).isEqualTo('1');
                assertThat(sipp.waitFor(30, TimeUnit.SECONDS)).as("SIPp ends its call").isTrue();
                assertThat(sipp.exitValue()).as("SIPp's exit code (0: its call went as scripted)").isZero();
            } finally {
                sipp.destroyForcibly();
            }
        }
        // The message holds the eight seconds of speech before the key, and is a complete file.
        ToneCheck message = ToneCheck.of(recording);
        assertThat(message.seconds()).isBetween(7.0, 10.0);
    }
}
