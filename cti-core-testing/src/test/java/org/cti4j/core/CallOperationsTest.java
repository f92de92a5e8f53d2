package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cti4j.core.EngineFixture.WAIT;
import static org.cti4j.core.EngineFixture.awaitState;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallState;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.InvalidStateException;
import org.cti4j.api.PlayEndReason;
import org.cti4j.api.PlayOptions;
import org.cti4j.api.RecordEndReason;
import org.cti4j.api.RecordFormat;
import org.cti4j.api.RecordOptions;
import org.cti4j.core.EngineFixture.Dialled;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallOperationsTest {

    private final EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
        assertThat(f.recorder.violations()).isEmpty();
    }

    private ScriptedMedia.Operation awaitOperation(String prefix) {
        ScriptedMedia.Session session = f.media.sessions().get(0);
        Await.until("a media operation " + prefix, WAIT, () -> session.last(prefix) != null);
        return session.last(prefix);
    }

    @Test
    void aPlaybackThatFinishesIsReportedAndTheCallGoesBackToIdle() {
        Dialled d = f.connectedCall();
        CompletionStage<CallEvent.PlayCompleted> done = d.call().playStart("/sounds/welcome.wav");
        awaitState(d.call(), CallState.PLAY);
        assertThat(d.call().isPlaying()).isTrue();

        awaitOperation("play /sounds/welcome.wav").finish();

        CallEvent.PlayCompleted event = f.recorder.next(CallEvent.PlayCompleted.class);
        assertThat(event.reason()).isEqualTo(PlayEndReason.FINISHED);
        assertThat(event.playFile()).isEqualTo("/sounds/welcome.wav");
        assertThat(event.error()).isNull();
        assertThat(done.toCompletableFuture().join()).isEqualTo(event);
        awaitState(d.call(), CallState.IDLE);
    }

    @Test
    void playStopStopsThePlayback() {
        Dialled d = f.connectedCall();
        d.call().playStart("a.wav");
        ScriptedMedia.Operation play = awaitOperation("play a.wav");
        awaitState(d.call(), CallState.PLAY);

        d.call().playStop();

        assertThat(f.recorder.next(CallEvent.PlayCompleted.class).reason()).isEqualTo(PlayEndReason.STOPPED);
        assertThat(play.isStoppedByEngine()).isTrue();
        awaitState(d.call(), CallState.IDLE);
    }

    @Test
    void aPlaybackThatFailsIsReportedAndTheCallGoesOn() {
        Dialled d = f.connectedCall();
        d.call().playStart("missing.wav");
        awaitOperation("play missing.wav").fail("no such file: missing.wav");

        CallEvent.PlayCompleted event = f.recorder.next(CallEvent.PlayCompleted.class);
        assertThat(event.reason()).isEqualTo(PlayEndReason.FAILED);
        assertThat(event.error()).isEqualTo("no such file: missing.wav");
        awaitState(d.call(), CallState.IDLE);
        assertThat(d.far().actions()).isEmpty();
        d.call().playStart("other.wav");
        awaitState(d.call(), CallState.PLAY);
    }

    @Test
    void aHangUpEndsThePlaybackAndTheRecordingBeforeTheRelease() {
        Dialled d = f.connectedCall();
        d.call().playStart("a.wav");
        d.call().recordStart("/tmp/r.wav", "");
        awaitOperation("record");
        Await.until("playing and recording", WAIT, () -> d.call().isPlaying() && d.call().isRecording());

        d.far().remoteHangup(200);

        assertThat(f.recorder.next(CallEvent.PlayCompleted.class).reason()).isEqualTo(PlayEndReason.HANGUP);
        assertThat(f.recorder.next(CallEvent.RecordCompleted.class).reason()).isEqualTo(RecordEndReason.HANGUP);
        f.recorder.next(CallEvent.Released.class);
    }

    @Test
    void anMp3RecordingIsRefusedAtOnceWhenTheMediaCannotWriteMp3() {
        Dialled d = f.connectedCall();
        f.media.formatsUnavailable(RecordFormat.MP3);
        for (RecordOptions refused : List.of(RecordOptions.builder().recordFile("/tmp/call.mp3").build(),
                RecordOptions.builder().recordFile("/tmp/call.wav").recordFormat(6).build())) {
            assertThatThrownBy(() -> d.call().recordStart(refused))
                    .isInstanceOfSatisfying(InvalidArgumentException.class,
                            e -> assertThat(e.parameter()).isEqualTo("record_format"))
                    .hasMessageContaining("record_format 6 (MP3)").hasMessageContaining(refused.recordFile())
                    .hasMessageContaining("add the jump3r dependency");
        }
        assertThat(d.call().isRecording()).isFalse();
        assertThat(f.media.sessions().get(0).last("record")).isNull();
        d.call().recordStart("/tmp/call.gsm", "");
        assertThat(awaitOperation("record").what()).isEqualTo("record /tmp/call.gsm GSM");
    }

    @Test
    void theCallsCdrCarriesItsLastRecordingAndWhyItFailed() {
        Dialled d = f.connectedCall();
        d.call().recordStart("/tmp/r.wav", "");
        awaitOperation("record").fail("cannot record /tmp/r.wav: No space left on device");
        assertThat(f.recorder.next(CallEvent.RecordCompleted.class).error())
                .isEqualTo("cannot record /tmp/r.wav: No space left on device");

        d.far().remoteHangup(200);

        f.recorder.next(CallEvent.Released.class);
        Await.until("the CDR", WAIT, () -> !f.recorder.cdrs().isEmpty());
        assertThat(f.recorder.cdrs()).singleElement().satisfies(cdr -> {
            assertThat(cdr.recordFile()).isEqualTo("/tmp/r.wav");
            assertThat(cdr.recordError()).isEqualTo("cannot record /tmp/r.wav: No space left on device");
        });
    }

    @Test
    void aRecordingRecordsBothDirectionsInTheFormatOfItsExtension() {
        Dialled d = f.connectedCall();
        d.call().recordStart("/tmp/call.mp3", "#");
        assertThat(awaitOperation("record").what()).isEqualTo("record /tmp/call.mp3 MP3");
        awaitState(d.call(), CallState.RECORD);
    }

    @Test
    void aRecordingTakesAnExplicitFormat() {
        Dialled d = f.connectedCall();
        d.call().recordStart(RecordOptions.builder().recordFile("/tmp/call.wav").recordFormat(RecordFormat.ALAW)
                .build());
        assertThat(awaitOperation("record").what()).isEqualTo("record /tmp/call.wav ALAW");
    }

    @Test
    void aPlaylistGoesToTheMediaAsOnePlaybackAndIsReportedByItsFirstFile() {
        Dialled d = f.connectedCall();
        CompletionStage<CallEvent.PlayCompleted> done = d.call().playStart(PlayOptions.builder()
                .playFile("a.wav").playFile("b.wav").playRepeat(2).build());
        ScriptedMedia.Operation play = awaitOperation("play a.wav");
        assertThat(play.what()).isEqualTo("play a.wav b.wav repeat 2");
        awaitState(d.call(), CallState.PLAY);

        play.finish();

        CallEvent.PlayCompleted event = f.recorder.next(CallEvent.PlayCompleted.class);
        assertThat(event.reason()).isEqualTo(PlayEndReason.FINISHED);
        assertThat(event.playFile()).isEqualTo("a.wav");
        assertThat(event.finishKey()).isNull();
        assertThat(done.toCompletableFuture().join()).isEqualTo(event);
        awaitState(d.call(), CallState.IDLE);
    }

    @Test
    void aFinishKeyStopsThePlaybackAndIsReported() {
        Dialled d = f.connectedCall();
        CompletionStage<CallEvent.PlayCompleted> done = d.call().playStart(PlayOptions.builder()
                .playFile("menu.wav").finishKey("#*").build());
        ScriptedMedia.Operation play = awaitOperation("play menu.wav");
        awaitState(d.call(), CallState.PLAY);

        f.media.sessions().get(0).dtmf('5');
        assertThat(f.recorder.next(CallEvent.Dtmf.class).digit()).isEqualTo('5');
        assertThat(play.isRunning()).isTrue();
        f.media.sessions().get(0).dtmf('*');
        assertThat(f.recorder.next(CallEvent.Dtmf.class).digit()).isEqualTo('*');

        CallEvent.PlayCompleted event = f.recorder.next(CallEvent.PlayCompleted.class);
        assertThat(event.reason()).isEqualTo(PlayEndReason.FINISH_KEY);
        assertThat(event.finishKey()).isEqualTo('*');
        assertThat(play.isStoppedByEngine()).isTrue();
        assertThat(done.toCompletableFuture().join()).isEqualTo(event);
        awaitState(d.call(), CallState.IDLE);
    }

    @Test
    void aPlaybackStoppedBeforeItsFinishKeyCameIsReportedStopped() {
        Dialled d = f.connectedCall();
        d.call().playStart(PlayOptions.builder().playFile("menu.wav").finishKey("1").build());
        awaitOperation("play menu.wav");
        awaitState(d.call(), CallState.PLAY);
        d.call().playStop();
        f.media.sessions().get(0).dtmf('1');
        CallEvent.PlayCompleted event = f.recorder.next(CallEvent.PlayCompleted.class);
        assertThat(event.reason()).isEqualTo(PlayEndReason.STOPPED);
        assertThat(event.finishKey()).isNull();
    }

    @Test
    void aFinishKeyBySipInfoStopsThePlaybackAndTheRecordingWhoseKeyItIs() {
        Dialled d = f.connectedCall();
        d.call().playStart(PlayOptions.builder().playFile("menu.wav").finishKey("9").build());
        d.call().recordStart("/tmp/msg.wav", "9");
        awaitOperation("record");
        d.far().infoDtmf('9');
        assertThat(f.recorder.next(CallEvent.Dtmf.class).digit()).isEqualTo('9');
        // the two complete in either order
        List<Object> ended = List.of(f.recorder.next(CallEvent.class), f.recorder.next(CallEvent.class));
        assertThat(ended).filteredOn(CallEvent.PlayCompleted.class::isInstance).singleElement()
                .extracting(e -> ((CallEvent.PlayCompleted) e).finishKey()).isEqualTo('9');
        assertThat(ended).filteredOn(CallEvent.RecordCompleted.class::isInstance).singleElement()
                .extracting(e -> ((CallEvent.RecordCompleted) e).finishKey()).isEqualTo('9');
    }

    @Test
    void aFinishKeyByRfc4733EndsTheRecordingAndIsReported() {
        Dialled d = f.connectedCall();
        CompletionStage<CallEvent.RecordCompleted> done = d.call().recordStart("/tmp/msg.wav", "#*");
        ScriptedMedia.Operation record = awaitOperation("record");
        awaitState(d.call(), CallState.RECORD);

        f.media.sessions().get(0).dtmf('5');
        assertThat(f.recorder.next(CallEvent.Dtmf.class).digit()).isEqualTo('5');
        assertThat(record.isRunning()).isTrue();
        f.media.sessions().get(0).dtmf('#');
        assertThat(f.recorder.next(CallEvent.Dtmf.class).digit()).isEqualTo('#');

        CallEvent.RecordCompleted event = f.recorder.next(CallEvent.RecordCompleted.class);
        assertThat(event.reason()).isEqualTo(RecordEndReason.FINISH_KEY);
        assertThat(event.finishKey()).isEqualTo('#');
        assertThat(event.recordFile()).isEqualTo("/tmp/msg.wav");
        assertThat(record.isStoppedByEngine()).isTrue();
        assertThat(done.toCompletableFuture().join()).isEqualTo(event);
        awaitState(d.call(), CallState.IDLE);
    }

    @Test
    void aFinishKeyBySipInfoEndsTheRecordingToo() {
        Dialled d = f.connectedCall();
        d.call().recordStart("/tmp/msg.wav", "9");
        awaitOperation("record");
        d.far().infoDtmf('9');
        f.recorder.next(CallEvent.Dtmf.class);
        CallEvent.RecordCompleted event = f.recorder.next(CallEvent.RecordCompleted.class);
        assertThat(event.reason()).isEqualTo(RecordEndReason.FINISH_KEY);
        assertThat(event.finishKey()).isEqualTo('9');
    }

    @Test
    void recordStopStopsTheRecording() {
        Dialled d = f.connectedCall();
        d.call().recordStart("/tmp/msg.wav", "");
        awaitOperation("record");
        awaitState(d.call(), CallState.RECORD);
        d.call().recordStop();
        CallEvent.RecordCompleted event = f.recorder.next(CallEvent.RecordCompleted.class);
        assertThat(event.reason()).isEqualTo(RecordEndReason.STOPPED);
        assertThat(event.finishKey()).isNull();
    }

    @Test
    void aRecordingThatFailsIsReported() {
        Dialled d = f.connectedCall();
        d.call().recordStart("/readonly/msg.wav", "");
        awaitOperation("record").fail("cannot write /readonly/msg.wav");
        CallEvent.RecordCompleted event = f.recorder.next(CallEvent.RecordCompleted.class);
        assertThat(event.reason()).isEqualTo(RecordEndReason.FAILED);
        assertThat(event.error()).isEqualTo("cannot write /readonly/msg.wav");
    }

    @Test
    void aPlaybackAndARecordingRunTogether() {
        Dialled d = f.connectedCall();
        d.call().recordStart("/tmp/r.wav", "");
        awaitState(d.call(), CallState.RECORD);
        d.call().playStart("a.wav");
        Await.until("both", WAIT, () -> d.call().isPlaying() && d.call().isRecording());
        assertThat(d.call().state()).isEqualTo(CallState.PLAY);
        awaitOperation("play").finish();
        f.recorder.next(CallEvent.PlayCompleted.class);
        awaitState(d.call(), CallState.RECORD);
    }

    @Test
    void badArgumentsAreRefusedWithTheParameterNamed() {
        Dialled d = f.connectedCall();
        assertThatThrownBy(() -> d.call().playStart("")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("play_file");
        assertThatThrownBy(() -> d.call().recordStart("", "#")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("record_file");
        assertThatThrownBy(() -> d.call().recordStart("/tmp/x.wav", "#x")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("finish_key").hasMessageContaining("#x");
        assertThatThrownBy(() -> d.call().confEnter("")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("conf_res_id");
        assertThatThrownBy(() -> d.call().drop(302)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("cause 302");
        assertThat(d.call().state()).isEqualTo(CallState.IDLE);
        assertThat(f.media.sessions().get(0).operations()).isEmpty();
    }

    @Test
    void aPlayStartRacingAHangUpIsEitherRefusedOrEndsWithTheCall() throws Exception {
        Dialled d = f.connectedCall();
        d.far().remoteHangup(200);
        CompletionStage<CallEvent.PlayCompleted> stage;
        try {
            stage = d.call().playStart("a.wav");
        } catch (InvalidStateException refused) {
            assertThat(refused.state()).isEqualTo("RELEASED");
            return;
        }
        // Accepted before the BYE was handled: the playback then ends with the call.
        assertThat(stage.toCompletableFuture().get(10, TimeUnit.SECONDS).reason()).isEqualTo(PlayEndReason.HANGUP);
    }

    @Test
    void operationsCalledOneAfterAnotherSeeEachOther() {
        Dialled d = f.connectedCall();
        d.call().playStart("a.wav");
        d.call().playStop();
        assertThat(f.recorder.next(CallEvent.PlayCompleted.class).reason()).isEqualTo(PlayEndReason.STOPPED);
        d.call().recordStart("/tmp/r.wav", "");
        d.call().recordStop();
        assertThat(f.recorder.next(CallEvent.RecordCompleted.class).reason()).isEqualTo(RecordEndReason.STOPPED);
    }
}
