package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.cti4j.api.Call;
import org.cti4j.api.CallState;
import org.cti4j.api.CtiEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.sip.Baresip;
import org.cti4j.sip.Tones;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IVR example answering a baresip phone: the phone hears the menu, presses 1 (an RFC 4733 event, baresip's
 * {@code sndcode}), and the message holds what the phone said.
 */
class IvrExampleIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void theIvrPlaysItsPromptAndRecordsTheCallersMessage(@TempDir Path temp) throws Exception {
        Baresip.requireInstalled();
        Path prompt = Tones.sine(temp.resolve("prompt.wav"), 1000, 2);
        Path messages = Files.createDirectories(temp.resolve("messages"));
        int port = Ports.freeSipPort();
        try (IvrExample ivr = new IvrExample(port, prompt, messages);
                Baresip caller = new Baresip("caller", Baresip.AnswerMode.AUTO,
                        Tones.sine(temp.resolve("caller.wav"), 600, 60))) {
            caller.command("dial", "sip:ivr@127.0.0.1:" + port);
            caller.awaitEvent("CALL_ESTABLISHED", WAIT);
            pressOneAfterTheMenu(ivr.engine(), caller);
            Await.until("three seconds of message recorded", WAIT,
                    () -> message(messages).map(IvrExampleIT::size).orElse(0L) > 44 + 3 * 16_000);
            caller.command("hangup", "");
            caller.awaitEvent("CALL_CLOSED", WAIT);
            Await.until("the call released", WAIT, () -> ivr.engine().resources().isEmpty());

            ToneCheck heard = ToneCheck.of(caller.heard(WAIT));
            assertThat(heard.presence(1000)).as("the prompt in what the caller heard")
                    .isGreaterThan(1.5 / heard.seconds());
            ToneCheck message = ToneCheck.of(message(messages).orElseThrow());
            assertThat(message.seconds()).isGreaterThan(3);
            assertThat(message.presence(600)).as("the caller's voice in the message").isGreaterThan(0.7);
        }
    }

    /**
     * Waits until the menu's prompt has played once, then presses 1: the call seen playing, then idle (waiting for a
     * key). Idle alone is not enough: the call is idle between its answer and the menu's start too, and a key pressed
     * then can reach the menu as it starts and cut its prompt before the caller hears it.
     */
    static void pressOneAfterTheMenu(CtiEngine engine, Baresip caller) throws IOException {
        AtomicBoolean playing = new AtomicBoolean();
        Await.until("the menu's prompt played", WAIT, () -> {
            Optional<CallState> state = engine.resources().stream().filter(Call.class::isInstance)
                    .map(Call.class::cast).map(Call::state).findFirst();
            if (state.equals(Optional.of(CallState.PLAY))) {
                playing.set(true);
            }
            return playing.get() && state.equals(Optional.of(CallState.IDLE));
        });
        caller.command("sndcode", "1");
    }

    static Optional<Path> message(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().startsWith("message-")).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
