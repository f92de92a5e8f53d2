package org.cti4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.cti4j.sip.Baresip;
import org.cti4j.sip.Tones;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kit proven against a phone nobody here wrote: a {@link TestPhone} calls baresip and baresip calls a
 * {@code TestPhone}; each hears the other's tone — the test phone by its own assertions, baresip by the dump of what
 * it decoded.
 */
class TestPhoneBaresipIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final double BARESIP_TONE = 600;
    private static final double TEST_PHONE_TONE = 1400;

    @TempDir
    Path temp;
    private Baresip baresip;
    private TestPhone phone;

    @BeforeEach
    void start() throws IOException {
        Baresip.requireInstalled();
        baresip = new Baresip("carol", Baresip.AnswerMode.AUTO, Tones.sine(temp.resolve("carol.wav"), BARESIP_TONE,
                60));
        phone = TestPhone.start("dave");
    }

    @AfterEach
    void stop() throws IOException {
        if (phone != null) {
            phone.close();
        }
        if (baresip != null) {
            baresip.close();
        }
    }

    @Test
    void aTestPhoneCallsBaresipAndEachHearsTheOther() throws Exception {
        TestCall call = phone.call(baresip.uri("carol"));
        call.awaitAnswered(WAIT);
        call.awaitTone(BARESIP_TONE, Duration.ofSeconds(1), WAIT);
        call.playTone(TEST_PHONE_TONE, Duration.ofSeconds(2)).toCompletableFuture().get();
        call.hangUp();
        baresip.awaitEvent("CALL_CLOSED", WAIT);
        assertThat(share(baresip.heard(WAIT), TEST_PHONE_TONE)).as("baresip hearing the test phone's tone")
                .isGreaterThan(0.3);
    }

    @Test
    void baresipCallsATestPhoneThatAnswersAndHearsIt() throws Exception {
        phone.answerAfter(Duration.ofMillis(300));
        baresip.command("dial", phone.uri().toString());
        TestCall call = phone.awaitCall(WAIT);
        call.awaitAnswered(WAIT);
        call.awaitTone(BARESIP_TONE, Duration.ofSeconds(1), WAIT);
        call.playTone(TEST_PHONE_TONE, Duration.ofSeconds(2)).toCompletableFuture().get();
        baresip.command("hangup", "");
        call.awaitReleased(WAIT);
        assertThat(share(baresip.heard(WAIT), TEST_PHONE_TONE)).as("baresip hearing the test phone's tone")
                .isGreaterThan(0.3);
    }

    /** Returns the share of the 20 ms frames of a WAV file (first channel) in which {@code hertz} dominates. */
    private static double share(Path wav, double hertz) throws IOException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            AudioFormat f = in.getFormat();
            AudioFormat pcm = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, f.getSampleRate(), 16, f.getChannels(),
                    2 * f.getChannels(), f.getSampleRate(), false);
            byte[] bytes = AudioSystem.getAudioInputStream(pcm, in).readAllBytes();
            int frame = Math.round(f.getSampleRate() * 0.02f);
            int samples = bytes.length / pcm.getFrameSize();
            int frames = samples / frame;
            int dominated = 0;
            double coefficient = 2 * Math.cos(2 * Math.PI * hertz / f.getSampleRate());
            for (int n = 0; n < frames; n++) {
                double s1 = 0;
                double s2 = 0;
                double energy = 0;
                for (int i = n * frame; i < (n + 1) * frame; i++) {
                    int at = i * pcm.getFrameSize();
                    double x = (short) ((bytes[at] & 0xff) | (bytes[at + 1] << 8)) / 32768.0;
                    double s = x + coefficient * s1 - s2;
                    s2 = s1;
                    s1 = s;
                    energy += x * x;
                }
                double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
                if (energy / frame > 1e-5 && power > 0.5 * energy * frame / 2) {
                    dominated++;
                }
            }
            return frames == 0 ? 0 : (double) dominated / frames;
        } catch (UnsupportedAudioFileException e) {
            throw new IOException("not a WAV file the JDK reads: " + wav, e);
        }
    }
}
