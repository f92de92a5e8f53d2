package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.ConferenceEndReason;
import org.cti4j.api.ConferenceEvent;
import org.cti4j.api.CtiEngine;
import org.cti4j.testkit.CtiTest;
import org.cti4j.testkit.TestCall;
import org.cti4j.testkit.TestPhone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conference example with three test phones, each saying its own tone: each hears the two others and never
 * itself, and the recording holds all three. {@code ConferenceExampleIT} does the same with baresip phones.
 */
@CtiTest
class ConferenceExampleKitTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final double[] TONES = {600, 1000, 1400};

    @Test
    void eachMemberHearsTheOthersAndNotItself(CtiEngine engine, TestPhone a, TestPhone b, TestPhone c,
            @TempDir Path temp) throws Exception {
        Path recording = temp.resolve("conference.wav");
        TestPhone[] phones = {a, b, c};
        CompletableFuture<ConferenceEvent.Released> conference = CompletableFuture.supplyAsync(() -> {
            try {
                return ConferenceExample.run(engine, 4, recording,
                        List.of(a.uri().toString(), b.uri().toString(), c.uri().toString()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        TestCall[] calls = new TestCall[3];
        for (int i = 0; i < 3; i++) {
            calls[i] = phones[i].awaitCall(WAIT);
            calls[i].awaitAnswered(WAIT);
            calls[i].playTone(TONES[i], Duration.ofSeconds(8));
        }
        for (int i = 0; i < 3; i++) {
            calls[i].awaitTones(Duration.ofSeconds(1), WAIT, TONES[(i + 1) % 3], TONES[(i + 2) % 3]);
        }
        assertThat(conference.get(WAIT.toSeconds(), TimeUnit.SECONDS).reason())
                .isEqualTo(ConferenceEndReason.MAX_SECONDS);
        for (int i = 0; i < 3; i++) {
            calls[i].awaitReleased(WAIT);
            calls[i].assertNotHeard(TONES[i]);
        }
        ToneCheck recorded = ToneCheck.of(recording);
        for (double tone : TONES) {
            assertThat(recorded.presence(tone)).as("tone %s in the recording", tone).isGreaterThan(0.5);
        }
    }
}
