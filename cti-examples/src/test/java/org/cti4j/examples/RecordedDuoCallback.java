package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackListener;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.DuoCallbackState;
import org.cti4j.core.testing.Await;
import org.cti4j.sip.Baresip;

/**
 * The recorded duo callback the audio tests run between two baresip phones, each playing its own tone: the engine
 * bridges them, records four seconds, phone A hangs up; then each phone heard the other's tone and not its own, and
 * the recording holds both tones and nothing else.
 */
final class RecordedDuoCallback {

    /** Bytes per second of the 8 kHz, 16-bit WAV the engine records. */
    static final int BYTES_PER_SECOND = 16_000;

    private RecordedDuoCallback() {
    }

    /**
     * Runs the duo callback and checks what was heard and recorded.
     *
     * @param phoneA the first party, playing {@code toneA}, answering by itself
     * @param phoneB the second party, playing {@code toneB}, answering by itself
     */
    static void runAndCheck(CtiEngine engine, Baresip phoneA, double toneA, Baresip phoneB, double toneB,
            Path recording, Duration wait) throws Exception {
        runAndCheck(engine, phoneA, toneA, phoneB, toneB, recording, false, wait);
    }

    /**
     * Runs the duo callback and checks what was heard and recorded: in one channel, both tones mixed, or in two
     * ({@code stereo}), phone A's tone alone on the left and phone B's alone on the right.
     */
    static void runAndCheck(CtiEngine engine, Baresip phoneA, double toneA, Baresip phoneB, double toneB,
            Path recording, boolean stereo, Duration wait) throws Exception {
        BlockingQueue<DuoCallbackEvent.Released> released = new LinkedBlockingQueue<>();
        DuoCallback duo = engine.startDuoCallback(DuoCallbackOptions.builder()
                .from1Uri("sip:400@127.0.0.1").to1Uri(phoneA.uri("a"))
                .from2Uri("sip:400@127.0.0.1").to2Uri(phoneB.uri("b"))
                .maxConnectSeconds(60).recordFile(recording.toString()).stereo(stereo).build(),
                new DuoCallbackListener() {
                    @Override
                    public void onReleased(DuoCallback d, DuoCallbackEvent.Released event) {
                        released.add(event);
                    }
                });
        Await.until("both parties connected", wait, () -> duo.state() == DuoCallbackState.CONNECTED);
        int channels = stereo ? 2 : 1;
        Await.until("four seconds of conversation recorded", wait,
                () -> size(recording) > 44 + 4 * channels * BYTES_PER_SECOND);

        phoneA.command("hangup", "");

        DuoCallbackEvent.Released end = released.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(end).as("on_released").isNotNull();
        assertThat(end.error()).isNull();
        ToneCheck heardByA = ToneCheck.of(phoneA.heard(wait));
        ToneCheck heardByB = ToneCheck.of(phoneB.heard(wait));
        assertThat(heardByA.share(toneB)).as("share of what phone A heard that is B's tone").isGreaterThan(0.5);
        assertThat(heardByA.share(toneA)).as("phone A hearing its own tone").isLessThan(0.1);
        assertThat(heardByB.share(toneA)).as("share of what phone B heard that is A's tone").isGreaterThan(0.5);
        assertThat(heardByB.share(toneB)).as("phone B hearing its own tone").isLessThan(0.1);
        if (stereo) {
            ToneCheck left = ToneCheck.of(recording, 0);
            ToneCheck right = ToneCheck.of(recording, 1);
            assertThat(left.seconds()).isGreaterThan(4);
            assertThat(left.share(toneA)).as("phone A's tone on the left").isGreaterThan(0.8);
            assertThat(left.presence(toneB)).as("phone B's tone on the left").isLessThan(0.05);
            assertThat(right.share(toneB)).as("phone B's tone on the right").isGreaterThan(0.8);
            assertThat(right.presence(toneA)).as("phone A's tone on the right").isLessThan(0.05);
            return;
        }
        ToneCheck recorded = ToneCheck.of(recording);
        assertThat(recorded.seconds()).isGreaterThan(4);
        // Both directions are mixed: each tone is present throughout; a frequency nobody said is not.
        assertThat(recorded.presence((toneA + toneB) / 2)).as("a frequency nobody said").isLessThan(0.1);
        assertThat(recorded.presence(toneA)).as("phone A's tone in the recording").isGreaterThan(0.8);
        assertThat(recorded.presence(toneB)).as("phone B's tone in the recording").isGreaterThan(0.8);
    }

    /** Returns the file's size, 0 while it does not exist. */
    static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
