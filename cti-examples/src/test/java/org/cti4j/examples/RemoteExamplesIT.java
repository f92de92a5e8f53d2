package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.cti4j.api.CtiEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.rpc.RemoteCtiEngine;
import org.cti4j.rpc.RpcServer;
import org.cti4j.sip.Baresip;
import org.cti4j.sip.Tones;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IVR and click-to-call examples, unchanged, against a remote engine: a real engine (SIP and RTP) served by an
 * {@link RpcServer}, driven through {@link RemoteCtiEngine} over WebSocket, with baresip phones.
 */
class RemoteExamplesIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TOKEN = "remote-examples";

    private static CtiEngine engine(int sipPort, String rtpPorts) {
        return CtiEngine.builder().nodeId("0.0.9")
                .property("sip.host", "127.0.0.1").property("sip.port", String.valueOf(sipPort))
                .property("media.address", "127.0.0.1").property("media.rtp-ports", rtpPorts).build();
    }

    @Test
    void theIvrAnswersRecordsAndHangsUpThroughARemoteEngine(@TempDir Path temp) throws Exception {
        Baresip.requireInstalled();
        Path prompt = Tones.sine(temp.resolve("prompt.wav"), 1000, 2);
        Path messages = Files.createDirectories(temp.resolve("messages"));
        int port = Ports.freeSipPort();
        try (CtiEngine served = engine(port, "26000-26199");
                RpcServer server = RpcServer.builder(served).port(0).token(TOKEN).soundsDirectory(temp)
                        .recordingsDirectory(messages).build();
                // Remote file names are names in the server's directories: the prompt's, and messages at the top.
                IvrExample ivr = new IvrExample(RemoteCtiEngine.builder(server.uri()).token(TOKEN).build(),
                        prompt.getFileName(), Path.of(""));
                Baresip caller = new Baresip("caller", Baresip.AnswerMode.AUTO,
                        Tones.sine(temp.resolve("caller.wav"), 600, 60))) {
            caller.command("dial", "sip:ivr@127.0.0.1:" + port);
            caller.awaitEvent("CALL_ESTABLISHED", WAIT);
            // Watched on the served engine: polling through the client would spend its request rate.
            IvrExampleIT.pressOneAfterTheMenu(served, caller);
            Await.until("three seconds of message recorded", WAIT,
                    () -> IvrExampleIT.message(messages).map(IvrExampleIT::size).orElse(0L) > 44 + 3 * 16_000);
            caller.command("hangup", "");
            caller.awaitEvent("CALL_CLOSED", WAIT);
            Await.until("the call released on both sides", WAIT,
                    () -> served.resources().isEmpty() && ivr.engine().resources().isEmpty());

            ToneCheck heard = ToneCheck.of(caller.heard(WAIT));
            assertThat(heard.presence(1000)).as("the prompt in what the caller heard")
                    .isGreaterThan(1.5 / heard.seconds());
            ToneCheck message = ToneCheck.of(IvrExampleIT.message(messages).orElseThrow());
            assertThat(message.seconds()).isGreaterThan(3);
            assertThat(message.presence(600)).as("the caller's voice in the message").isGreaterThan(0.7);
        }
    }

    @Test
    void clickToCallConnectsAndRecordsTwoPhonesThroughARemoteEngine(@TempDir Path temp) throws Exception {
        Baresip.requireInstalled();
        Path recording = temp.resolve("remote-c2c.wav");
        try (CtiEngine served = engine(Ports.freeSipPort(), "26200-26399");
                RpcServer server = RpcServer.builder(served).port(0).soundsDirectory(temp).recordingsDirectory(temp)
                        .build();
                Baresip agent = new Baresip("agent", Baresip.AnswerMode.AUTO,
                        Tones.sine(temp.resolve("a.wav"), 600, 60));
                Baresip customer = new Baresip("customer", Baresip.AnswerMode.AUTO,
                        Tones.sine(temp.resolve("b.wav"), 1400, 60))) {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int exit = ClickToCall.run(new String[] {"--to1", agent.uri("agent"), "--to2", customer.uri("customer"),
                "--max-connect", "3", "--record", recording.getFileName().toString(), "--remote",
                server.uri().toString()},
                    new PrintStream(output, true, StandardCharsets.UTF_8));
            String printed = output.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(printed).isZero();
            assertThat(printed).contains("0.0.9-ext.duo_callback-").contains("ANSWERED -> CONNECTED")
                    .contains("released: error=null");
            Await.until("the engine idle", WAIT, () -> served.resources().isEmpty());
            ToneCheck recorded = ToneCheck.of(recording);
            assertThat(recorded.presence(600)).isGreaterThan(0.7);
            assertThat(recorded.presence(1400)).isGreaterThan(0.7);
        }
    }
}
