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
import java.util.function.Consumer;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.ReceiveDtmfEndReason;
import org.cti4j.api.ReceiveDtmfOptions;
import org.cti4j.core.CoreEngine;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.sip.SipConfig;
import org.cti4j.sip.SipSignalingProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code receive_dtmf_start} against an independent caller: SIPp calls the engine and presses 2, 4 and # as RFC 4733
 * events (Debian's {@code sip-tester} pcaps), a second apart, waits five seconds and hangs up
 * ({@code sipp/dtmf-2-4-pound.xml}). The same keys end the collection each way the options allow: by the finish
 * key, by {@code max_keys}, by the next key's timeout, by {@code receive_dtmf_stop}, by the hang-up — with the keys
 * in order, and while a prompt plays to the caller (the first key stops it).
 */
class DtmfCollectionIT {

    private static final Path SIPP = Path.of("/usr/bin/sipp");
    private static final Path PCAPS = Path.of("/usr/share/sip-tester");

    @TempDir
    Path temp;

    @Test
    void theFinishKeyEndsItAndTheFirstKeyStopsThePrompt() throws Exception {
        Path prompt = Sounds.tone(temp.resolve("menu.wav"), 440, 20);
        java.util.concurrent.atomic.AtomicReference<Boolean> playingAtSecondKey =
                new java.util.concurrent.atomic.AtomicReference<>();
        CallEvent.ReceiveDtmfCompleted done = collect(ReceiveDtmfOptions.builder().playFile(prompt.toString())
                .build(), 2, call -> playingAtSecondKey.set(call.isPlaying()));
        assertThat(done.reason()).isEqualTo(ReceiveDtmfEndReason.FINISH_KEY);
        assertThat(done.keys()).isEqualTo("24");
        assertThat(playingAtSecondKey.get()).as("the prompt still playing at the second key").isFalse();
        // The prompt lasts 20 s; the keys came in the first three.
        assertThat(Duration.between(done.beginTime(), done.endTime())).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void maxKeysEndsIt() throws Exception {
        CallEvent.ReceiveDtmfCompleted done = collect(ReceiveDtmfOptions.builder().maxKeys(2).build(), 1, call -> { });
        assertThat(done.reason()).isEqualTo(ReceiveDtmfEndReason.MAX_KEYS);
        assertThat(done.keys()).isEqualTo("24");
    }

    @Test
    void theNextKeysTimeoutEndsItWhenNoFinishKeyIsSet() throws Exception {
        CallEvent.ReceiveDtmfCompleted done = collect(ReceiveDtmfOptions.builder().finishKeys("")
                .continuesKeysTimeout(3).build(), 1, call -> { });
        assertThat(done.reason()).isEqualTo(ReceiveDtmfEndReason.TIMEOUT);
        assertThat(done.keys()).isEqualTo("24#");
    }

    @Test
    void stopAndHangUpEndItWithTheKeysSoFar() throws Exception {
        // Stopped at the last key's on_dtmf: the caller's next move (its BYE) is five seconds away, so no key can
        // slip in between, however late the event is delivered.
        CallEvent.ReceiveDtmfCompleted stopped = collect(ReceiveDtmfOptions.builder().finishKeys("").build(), 3,
                Call::receiveDtmfStop);
        assertThat(stopped.reason()).isEqualTo(ReceiveDtmfEndReason.STOPPED);
        assertThat(stopped.keys()).isEqualTo("24#");

        CallEvent.ReceiveDtmfCompleted hungUp = collect(ReceiveDtmfOptions.builder().finishKeys("").build(), 1,
                call -> { });
        assertThat(hungUp.reason()).isEqualTo(ReceiveDtmfEndReason.HANGUP);
        assertThat(hungUp.keys()).isEqualTo("24#");
    }

    /**
     * Runs one SIPp call against an engine that answers it and collects with {@code options}; {@code onKey} is what
     * the application does when the {@code atKey}-th key's {@code on_dtmf} arrives.
     */
    // The engine only has to run while SIPp calls it.
    @SuppressWarnings("try")
    private CallEvent.ReceiveDtmfCompleted collect(ReceiveDtmfOptions options, int atKey, Consumer<Call> onKey)
            throws Exception {
        boolean installed = Files.isExecutable(SIPP) && Files.exists(PCAPS.resolve("dtmf_2833_pound.pcap"));
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("SIPp is required on CI: apt-get install sip-tester");
        }
        assumeTrue(installed, "SIPp is not installed (apt-get install sip-tester): skipping");
        Path run = Files.createTempDirectory(temp, "sipp");
        Path scenario = run.resolve("dtmf-2-4-pound.xml");
        try (InputStream in = DtmfCollectionIT.class.getResourceAsStream("/sipp/dtmf-2-4-pound.xml")) {
            Files.copy(in, scenario);
        }
        // The scenario names its pcaps as pcap/<name>, relative to where SIPp runs.
        Files.createSymbolicLink(run.resolve("pcap"), PCAPS);
        CompletableFuture<CallEvent.ReceiveDtmfCompleted> collected = new CompletableFuture<>();
        SipSignalingProvider sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        try (CoreEngine engine = CoreEngine.builder().signaling(sip).media(new RtpMediaProvider())
                .incomingCallListener(new CallListener() {
                    private int keys;

                    @Override
                    public void onIncoming(Call call, CallEvent.Incoming event) {
                        call.answer();
                        call.receiveDtmfStart(options).thenAccept(collected::complete);
                    }

                    @Override
                    public void onDtmf(Call call, CallEvent.Dtmf event) {
                        if (++keys == atKey) {
                            onKey.accept(call);
                        }
                    }
                }).build()) {
            Process sipp = new ProcessBuilder(SIPP.toString(), "127.0.0.1:" + sip.port(), "-sf", scenario.toString(),
                    "-i", "127.0.0.1", "-p", String.valueOf(Ports.freeUdp()), "-mp",
                    String.valueOf(Ports.freeEvenUdpPair()), "-m", "1", "-timeout", "40s", "-timeout_error",
                    "-nostdin")
                    .directory(run.toFile()).redirectErrorStream(true)
                    .redirectOutput(run.resolve("sipp.log").toFile()).start();
            try {
                CallEvent.ReceiveDtmfCompleted done = collected.get(30, TimeUnit.SECONDS);
                assertThat(sipp.waitFor(30, TimeUnit.SECONDS)).as("SIPp ends its call").isTrue();
                assertThat(sipp.exitValue()).as("SIPp's exit code (0: its call went as scripted); its log: "
                        + log(run)).isZero();
                return done;
            } finally {
                sipp.destroyForcibly();
            }
        }
    }

    private static String log(Path run) {
        try {
            return Files.readString(run.resolve("sipp.log"));
        } catch (IOException e) {
            return "(none: " + e.getMessage() + ")";
        }
    }
}
