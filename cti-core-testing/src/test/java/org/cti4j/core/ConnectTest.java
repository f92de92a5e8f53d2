package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cti4j.core.EngineFixture.WAIT;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallState;
import org.cti4j.api.ConferenceEvent;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.ConnectEndReason;
import org.cti4j.api.ConnectMode;
import org.cti4j.api.ConnectOptions;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.InvalidStateException;
import org.cti4j.api.RecordFormat;
import org.cti4j.api.ResourceNotFoundException;
import org.cti4j.core.EngineFixture.Dialled;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code connect_start} / {@code connect_stop}: two answered calls bridged one way or both, each end reported once to
 * the first call, the second left in {@code IDLE}; every bad request refused at once with nothing changed.
 */
class ConnectTest {

    private final EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
        assertThat(f.recorder.violations()).isEmpty();
    }

    private static ConnectOptions.Builder to(Call second) {
        return ConnectOptions.builder().call(second);
    }

    /** Returns the open connections as "source→sink" with the sessions' indexes (0: the first call dialled). */
    private List<String> flows() {
        List<ScriptedMedia.Session> sessions = f.media.sessions();
        return f.media.openConnections().stream()
                .map(c -> sessions.indexOf(c.source()) + "→" + sessions.indexOf(c.sink())).sorted().toList();
    }

    private void awaitBoth(Call a, Call b, CallState state) {
        EngineFixture.awaitState(a, state);
        EngineFixture.awaitState(b, state);
    }

    @ParameterizedTest
    @EnumSource(ConnectMode.class)
    void eachModeConnectsTheMediaTheWaysItSaysUntilStoppedFromTheSecondCall(ConnectMode mode) {
        Dialled a = f.connectedCall();
        Dialled b = f.connectedCall();
        CompletionStage<CallEvent.ConnectCompleted> done = a.call().connectStart(to(b.call()).mode(mode).build());
        awaitBoth(a.call(), b.call(), CallState.CONNECT);
        Await.until("the media connected", WAIT, () -> !flows().isEmpty());
        List<String> expected = switch (mode) {
            case BOTH -> List.of("0→1", "1→0");
            case SECOND_HEARS_FIRST -> List.of("0→1");
            case FIRST_HEARS_SECOND -> List.of("1→0");
        };
        Await.until("the flows of " + mode, WAIT, () -> flows().equals(expected));
        b.call().connectStop();
        CallEvent.ConnectCompleted event = f.recorder.next(CallEvent.ConnectCompleted.class);
        assertThat(event.resId()).isEqualTo(a.call().resId());
        assertThat(event.callResId()).isEqualTo(b.call().resId());
        assertThat(event.reason()).isEqualTo(ConnectEndReason.STOPPED);
        assertThat(event.recordFile()).isEmpty();
        assertThat(event.error()).isNull();
        assertThat(done.toCompletableFuture().join()).isEqualTo(event);
        awaitBoth(a.call(), b.call(), CallState.IDLE);
        assertThat(flows()).isEmpty();
        assertThatThrownBy(() -> a.call().connectStop()).isInstanceOf(InvalidStateException.class)
                .hasMessageContaining("not connected");
    }

    @Test
    void maxSecondsPartsTheCallsAndTheRecordingOfThePairEndsWithThem() {
        Dialled a = f.connectedCall();
        Dialled b = f.connectedCall();
        int timers = f.clock.pending();
        a.call().connectStart(to(b.call()).maxSeconds(30).recordFile("pair.wav").recordFormat(RecordFormat.ALAW)
                .build());
        // max_seconds runs once the second call joined, on the first call's strand: wait for it to be armed.
        f.awaitTimers(timers + 1);
        ScriptedMedia.Session first = f.media.sessions().get(0);
        Await.until("the pair recorded", WAIT, () -> first.last("record pair.wav") != null);
        assertThat(first.last("record pair.wav").what()).isEqualTo("record pair.wav ALAW");
        f.clock.advance(Duration.ofSeconds(29));
        assertThat(a.call().state()).isEqualTo(CallState.CONNECT);
        f.clock.advance(Duration.ofSeconds(1));
        CallEvent.ConnectCompleted event = f.recorder.next(CallEvent.ConnectCompleted.class);
        assertThat(event.reason()).isEqualTo(ConnectEndReason.MAX_SECONDS);
        assertThat(Duration.between(event.beginTime(), event.endTime())).isEqualTo(Duration.ofSeconds(30));
        assertThat(event.recordFile()).isEqualTo("pair.wav");
        assertThat(event.error()).isNull();
        assertThat(first.last("record pair.wav").isStoppedByEngine()).isTrue();
        awaitBoth(a.call(), b.call(), CallState.IDLE);
    }

    @Test
    void aRecordedConnectionAndTheFirstCallsOwnRecordingExcludeEachOther() {
        Dialled a = f.connectedCall();
        Dialled b = f.connectedCall();
        a.call().recordStart("own.wav", "");
        assertThatThrownBy(() -> a.call().connectStart(to(b.call()).recordFile("pair.wav").build()))
                .isInstanceOf(InvalidStateException.class).hasMessageContaining("a recording runs");
        assertThat(a.call().state()).isEqualTo(CallState.RECORD);
        a.call().recordStop();
        f.recorder.next(CallEvent.RecordCompleted.class);
        a.call().connectStart(to(b.call()).recordFile("pair.wav").build());
        awaitBoth(a.call(), b.call(), CallState.CONNECT);
        assertThatThrownBy(() -> a.call().recordStart("own.wav", "")).isInstanceOf(InvalidStateException.class)
                .hasMessageContaining("records it");
        b.call().recordStart("second.wav", "");
        assertThat(b.call().isRecording()).isTrue();
    }

    @Test
    void aFailedRecordingIsReportedWithTheEnd() {
        Dialled a = f.connectedCall();
        Dialled b = f.connectedCall();
        a.call().connectStart(to(b.call()).recordFile("pair.wav").build());
        ScriptedMedia.Session first = f.media.sessions().get(0);
        Await.until("the pair recorded", WAIT, () -> first.last("record pair.wav") != null);
        first.last("record pair.wav").fail("disk full");
        a.call().connectStop();
        CallEvent.ConnectCompleted event = f.recorder.next(CallEvent.ConnectCompleted.class);
        assertThat(event.reason()).isEqualTo(ConnectEndReason.STOPPED);
        assertThat(event.error()).isEqualTo("disk full");
    }

    @Test
    void theSecondCallHangingUpLeavesTheFirstUpAndUsable() {
        Dialled a = f.connectedCall();
        Dialled b = f.connectedCall();
        a.call().connectStart(to(b.call()).build());
        awaitBoth(a.call(), b.call(), CallState.CONNECT);
        b.far().remoteHangup(200);
        assertThat(f.recorder.nextOf(CallEvent.ConnectCompleted.class).reason())
                .isEqualTo(ConnectEndReason.PEER_HANGUP);
        EngineFixture.awaitState(a.call(), CallState.IDLE);
        Await.until("no flow left", WAIT, () -> flows().isEmpty());
        a.call().playStart("after.wav");
        EngineFixture.awaitState(a.call(), CallState.PLAY);
    }

    @Test
    void theFirstCallHangingUpIsReportedBeforeItsReleaseAndLeavesTheSecondIdle() {
        Dialled a = f.connectedCall();
        Dialled b = f.connectedCall();
        a.call().connectStart(to(b.call()).recordFile("pair.wav").build());
        awaitBoth(a.call(), b.call(), CallState.CONNECT);
        a.far().remoteHangup(200);
        CallEvent.ConnectCompleted event = f.recorder.next(CallEvent.ConnectCompleted.class);
        assertThat(event.reason()).isEqualTo(ConnectEndReason.HANGUP);
        assertThat(event.error()).isNull();
        f.recorder.next(CallEvent.Released.class);
        EngineFixture.awaitState(b.call(), CallState.IDLE);
        Await.until("no flow left", WAIT, () -> flows().isEmpty());
        b.call().playStart("after.wav");
    }

    @Test
    void badRequestsAreRefusedAndChangeNothing() {
        Dialled a = f.connectedCall();
        Dialled b = f.connectedCall();
        Dialled c = f.connectedCall();
        Call ringing = f.dial().call();
        assertThatThrownBy(() -> a.call().connectStart(to(a.call()).build()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("cannot be connected to itself");
        assertThatThrownBy(() -> a.call().connectStart(ConnectOptions.builder().call("1.2.3.sys.call.999").build()))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> to(b.call()).maxSeconds(-1).build()).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("max_seconds -1");
        assertThatThrownBy(() -> to(b.call()).mode(4)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("connect_mode 4");
        assertThatThrownBy(() -> a.call().connectStart(to(ringing).build()))
                .isInstanceOf(InvalidStateException.class).hasMessageContaining(ringing.resId())
                .hasMessageContaining("not answered");
        assertThatThrownBy(() -> ringing.connectStart(to(a.call()).build()))
                .isInstanceOf(InvalidStateException.class).hasMessageContaining("not answered");
        assertThatThrownBy(() -> a.call().connectStop()).isInstanceOf(InvalidStateException.class);

        c.call().playStart("hold.wav");
        assertThatThrownBy(() -> a.call().connectStart(to(c.call()).build()))
                .isInstanceOf(InvalidStateException.class).hasMessageContaining("a playback runs");
        c.call().playStop();
        f.recorder.next(CallEvent.PlayCompleted.class);
        String room = f.engine.createConference(ConferenceOptions.builder().maxSeconds(600).build(), f.recorder)
                .resId();
        c.call().confEnter(room);
        f.recorder.next(ConferenceEvent.MemberEntered.class);
        EngineFixture.awaitState(c.call(), CallState.CONFERENCE);
        assertThatThrownBy(() -> c.call().connectStart(to(a.call()).build()))
                .isInstanceOf(InvalidStateException.class).hasMessageContaining("in conference");
        assertThatThrownBy(() -> a.call().connectStart(to(c.call()).build()))
                .isInstanceOf(InvalidStateException.class).hasMessageContaining("in conference");

        a.call().connectStart(to(b.call()).build());
        awaitBoth(a.call(), b.call(), CallState.CONNECT);
        for (Call connected : List.of(a.call(), b.call())) {
            assertThatThrownBy(() -> connected.connectStart(to(ringing).build()))
                    .isInstanceOf(InvalidStateException.class).hasMessageContaining("already");
            assertThatThrownBy(() -> connected.playStart("x.wav")).isInstanceOf(InvalidStateException.class)
                    .hasMessageContaining("connected to");
            assertThatThrownBy(() -> connected.confEnter(room)).isInstanceOf(InvalidStateException.class)
                    .hasMessageContaining("connected to");
        }
        Dialled d = f.connectedCall();
        assertThatThrownBy(() -> d.call().connectStart(to(b.call()).build()))
                .isInstanceOf(InvalidStateException.class).hasMessageContaining(b.call().resId())
                .hasMessageContaining("already");
        assertThat(d.call().state()).isEqualTo(CallState.IDLE);
        a.far().remoteHangup(200);
        assertThatThrownBy(() -> d.call().connectStart(to(a.call()).build()))
                .isInstanceOfAny(ResourceNotFoundException.class, InvalidStateException.class);
        assertThat(f.recorder.nextOf(CallEvent.ConnectCompleted.class).reason()).isEqualTo(ConnectEndReason.HANGUP);
    }

    @Test
    void aCallCanBeConnectedAgainOnceParted() {
        Dialled a = f.connectedCall();
        Dialled b = f.connectedCall();
        Dialled c = f.connectedCall();
        a.call().connectStart(to(b.call()).build());
        awaitBoth(a.call(), b.call(), CallState.CONNECT);
        a.call().connectStop();
        f.recorder.next(CallEvent.ConnectCompleted.class);
        awaitBoth(a.call(), b.call(), CallState.IDLE);
        CompletionStage<CallEvent.ConnectCompleted> again = b.call().connectStart(to(c.call())
                .mode(ConnectMode.FIRST_HEARS_SECOND).build());
        awaitBoth(b.call(), c.call(), CallState.CONNECT);
        Await.until("c flows to b", WAIT, () -> flows().equals(List.of("2→1")));
        c.far().remoteHangup(200);
        CallEvent.ConnectCompleted event = f.recorder.nextOf(CallEvent.ConnectCompleted.class);
        assertThat(event.resId()).isEqualTo(b.call().resId());
        assertThat(event.reason()).isEqualTo(ConnectEndReason.PEER_HANGUP);
        assertThat(again.toCompletableFuture().join()).isEqualTo(event);
    }
}
