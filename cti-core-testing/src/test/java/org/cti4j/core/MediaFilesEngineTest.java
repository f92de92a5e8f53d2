package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallState;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.DialOptions;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.MediaFiles;
import org.cti4j.api.RecordOptions;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ManualScheduler;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An embedded engine keeps full paths by default, and takes names inside two directories when given
 * {@link MediaFiles#confined}: refused names throw before anything starts, the media opens the real paths, and events
 * report the names as given.
 */
class MediaFilesEngineTest {

    private static final Duration WAIT = Recorder.WAIT;

    @TempDir
    Path root;

    private final ScriptedSignaling sip = new ScriptedSignaling();
    private final ScriptedMedia media = new ScriptedMedia();
    private final Recorder recorder = new Recorder();
    private CoreEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private Call connectedCall(MediaFiles files) {
        ManualScheduler clock = new ManualScheduler(EngineFixture.T0);
        engine = CoreEngine.builder().nodeId("1.2.3").signaling(sip).media(media).clock(clock).scheduler(clock)
                .cdrListener(recorder).mediaFiles(files).build();
        Call call = engine.dial(DialOptions.builder().fromUri("sip:1000@127.0.0.1").toUri("sip:2000@127.0.0.1")
                .maxAnswerSeconds(600).build(), recorder);
        sip.nextDialled(WAIT).answer();
        recorder.next(CallEvent.DialCompleted.class);
        recorder.next(CallEvent.Answered.class);
        Await.until("idle", WAIT, () -> call.state() == CallState.IDLE);
        return call;
    }

    private ScriptedMedia.Operation awaitOperation(String prefix) {
        ScriptedMedia.Session session = media.sessions().get(0);
        Await.until("a media operation " + prefix, WAIT, () -> session.last(prefix) != null);
        return session.last(prefix);
    }

    @Test
    void withoutAPolicyPathsAreTakenAsGivenAndARecordingReplacesUnlessToldNot() {
        Call call = connectedCall(MediaFiles.unrestricted());

        call.playStart("/var/sounds/../welcome.wav");
        assertThat(awaitOperation("play").what()).isEqualTo("play /var/sounds/../welcome.wav");
        call.recordStart(RecordOptions.builder().recordFile("/var/rec/a.wav").build());
        assertThat(awaitOperation("record").what()).isEqualTo("record /var/rec/a.wav PCM_16BIT");
        call.recordStop();
        recorder.next(CallEvent.RecordCompleted.class);

        call.recordStart(RecordOptions.builder().recordFile("/var/rec/b.wav").recordOverwrite(false).build());
        assertThat(awaitOperation("record /var/rec/b.wav").what()).isEqualTo("record /var/rec/b.wav PCM_16BIT new");
    }

    @Test
    void aConfinedEngineOpensRealPathsInsideAndReportsTheNames() throws IOException {
        Path sounds = Files.createDirectory(root.resolve("sounds"));
        Files.writeString(sounds.resolve("welcome.wav"), "x");
        Path recordings = root.resolve("recordings");
        Call call = connectedCall(MediaFiles.confined(sounds, recordings));

        call.playStart("welcome.wav");
        ScriptedMedia.Operation play = awaitOperation("play");
        assertThat(play.what()).isEqualTo("play " + sounds.toRealPath().resolve("welcome.wav"));
        play.finish();
        assertThat(recorder.next(CallEvent.PlayCompleted.class).playFile()).isEqualTo("welcome.wav");

        call.recordStart("msg.wav", "#");
        ScriptedMedia.Operation record = awaitOperation("record");
        assertThat(record.what())
                .isEqualTo("record " + recordings.toRealPath().resolve("msg.wav") + " PCM_16BIT new");
        record.finish();
        assertThat(recorder.next(CallEvent.RecordCompleted.class).recordFile()).isEqualTo("msg.wav");
    }

    @Test
    void aConfinedEngineRefusesWaysOutBeforeAnythingStarts() throws IOException {
        Path sounds = Files.createDirectory(root.resolve("sounds"));
        Path recordings = Files.createDirectory(root.resolve("recordings"));
        Files.writeString(recordings.resolve("old.wav"), "x");
        Call call = connectedCall(MediaFiles.confined(sounds, recordings));

        assertThatThrownBy(() -> call.playStart("/etc/passwd")).isInstanceOfSatisfying(
                InvalidArgumentException.class, e -> assertThat(e.parameter()).isEqualTo("play_file"));
        assertThatThrownBy(() -> call.recordStart("../x.wav", "")).isInstanceOfSatisfying(
                InvalidArgumentException.class, e -> assertThat(e.parameter()).isEqualTo("record_file"));
        assertThatThrownBy(() -> call.recordStart("old.wav", "")).hasMessageContaining("exists already");
        DuoCallbackOptions.Builder duo = DuoCallbackOptions.builder().from1Uri("sip:1@127.0.0.1")
                .to1Uri("sip:2@127.0.0.1").from2Uri("sip:1@127.0.0.1").to2Uri("sip:3@127.0.0.1")
                .maxConnectSeconds(60);
        assertThatThrownBy(() -> engine.startDuoCallback(duo.ringPlayFile("a/../../b.wav").build(), recorder))
                .isInstanceOfSatisfying(InvalidArgumentException.class,
                        e -> assertThat(e.parameter()).isEqualTo("ring_play_file"));
        assertThatThrownBy(() -> engine.createConference(ConferenceOptions.builder().maxSeconds(60)
                .recordFile("/tmp/conf.wav").build(), recorder)).isInstanceOf(InvalidArgumentException.class);

        assertThat(media.sessions().get(0).operations()).isEmpty();
        assertThat(media.mixers()).isEmpty();
        assertThat(sip.legs()).hasSize(1);

        call.recordStart(RecordOptions.builder().recordFile("old.wav").recordOverwrite(true).build());
        assertThat(awaitOperation("record").what())
                .isEqualTo("record " + recordings.toRealPath().resolve("old.wav") + " PCM_16BIT");
    }

    @Test
    void theBuilderOfTheApiHandsTheEngineItsMediaFiles() {
        try (CtiEngine built = CtiEngine.builder().nodeId("7.8.9")
                .mediaFiles(MediaFiles.confined(root.resolve("sounds"), root.resolve("recordings"))).build()) {
            assertThatThrownBy(() -> built.createConference(ConferenceOptions.builder().maxSeconds(60)
                    .recordFile("/tmp/conf.wav").build(), recorder)).isInstanceOfSatisfying(
                            InvalidArgumentException.class, e -> assertThat(e.parameter()).isEqualTo("record_file"))
                    .hasMessageContaining("absolute path");
        }
    }
}
