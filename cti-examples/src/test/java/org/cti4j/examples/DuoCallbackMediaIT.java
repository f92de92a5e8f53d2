package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackListener;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.DuoCallbackState;
import org.cti4j.api.RecordFormat;
import org.cti4j.api.RecordMode;
import org.cti4j.api.RingPlayMode;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The media of a duo callback, end to end against two real baresip phones over loopback: what party 1 hears while
 * party 2 is dialled ({@code ring_play_file} by {@code ring_play_mode}, or the ringback) and once bridged, and the
 * recording ({@code record_mode}, every {@code record_format}, checked with sox and ffprobe), and the timed prompt
 * ({@code prompt_file}) both parties hear at its second.
 *
 * <p>Party 1 says 600 Hz, party 2 says 1400 Hz, the ring file is 1000 Hz, the engine's generated ringback is 450 Hz
 * (1 s on, 4 s off). What party 1 heard is its baresip dump, which starts when party 1's call is established (about
 * {@code answer_time}) and ends when its call ends ({@code end_time}): the ringing part is checked from the start of
 * the dump, the conversation from its end, each over 60% of its length to leave margins.
 */
class DuoCallbackMediaIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);
    private static final double TONE_1 = 600;
    private static final double TONE_2 = 1400;
    private static final double TONE_RING_FILE = 1000;
    private static final double TONE_RINGBACK = 450;
    /** The timed prompt, {@link #PROMPT_SECONDS} long. */
    private static final double TONE_PROMPT = 1000;
    private static final double PROMPT_SECONDS = 1.5;
    /**
     * How far the prompt's measured second may be from the one asked for: the strand timer, the media tick and
     * baresip's jitter buffer on a loaded machine. The prompt's second is seconds away from the connect and the end,
     * so a prompt placed wrongly fails.
     */
    private static final double PROMPT_TOLERANCE = 0.6;
    /** A frequency nobody sends. */
    private static final double TONE_NOBODY = 2000;
    /** How long party 2 rings in the ring-play tests. */
    private static final Duration RING = Duration.ofSeconds(3);
    /** How long the parties talk. */
    private static final Duration TALK = Duration.ofSeconds(3);

    @TempDir
    Path temp;
    private CoreEngine engine;
    private Baresip phone1;
    private Baresip phone2;
    private final List<CdrRecord> cdrs = new CopyOnWriteArrayList<>();
    private final BlockingQueue<DuoCallbackEvent> events = new LinkedBlockingQueue<>();
    private final DuoCallbackListener listener = new DuoCallbackListener() {
        @Override
        public void onStateChanged(DuoCallback duoCallback, DuoCallbackEvent.StateChanged event) {
            events.add(event);
        }

        @Override
        public void onReleased(DuoCallback duoCallback, DuoCallbackEvent.Released event) {
            events.add(event);
        }
    };

    @BeforeEach
    void startEngine() {
        Baresip.requireInstalled();
        SipSignalingProvider sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        engine = CoreEngine.builder().nodeId("0.0.10").signaling(sip).media(new RtpMediaProvider())
                .cdrListener(cdrs::add).build();
    }

    @AfterEach
    void stopAll() throws Exception {
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

    // ---- what party 1 hears while party 2 is dialled ----

    @ParameterizedTest(name = "ring_play_mode {0}")
    @EnumSource(RingPlayMode.class)
    void theRingFilePlaysToPartyOneAsItsModeSays(RingPlayMode mode) throws Exception {
        Path ringFile = Tones.sine(temp.resolve("ring.wav"), TONE_RING_FILE, 1);
        Heard heard = ringThenTalk(b -> b.ringPlayFile(ringFile.toString()).ringPlayMode(mode));

        ToneCheck ringing = heard.ringing();
        ToneCheck talking = heard.talking();
        if (mode == RingPlayMode.UNTIL_RINGBACK) {
            // The file plays only until party 2's 180, which baresip sends at once; then the generated ringback.
            assertThat(ringing.presence(TONE_RING_FILE)).as("the ring file after party 2's ringback")
                    .isLessThan(0.1);
            assertThat(ringing.presence(TONE_RINGBACK)).as("the generated ringback while party 2 rings")
                    .isGreaterThan(0.3);
        } else {
            // Mode 0 starts at party 2's 180 and mode 2 when dialling: the same here, since the 180 comes at once.
            // More than the file's 1 s is heard: it loops.
            assertThat(ringing.share(TONE_RING_FILE)).as("the ring file while party 2 rings").isGreaterThan(0.8);
            assertThat(ringing.presence(TONE_RINGBACK)).as("the generated ringback with a ring file")
                    .isLessThan(0.1);
        }
        assertThat(ringing.presence(TONE_2)).as("party 2's voice before it answered").isLessThan(0.1);
        assertThat(talking.share(TONE_2)).as("party 2's voice once connected").isGreaterThan(0.7);
        assertThat(talking.presence(TONE_RING_FILE)).as("the ring file once connected").isLessThan(0.1);
        assertThat(talking.presence(TONE_RINGBACK)).as("the ringback once connected").isLessThan(0.1);
    }

    @Test
    void withoutARingFilePartyOneHearsTheGeneratedRingback() throws Exception {
        Heard heard = ringThenTalk(b -> b);

        ToneCheck ringing = heard.ringing();
        ToneCheck talking = heard.talking();
        assertThat(ringing.presence(TONE_RINGBACK)).as("the generated ringback while party 2 rings")
                .isGreaterThan(0.3);
        assertThat(ringing.presence(TONE_2)).as("party 2's voice before it answered").isLessThan(0.1);
        assertThat(talking.share(TONE_2)).as("party 2's voice once connected").isGreaterThan(0.7);
        assertThat(talking.presence(TONE_RINGBACK)).as("the ringback once connected").isLessThan(0.1);
    }

    /** What party 1 heard: its dump, cut into the time party 2 rang and the conversation. */
    private final class Heard {
        final Path dump;
        final double ringSeconds;
        final double talkSeconds;
        final double dumpSeconds;

        Heard(Path dump, DuoCallbackEvent.Released end) throws IOException {
            this.dump = dump;
            this.ringSeconds = seconds(end.answerTime(), end.connectTime());
            this.talkSeconds = seconds(end.connectTime(), end.endTime());
            this.dumpSeconds = ToneCheck.of(dump).seconds();
        }

        /** The first 60% of the time party 2 rang. */
        ToneCheck ringing() throws IOException {
            return ToneCheck.of(cut(dump, 0, 0.6 * ringSeconds, temp.resolve("ringing.wav")));
        }

        /** The last 60% of the conversation. */
        ToneCheck talking() throws IOException {
            return ToneCheck.of(cut(dump, dumpSeconds - 0.6 * talkSeconds, dumpSeconds, temp.resolve("talking.wav")));
        }
    }

    /**
     * Party 1 (AUTO) answers; party 2 (MANUAL) rings for {@link #RING} and answers; they talk for {@link #TALK};
     * party 2 hangs up. Returns what party 1 heard.
     */
    private Heard ringThenTalk(UnaryOperator<DuoCallbackOptions.Builder> extra) throws Exception {
        phones(AnswerMode.AUTO, AnswerMode.MANUAL);
        DuoCallback duo = engine.startDuoCallback(extra.apply(options(30, 60)).build(), listener);
        expectMove(DuoCallbackState.INITIATED, DuoCallbackState.ANSWERED);
        phone2.awaitEvent("CALL_INCOMING", WAIT);
        elapse(RING);
        phone2.command("accept", "");
        expectMove(DuoCallbackState.ANSWERED, DuoCallbackState.CONNECTED);
        elapse(TALK);
        phone2.command("hangup", "");
        DuoCallbackEvent.Released end = expectEnd(duo);
        phone1.awaitEvent("CALL_CLOSED", WAIT);

        Heard heard = new Heard(phone1.heard(WAIT), end);
        assertThat(heard.ringSeconds).as("party 2's ring time").isGreaterThanOrEqualTo(RING.toMillis() / 1000.0);
        assertThat(heard.talkSeconds).as("the conversation").isGreaterThanOrEqualTo(TALK.toMillis() / 1000.0);
        // The dump runs from party 1's answer to the end: the basis for cutting it by time.
        assertThat(heard.dumpSeconds).as("what party 1 heard, against answer_time to end_time")
                .isCloseTo(heard.ringSeconds + heard.talkSeconds, within(0.6));
        return heard;
    }

    // ---- recording ----

    @ParameterizedTest(name = "record_mode {0}")
    @EnumSource(RecordMode.class)
    void theRecordingStartsAsItsModeSays(RecordMode mode) throws Exception {
        phones(AnswerMode.MANUAL, AnswerMode.MANUAL);
        Path recording = temp.resolve("mode" + mode.code() + ".wav");
        DuoCallback duo = engine.startDuoCallback(options(30, 60).recordFile(recording.toString())
                .recordMode(mode).build(), listener);
        phone1.awaitEvent("CALL_INCOMING", WAIT);
        elapse(Duration.ofSeconds(2));
        phone1.command("accept", "");
        expectMove(DuoCallbackState.INITIATED, DuoCallbackState.ANSWERED);
        phone2.awaitEvent("CALL_INCOMING", WAIT);
        elapse(Duration.ofSeconds(2));
        phone2.command("accept", "");
        expectMove(DuoCallbackState.ANSWERED, DuoCallbackState.CONNECTED);
        elapse(TALK);
        phone1.command("hangup", "");
        DuoCallbackEvent.Released end = expectEnd(duo);
        assertThat(end.error()).isNull();

        double party1Ring = seconds(end.beginTime(), end.answerTime());
        double party2Ring = seconds(end.answerTime(), end.connectTime());
        double talk = seconds(end.connectTime(), end.endTime());
        assertThat(party1Ring).as("party 1's ring time").isGreaterThanOrEqualTo(2);
        assertThat(party2Ring).as("party 2's ring time").isGreaterThanOrEqualTo(2);
        double expected = switch (mode) {
            case ON_CONNECT -> talk;
            case FROM_PARTY1_DIAL -> party1Ring + party2Ring + talk;
            case FROM_PARTY2_DIAL -> party2Ring + talk;
        };
        ToneCheck recorded = ToneCheck.of(recording);
        assertThat(recorded.seconds()).as("the recording's length (party 1 rang %.1f s, party 2 %.1f s, talk %.1f s)",
                party1Ring, party2Ring, talk).isCloseTo(expected, within(0.5));
        // The conversation is at its end, both directions mixed.
        ToneCheck conversation = ToneCheck.of(cut(recording, recorded.seconds() - 0.6 * talk, recorded.seconds(),
                temp.resolve("conversation.wav")));
        assertThat(conversation.presence(TONE_1)).as("party 1's voice in the recorded conversation")
                .isGreaterThan(0.8);
        assertThat(conversation.presence(TONE_2)).as("party 2's voice in the recorded conversation")
                .isGreaterThan(0.8);
        assertThat(conversation.presence(TONE_NOBODY)).as("a frequency nobody said").isLessThan(0.1);
        if (mode != RecordMode.ON_CONNECT) {
            // Before the conversation: party 1 talking while party 2 rang (the middle 60% of that time).
            double ringEnd = recorded.seconds() - talk;
            ToneCheck ringing = ToneCheck.of(cut(recording, ringEnd - 0.8 * party2Ring, ringEnd - 0.2 * party2Ring,
                    temp.resolve("ringing.wav")));
            assertThat(ringing.presence(TONE_1)).as("party 1's voice recorded while party 2 rang")
                    .isGreaterThan(0.8);
            assertThat(ringing.presence(TONE_2)).as("party 2's voice recorded before it answered")
                    .isLessThan(0.1);
        }
    }

    @Test
    void aRecordingThatCannotBeWrittenIsReportedInOnReleasedAndBothCdrsWhileTheConversationGoesOn()
            throws Exception {
        Path fifo = temp.resolve("fifo.wav");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        try {
            assertThat(mkfifo.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("mkfifo finished").isTrue();
            assertThat(mkfifo.exitValue()).as("mkfifo's exit status").isZero();
        } finally {
            mkfifo.destroyForcibly();
        }
        phones(AnswerMode.AUTO, AnswerMode.AUTO);
        DuoCallback duo = engine.startDuoCallback(options(30, 60).recordFile(fifo.toString()).build(), listener);
        expectMove(DuoCallbackState.INITIATED, DuoCallbackState.ANSWERED);
        expectMove(DuoCallbackState.ANSWERED, DuoCallbackState.CONNECTED);
        elapse(TALK);
        assertThat(duo.state()).as("the conversation goes on").isEqualTo(DuoCallbackState.CONNECTED);
        phone1.command("hangup", "");
        DuoCallbackEvent.Released end = expectEnd(duo);

        String why = "cannot record " + fifo + ": not a regular file";
        assertThat(end.error()).as("the conversation itself ended well").isNull();
        assertThat(end.recordFile()).isEqualTo(fifo.toString());
        assertThat(end.recordError()).isEqualTo(why);
        assertThat(cdrs).extracting(CdrRecord::leg, CdrRecord::recordFile, CdrRecord::recordError)
                .containsExactlyInAnyOrder(tuple(1, fifo.toString(), why),
                        tuple(2, fifo.toString(), why));
    }

    @ParameterizedTest(name = "record_format {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6})
    void everyRecordFormatIsAFileThatSoxOrFfmpegDecodes(int code) throws Exception {
        RecordFormat format = RecordFormat.ofCode(code);
        String extension = switch (format) {
            case GSM -> ".gsm";
            case MP3 -> ".mp3";
            default -> ".wav";
        };
        requireTool("sox");
        if (format == RecordFormat.MP3) {
            requireTool("ffprobe");
            requireTool("ffmpeg");
        }
        phones(AnswerMode.AUTO, AnswerMode.AUTO);
        Path recording = temp.resolve("format" + code + extension);
        DuoCallback duo = engine.startDuoCallback(options(30, 60).recordFile(recording.toString())
                .recordFormat(code).build(), listener);
        expectMove(DuoCallbackState.INITIATED, DuoCallbackState.ANSWERED);
        expectMove(DuoCallbackState.ANSWERED, DuoCallbackState.CONNECTED);
        elapse(TALK);
        phone1.command("hangup", "");
        DuoCallbackEvent.Released end = expectEnd(duo);
        assertThat(end.error()).isNull();
        assertThat(end.recordFile()).isEqualTo(recording.toString());
        assertThat(end.recordError()).as("the recording's outcome").isNull();
        assertThat(cdrs).extracting(CdrRecord::recordError).containsOnlyNulls();
        double talk = seconds(end.connectTime(), end.endTime());

        phone2.awaitEvent("CALL_CLOSED", WAIT);
        // Closing the engine stops its media I/O thread after its queued work: whatever the engine still had to write
        // is written. (The file should be complete at on_released already; this keeps the check to the file itself.)
        engine.close();

        assertThat(recording).as("the recording").exists();
        assertThat(Files.size(recording)).as("the recording's size in bytes").isGreaterThan(1000);
        Path decoded = temp.resolve("decoded" + code + ".wav");
        double decoderSeconds;
        switch (format) {
            case MP3 -> {
                decoderSeconds = Double.parseDouble(run("ffprobe", "-v", "error", "-show_entries",
                        "format=duration", "-of", "csv=p=0", recording.toString()).trim());
                run("ffmpeg", "-v", "error", "-i", recording.toString(), "-ar", "8000", "-ac", "1",
                        "-c:a", "pcm_s16le", decoded.toString());
            }
            case GSM -> {
                // Raw GSM has no header: sox must be told what it is, before the file name.
                run("sox", "-t", "gsm", "-r", "8000", "-c", "1", recording.toString(),
                        "-b", "16", "-e", "signed-integer", decoded.toString());
                decoderSeconds = Double.parseDouble(run("sox", "--i", "-D", decoded.toString()).trim());
            }
            default -> {
                decoderSeconds = Double.parseDouble(run("sox", "--i", "-D", recording.toString()).trim());
                String info = run("sox", "--i", recording.toString());
                assertThat(info).as("sox --i").contains("Sample Rate    : 8000").contains("Channels       : 1")
                        .contains(switch (format) {
                            case PCM_16BIT -> "16-bit Signed Integer PCM";
                            case PCM_8BIT -> "8-bit Unsigned Integer PCM";
                            case ALAW -> "A-law";
                            case ULAW -> "u-law";
                            case IMA_ADPCM -> "IMA ADPCM";
                            default -> throw new AssertionError(format);
                        });
                run("sox", recording.toString(), "-b", "16", "-e", "signed-integer", decoded.toString());
            }
        }
        assertThat(decoderSeconds).as("the length an independent decoder finds, against %.2f s connected", talk)
                .isCloseTo(talk, within(0.5));
        ToneCheck recorded = ToneCheck.of(decoded);
        assertThat(recorded.seconds()).as("the decoded length").isCloseTo(talk, within(0.5));
        // Both directions, mixed, whatever the codec.
        assertThat(recorded.presence(TONE_1)).as("party 1's voice in the recording").isGreaterThan(0.8);
        assertThat(recorded.presence(TONE_2)).as("party 2's voice in the recording").isGreaterThan(0.8);
        assertThat(recorded.presence(TONE_NOBODY)).as("a frequency nobody said").isLessThan(0.1);
    }

    // ---- the timed prompt ----

    @Test
    void bothPartiesHearThePromptTheGivenSecondsAfterTheConnectAndTheRecordingHoldsIt() throws Exception {
        Path recording = temp.resolve("prompted.wav");
        runWithPrompt(b -> b.promptAfterSeconds(3).recordFile(recording.toString()), 3);

        // The recording (record_mode 0) starts at the connect itself.
        assertThat(ToneCheck.of(recording).onset(TONE_PROMPT, 0)).as("the prompt's second in the recording")
                .isCloseTo(3, within(PROMPT_TOLERANCE));
    }

    @Test
    void placedBeforeTheEndThePromptPlaysThatManySecondsBeforeMaxConnectSeconds() throws Exception {
        runWithPrompt(b -> b.promptBeforeEndSeconds(4), 5);
    }

    /**
     * Runs a duo callback of 9 s with a prompt placed by {@code placed} until {@code max_connect_seconds} ends it, and
     * checks that each party heard the prompt {@code expectedSecond} after the connect, and not the other party while
     * it played. Each phone's dump starts at its own answer, not exactly at the connect; so the connect is taken in
     * each dump as the moment the other party's voice set in: the bridge is made then.
     */
    private void runWithPrompt(UnaryOperator<DuoCallbackOptions.Builder> placed, double expectedSecond)
            throws Exception {
        phones(AnswerMode.AUTO, AnswerMode.AUTO);
        Path prompt = Tones.sine(temp.resolve("prompt.wav"), TONE_PROMPT, PROMPT_SECONDS);
        DuoCallback duo = engine.startDuoCallback(placed.apply(options(30, 9).promptFile(prompt.toString())).build(),
                listener);
        expectMove(DuoCallbackState.INITIATED, DuoCallbackState.ANSWERED);
        expectMove(DuoCallbackState.ANSWERED, DuoCallbackState.CONNECTED);
        DuoCallbackEvent.Released end = expectEnd(duo);
        assertThat(end.error()).isNull();
        phone1.awaitEvent("CALL_CLOSED", WAIT);
        phone2.awaitEvent("CALL_CLOSED", WAIT);

        checkPromptHeard("party 1", ToneCheck.of(phone1.heard(WAIT)), TONE_2, expectedSecond);
        checkPromptHeard("party 2", ToneCheck.of(phone2.heard(WAIT)), TONE_1, expectedSecond);
    }

    private static void checkPromptHeard(String party, ToneCheck heard, double otherTone, double expectedSecond) {
        double connected = heard.onset(otherTone, 0);
        assertThat(connected).as("when %s first heard the other party", party).isGreaterThanOrEqualTo(0);
        double prompt = heard.onset(TONE_PROMPT, connected);
        assertThat(prompt).as("when %s heard the prompt", party).isGreaterThanOrEqualTo(0);
        assertThat(prompt - connected).as("the prompt's second after the connect, as %s heard it", party)
                .isCloseTo(expectedSecond, within(PROMPT_TOLERANCE));
        assertThat(heard.onset(TONE_PROMPT, prompt + PROMPT_SECONDS + PROMPT_TOLERANCE))
                .as("%s hearing the prompt a second time (it is not looped)", party).isEqualTo(-1);
        double back = heard.onset(otherTone, prompt + 0.2);
        assertThat(back - prompt).as("%s hearing the other party again once the prompt ended", party)
                .isCloseTo(PROMPT_SECONDS, within(PROMPT_TOLERANCE));
    }

    // ---- helpers ----

    private void phones(AnswerMode mode1, AnswerMode mode2) throws IOException {
        phone1 = phone("alice", mode1, Tones.sine(temp.resolve("party1.wav"), TONE_1, 60));
        phone2 = phone("bob", mode2, Tones.sine(temp.resolve("party2.wav"), TONE_2, 60));
    }

    /**
     * Starts a phone, trying again (on another port) if its SIP port was taken: {@link Baresip} finds a free port
     * with a TCP socket, and the UDP port may be in use all the same on a busy machine.
     */
    static Baresip phone(String name, AnswerMode mode, Path says) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return new Baresip(name, mode, says);
            } catch (IOException e) {
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    private DuoCallbackOptions.Builder options(int maxRingSeconds, int maxConnectSeconds) {
        return DuoCallbackOptions.builder()
                .from1Uri("sip:400@127.0.0.1").to1Uri(phone1.uri("alice"))
                .from2Uri("sip:401@127.0.0.1").to2Uri(phone2.uri("bob"))
                .maxRingSeconds(maxRingSeconds).maxConnectSeconds(maxConnectSeconds)
                .userData1("media-1").userData2("media-2");
    }

    private void expectMove(DuoCallbackState from, DuoCallbackState to) throws InterruptedException {
        DuoCallbackEvent event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(event).as("the move %s -> %s", from, to).isInstanceOf(DuoCallbackEvent.StateChanged.class);
        DuoCallbackEvent.StateChanged move = (DuoCallbackEvent.StateChanged) event;
        assertThat(List.of(move.from(), move.to())).as("the move").containsExactly(from, to);
    }

    /** Takes the move to RELEASED and {@code on_released}, and waits for both CDRs. */
    private DuoCallbackEvent.Released expectEnd(DuoCallback duo) throws Exception {
        expectMove(DuoCallbackState.CONNECTED, DuoCallbackState.RELEASED);
        DuoCallbackEvent event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(event).as("on_released").isInstanceOf(DuoCallbackEvent.Released.class);
        DuoCallbackEvent.Released end = (DuoCallbackEvent.Released) event;
        assertThat(end.resId()).isEqualTo(duo.resId());
        assertThat(end.connectTime()).as("connect_time").isNotNull();
        Await.until("both CDRs", WAIT, () -> cdrs.size() == 2);
        return end;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    /** Writes the part of a WAV file from {@code fromSeconds} to {@code toSeconds} to {@code out}, as 16-bit PCM. */
    private static Path cut(Path wav, double fromSeconds, double toSeconds, Path out) throws IOException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            AudioFormat f = in.getFormat();
            AudioFormat pcm = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, f.getSampleRate(), 16,
                    f.getChannels(), 2 * f.getChannels(), f.getSampleRate(), false);
            try (AudioInputStream converted = AudioSystem.getAudioInputStream(pcm, in)) {
                byte[] all = converted.readAllBytes();
                int frameSize = pcm.getFrameSize();
                int frames = all.length / frameSize;
                int from = (int) Math.max(0, Math.min(frames, Math.round(fromSeconds * f.getSampleRate())));
                int to = (int) Math.max(from, Math.min(frames, Math.round(toSeconds * f.getSampleRate())));
                assertThat(to - from).as("samples in %.2f-%.2f s of %s", fromSeconds, toSeconds, wav)
                        .isGreaterThan((int) (0.5 * f.getSampleRate()));
                byte[] part = Arrays.copyOfRange(all, from * frameSize, to * frameSize);
                try (AudioInputStream cutStream = new AudioInputStream(new ByteArrayInputStream(part), pcm,
                        to - from)) {
                    AudioSystem.write(cutStream, AudioFileFormat.Type.WAVE, out.toFile());
                }
                return out;
            }
        } catch (UnsupportedAudioFileException e) {
            throw new IOException("not a WAV file the JDK reads: " + wav, e);
        }
    }

    /** Skips the test where a tool is missing (fails instead where {@code CI} is set). */
    private static void requireTool(String tool) {
        boolean installed = Files.isExecutable(Path.of("/usr/bin", tool));
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError(tool + " is required on CI (apt-get install sox ffmpeg)");
        }
        assumeTrue(installed, tool + " is not installed (apt-get install sox ffmpeg): skipping");
    }

    /** Runs an external tool with a timeout; returns its standard output, failing on a non-zero exit. */
    private String run(String... command) throws IOException, InterruptedException {
        Path stdout = Files.createTempFile(temp, "tool", ".out");
        Path stderr = Files.createTempFile(temp, "tool", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile()).start();
        if (!process.waitFor(TOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", command) + " did not finish within " + TOOL_TIMEOUT);
        }
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("exit status of %s; it said:%n%s%s", String.join(" ", command), out, err)
                .isZero();
        return out;
    }

    /** Lets {@code duration} pass (a measured interval, with a deadline). */
    private static void elapse(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        Await.until(duration + " to pass", duration.plusSeconds(5), () -> System.nanoTime() - end >= 0);
    }
}
