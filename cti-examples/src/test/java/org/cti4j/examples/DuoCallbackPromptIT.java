package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackListener;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.core.CoreEngine;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.sip.Baresip;
import org.cti4j.sip.Baresip.AnswerMode;
import org.cti4j.sip.SipConfig;
import org.cti4j.sip.SipSignalingProvider;
import org.cti4j.sip.Tones;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The duo callback's timed prompt, end to end against two real baresip phones over loopback: both parties hear the
 * prompt at the right second after they were connected, instead of each other while it plays and each other again
 * after it, and the recording holds it.
 *
 * <p>Party 1 says 600 Hz, party 2 says 1400 Hz, the prompt is 1.5 s of 1000 Hz. Each phone's dump of what it heard
 * starts at its own answer, which is not exactly the connect; so the prompt's second is measured from the moment the
 * other party's voice sets in, in the same dump: that is the bridge, made at the connect. The recording (record_mode
 * 0) starts at the connect itself. The tolerance, 0.6 s, covers the strand timer, the media tick and baresip's
 * jitter buffer on a loaded machine; the prompt's second is several seconds in, so a prompt at the connect or at the
 * end would fail.
 */
class DuoCallbackPromptIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final double TONE_1 = 600;
    private static final double TONE_2 = 1400;
    private static final double TONE_PROMPT = 1000;
    private static final double PROMPT_SECONDS = 1.5;
    private static final double TOLERANCE = 0.6;

    @TempDir
    Path temp;
    private CoreEngine engine;
    private Baresip phone1;
    private Baresip phone2;
    private final BlockingQueue<DuoCallbackEvent.Released> released = new LinkedBlockingQueue<>();
    private final DuoCallbackListener listener = new DuoCallbackListener() {
        @Override
        public void onReleased(DuoCallback duoCallback, DuoCallbackEvent.Released event) {
            released.add(event);
        }
    };

    @BeforeEach
    void start() throws Exception {
        Baresip.requireInstalled();
        engine = CoreEngine.builder().nodeId("0.0.13")
                .signaling(new SipSignalingProvider(SipConfig.builder().port(0).build()))
                .media(new RtpMediaProvider()).build();
        phone1 = DuoCallbackMediaIT.phone("alice", AnswerMode.AUTO, Tones.sine(temp.resolve("party1.wav"), TONE_1, 60));
        phone2 = DuoCallbackMediaIT.phone("bob", AnswerMode.AUTO, Tones.sine(temp.resolve("party2.wav"), TONE_2, 60));
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (engine != null) {
                engine.close();
            }
        } finally {
            try {
                if (phone1 != null) {
                    phone1.close();
                }
            } finally {
                if (phone2 != null) {
                    phone2.close();
                }
            }
        }
    }

    @Test
    void bothPartiesHearThePromptTheGivenSecondsAfterTheConnectAndTheRecordingHoldsIt() throws Exception {
        Path recording = temp.resolve("duo.wav");
        run(b -> b.maxConnectSeconds(9).promptAfterSeconds(3).recordFile(recording.toString()), 3);

        ToneCheck recorded = ToneCheck.of(recording);
        assertThat(recorded.onset(TONE_PROMPT, 0)).as("the prompt's second in the recording, made from the connect")
                .isCloseTo(3, within(TOLERANCE));
    }

    @Test
    void placedBeforeTheEndThePromptPlaysThatManySecondsBeforeMaxConnectSeconds() throws Exception {
        run(b -> b.maxConnectSeconds(9).promptBeforeEndSeconds(4), 5);
    }

    /**
     * Runs a duo callback between the phones until {@code max_connect_seconds} ends it, and checks that each heard the
     * prompt {@code expectedSecond} after the other's voice set in, and not the other while it played.
     */
    private void run(UnaryOperator<DuoCallbackOptions.Builder> placed, double expectedSecond) throws Exception {
        Path prompt = Tones.sine(temp.resolve("prompt.wav"), TONE_PROMPT, PROMPT_SECONDS);
        DuoCallback duo = engine.startDuoCallback(placed.apply(DuoCallbackOptions.builder()
                .from1Uri("sip:400@127.0.0.1").to1Uri(phone1.uri("alice"))
                .from2Uri("sip:401@127.0.0.1").to2Uri(phone2.uri("bob"))
                .promptFile(prompt.toString())).build(), listener);
        DuoCallbackEvent.Released end = released.poll(WAIT.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        assertThat(end).as("on_released of " + duo.resId()).isNotNull();
        assertThat(end.error()).isNull();
        assertThat(end.connectTime()).isNotNull();
        phone1.awaitEvent("CALL_CLOSED", WAIT);
        phone2.awaitEvent("CALL_CLOSED", WAIT);

        checkHeard("party 1", ToneCheck.of(phone1.heard(WAIT)), TONE_2, expectedSecond);
        checkHeard("party 2", ToneCheck.of(phone2.heard(WAIT)), TONE_1, expectedSecond);
    }

    private static void checkHeard(String party, ToneCheck heard, double otherTone, double expectedSecond) {
        double connected = heard.onset(otherTone, 0);
        assertThat(connected).as("when %s first heard the other party", party).isGreaterThanOrEqualTo(0);
        double prompt = heard.onset(TONE_PROMPT, connected);
        assertThat(prompt).as("when %s heard the prompt", party).isGreaterThanOrEqualTo(0);
        assertThat(prompt - connected).as("the prompt's second after the connect, as %s heard it", party)
                .isCloseTo(expectedSecond, within(TOLERANCE));
        assertThat(heard.onset(TONE_PROMPT, prompt + PROMPT_SECONDS + TOLERANCE))
                .as("%s hearing the prompt a second time (it is not looped)", party).isEqualTo(-1);
        double back = heard.onset(otherTone, prompt + 0.2);
        assertThat(back - prompt).as("%s hearing the other party again once the prompt ended", party)
                .isCloseTo(PROMPT_SECONDS, within(TOLERANCE));
    }
}
