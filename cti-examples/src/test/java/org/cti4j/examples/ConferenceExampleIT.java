package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.cti4j.api.ConferenceEndReason;
import org.cti4j.api.ConferenceEvent;
import org.cti4j.api.CtiEngine;
import org.cti4j.sip.Baresip;
import org.cti4j.sip.Tones;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three baresip phones in the conference example: each hears the two others and not itself; the recording all. */
class ConferenceExampleIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void eachMemberHearsTheOthersAndTheRecordingHoldsEveryone(@TempDir Path temp) throws Exception {
        Baresip.requireInstalled();
        double[] tones = {600, 1000, 1400};
        Path recording = temp.resolve("conference.wav");
        try (Baresip a = new Baresip("a", Baresip.AnswerMode.AUTO, Tones.sine(temp.resolve("a.wav"), tones[0], 60));
                Baresip b = new Baresip("b", Baresip.AnswerMode.AUTO, Tones.sine(temp.resolve("b.wav"), tones[1], 60));
                Baresip c = new Baresip("c", Baresip.AnswerMode.AUTO, Tones.sine(temp.resolve("c.wav"), tones[2], 60));
                CtiEngine engine = CtiEngine.builder().nodeId("0.0.3").property("sip.port", "0")
                        .property("media.rtp-ports", "24000-24999").build()) {
            ConferenceEvent.Released end = ConferenceExample.run(engine, 4, recording,
                    List.of(a.uri("a"), b.uri("b"), c.uri("c")));
            assertThat(end.reason()).isEqualTo(ConferenceEndReason.MAX_SECONDS);

            Baresip[] phones = {a, b, c};
            for (int i = 0; i < 3; i++) {
                ToneCheck heard = ToneCheck.of(phones[i].heard(WAIT));
                for (int j = 0; j < 3; j++) {
                    String what = "phone " + i + " hearing tone " + tones[j];
                    if (i == j) {
                        assertThat(heard.presence(tones[j])).as(what).isLessThan(0.1);
                    } else {
                        assertThat(heard.presence(tones[j])).as(what).isGreaterThan(0.5);
                    }
                }
            }
            ToneCheck recorded = ToneCheck.of(recording);
            for (double tone : tones) {
                assertThat(recorded.presence(tone)).as("tone %s in the recording", tone).isGreaterThan(0.5);
            }
        }
    }
}
