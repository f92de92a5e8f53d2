package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.cti4j.api.Call;
import org.cti4j.api.CallState;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.DroppedBy;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ManualScheduler;
import org.cti4j.sip.Tones;
import org.cti4j.testkit.CtiTest;
import org.cti4j.testkit.TestCall;
import org.cti4j.testkit.TestPhone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IVR example tested with the test kit alone — real SIP and RTP, no baresip: a caller hears the menu, presses 1,
 * leaves a message ended by #, is thanked and hung up; a caller who presses nothing hears the menu three times, on a
 * manual clock, so that the IVR's 8-second waits take no time.
 */
@CtiTest(manualClock = true)
class IvrExampleKitTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration PROMPT = Duration.ofMillis(800);
    private static final double MENU_TONE = 1000;
    private static final double VOICE = 600;

    @TempDir
    Path temp;

    @Test
    void aCallerPressesOneLeavesAMessageAndIsThanked(CtiEngine engine, TestPhone caller) throws Exception {
        Path messages = Files.createDirectories(temp.resolve("messages"));
        new IvrExample(engine, Tones.sine(temp.resolve("menu.wav"), MENU_TONE, 1), messages);

        TestCall call = caller.call("ivr");
        call.awaitAnswered(WAIT);
        call.awaitTone(MENU_TONE, PROMPT, WAIT);
        call.pressKeys("1");
        call.playTone(VOICE, Duration.ofSeconds(2)).toCompletableFuture().get();
        call.pressKeys("#");
        call.awaitTone(MENU_TONE, PROMPT, WAIT);
        assertThat(call.awaitReleased(WAIT).droppedBy()).as("hung up by the IVR, the far end")
                .isEqualTo(DroppedBy.USR);

        Path message = IvrExampleIT.message(messages).orElseThrow();
        ToneCheck recorded = ToneCheck.of(message);
        assertThat(recorded.seconds()).isGreaterThan(1.8);
        assertThat(recorded.presence(VOICE)).as("the caller's voice in the message").isGreaterThan(0.7);
    }

    @Test
    void aCallerWhoPressesNothingHearsTheMenuThreeTimesThenIsThanked(CtiEngine engine, ManualScheduler clock,
            TestPhone caller) throws Exception {
        new IvrExample(engine, Tones.sine(temp.resolve("menu.wav"), MENU_TONE, 1), temp);

        TestCall call = caller.call("ivr");
        call.awaitAnswered(WAIT);
        for (int played = 1; played <= 3; played++) {
            call.awaitTone(MENU_TONE, PROMPT, WAIT);
            call.awaitSilence(Duration.ofMillis(300), WAIT);
            // The IVR's first_key_timeout starts once its prompt has played (its call back in IDLE): move the clock
            // after that only.
            Await.until("the prompt played", WAIT, () -> engine.resources().stream().filter(Call.class::isInstance)
                    .map(Call.class::cast).allMatch(c -> c.state() == CallState.IDLE));
            clock.advance(Duration.ofSeconds(8));
        }
        call.awaitTone(MENU_TONE, PROMPT, WAIT); // thanked
        assertThat(call.awaitReleased(WAIT).droppedBy()).as("hung up by the IVR").isEqualTo(DroppedBy.USR);
    }
}
