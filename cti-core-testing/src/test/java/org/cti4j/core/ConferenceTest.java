package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cti4j.core.EngineFixture.T0;
import static org.cti4j.core.EngineFixture.WAIT;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallState;
import org.cti4j.api.Conference;
import org.cti4j.api.ConferenceEndReason;
import org.cti4j.api.ConferenceEvent;
import org.cti4j.api.ConferenceListener;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.ConferenceState;
import org.cti4j.api.DialOptions;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.InvalidStateException;
import org.cti4j.api.RecordFormat;
import org.cti4j.api.ResourceNotFoundException;
import org.cti4j.core.EngineFixture.Dialled;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ManualScheduler;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedMedia.Mixer;
import org.cti4j.core.testing.ScriptedMedia.Operation;
import org.cti4j.core.testing.ScriptedMedia.Session;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The conference ({@code sys.conf}) and the calls that enter and leave it. */
class ConferenceTest {

    private static ConferenceOptions.Builder options() {
        return ConferenceOptions.builder().maxSeconds(3600).userData("room");
    }

    /** Puts {@code call} into {@code conf} and waits until both sides know it. */
    private static void enter(EngineFixture f, Conference conf, Call call) {
        call.confEnter(conf.resId());
        assertThat(f.recorder.next(ConferenceEvent.MemberEntered.class))
                .isEqualTo(new ConferenceEvent.MemberEntered(conf.resId(), call.resId()));
        EngineFixture.awaitState(call, CallState.CONFERENCE);
    }

    /** The media session of the {@code index}th call made by the test (each call has one session). */
    private static Session session(EngineFixture f, int index) {
        return f.media.sessions().get(index);
    }

    /** A connected call whose {@code max_answer_seconds} (7200) outlasts the conference's {@code max_seconds}. */
    private static Dialled longCall(EngineFixture f) {
        DialOptions options = DialOptions.builder().fromUri("sip:1000@127.0.0.1").toUri("sip:2000@127.0.0.1:5062")
                .maxAnswerSeconds(7200).maxRingSeconds(30).build();
        Call call = f.engine.dial(options, f.recorder);
        Dialled d = new Dialled(call, f.sip.nextDialled(WAIT));
        d.far().answer();
        f.recorder.next(CallEvent.DialCompleted.class);
        f.recorder.next(CallEvent.Answered.class);
        EngineFixture.awaitState(call, CallState.IDLE);
        return d;
    }

    /** Takes the conference's {@code on_released} and checks what every end has in common. */
    private static ConferenceEvent.Released expectRelease(EngineFixture f, Conference conf,
            ConferenceEndReason reason) {
        ConferenceEvent.Released released = f.recorder.next(ConferenceEvent.Released.class);
        assertThat(released.resId()).isEqualTo(conf.resId());
        assertThat(released.reason()).isEqualTo(reason);
        assertThat(released.beginTime()).isEqualTo(T0);
        assertThat(released.userData()).isEqualTo("room");
        assertThat(conf.whenReleased()).succeedsWithin(WAIT).isEqualTo(released);
        assertThat(conf.state()).isEqualTo(ConferenceState.RELEASED);
        assertThat(conf.isReleased()).as("released when its onReleased is heard").isTrue();
        assertThat(conf.members()).isEmpty();
        assertThat(f.media.mixers().get(0).isClosed()).as("the mixer closed").isTrue();
        Await.until(conf.resId() + " to leave the registry", WAIT, () -> f.engine.find(conf.resId()).isEmpty());
        return released;
    }

    /** Shuts the engine down (delivering every queued event) and checks the conference's promises. */
    private static void expectCleanEnd(EngineFixture f, Conference conf) {
        f.engine.close();
        List<ConferenceEvent> events = f.recorder.all().stream()
                .filter(ConferenceEvent.class::isInstance).map(ConferenceEvent.class::cast)
                .filter(e -> e.resId().equals(conf.resId()))
                .toList();
        assertThat(events).as("the events of %s", conf.resId()).last()
                .isInstanceOf(ConferenceEvent.Released.class);
        assertThat(f.recorder.releases()).containsEntry(conf.resId(), 1);
        assertThat(f.recorder.violations()).isEmpty();
    }

    @Nested
    class Members {

        @Test
        void isCreatedActiveAndFoundByItsResId() {
            try (EngineFixture f = new EngineFixture()) {
                Conference conf = f.engine.createConference(options().build(), f.recorder);

                assertThat(conf.resId()).matches("1\\.2\\.3-sys\\.conf-\\d+");
                assertThat(conf.module()).isEqualTo(Conference.MODULE);
                assertThat(conf.state()).isEqualTo(ConferenceState.ACTIVE);
                assertThat(conf.beginTime()).isEqualTo(T0);
                assertThat(conf.members()).isEmpty();
                assertThat(conf.options().userData()).isEqualTo("room");
                assertThat(f.engine.conference(conf.resId())).isSameAs(conf);
                assertThat(f.media.mixers()).hasSize(1);
                expectCleanEnd(f, conf);
            }
        }

        @Test
        void letsTwoConnectedCallsEnterAndHearEachOtherInTheMixer() {
            try (EngineFixture f = new EngineFixture()) {
                Conference conf = f.engine.createConference(options().build(), f.recorder);
                Call a = f.connectedCall().call();
                Call b = f.connectedCall().call();

                enter(f, conf, a);
                enter(f, conf, b);

                assertThat(a.state()).isEqualTo(CallState.CONFERENCE);
                assertThat(b.state()).isEqualTo(CallState.CONFERENCE);
                assertThat(a.conferenceId()).contains(conf.resId());
                assertThat(b.conferenceId()).contains(conf.resId());
                assertThat(conf.members()).containsExactly(a.resId(), b.resId());
                Mixer mixer = f.media.mixers().get(0);
                assertThat(mixer.members()).containsExactlyInAnyOrder(session(f, 0), session(f, 1));
                assertThat(mixer.isClosed()).isFalse();
                expectCleanEnd(f, conf);
            }
        }

        @Test
        void letsAMemberExitBackToIdleAndEndsWhenTheLastOneExits() {
            try (EngineFixture f = new EngineFixture()) {
                Conference conf = f.engine.createConference(options().build(), f.recorder);
                Dialled a = f.connectedCall();
                Dialled b = f.connectedCall();
                enter(f, conf, a.call());
                enter(f, conf, b.call());
                Mixer mixer = f.media.mixers().get(0);
                f.clock.advance(Duration.ofSeconds(20));

                a.call().confExit(conf.resId());

                assertThat(f.recorder.next(ConferenceEvent.MemberExited.class))
                        .isEqualTo(new ConferenceEvent.MemberExited(conf.resId(), a.call().resId()));
                EngineFixture.awaitState(a.call(), CallState.IDLE);
                assertThat(a.call().conferenceId()).isEmpty();
                assertThat(conf.members()).containsExactly(b.call().resId());
                assertThat(mixer.members()).containsExactly(session(f, 1));
                assertThat(conf.state()).isEqualTo(ConferenceState.ACTIVE);

                b.call().confExit(conf.resId());

                assertThat(f.recorder.next(ConferenceEvent.MemberExited.class))
                        .isEqualTo(new ConferenceEvent.MemberExited(conf.resId(), b.call().resId()));
                ConferenceEvent.Released released = expectRelease(f, conf, ConferenceEndReason.EMPTY);
                assertThat(released.endTime()).isEqualTo(T0.plusSeconds(20));
                EngineFixture.awaitState(b.call(), CallState.IDLE);
                assertThat(a.far().actions()).isEmpty();
                assertThat(b.far().actions()).isEmpty();
                assertThat(f.media.openSessions()).hasSize(2);
                assertThat(f.recorder.pending()).isEmpty();
                expectCleanEnd(f, conf);
            }
        }

        @Test
        void losesAMemberWhoseFarEndHangsUp() {
            try (EngineFixture f = new EngineFixture()) {
                Conference conf = f.engine.createConference(options().build(), f.recorder);
                Dialled a = f.connectedCall();
                Dialled b = f.connectedCall();
                enter(f, conf, a.call());
                enter(f, conf, b.call());

                a.far().remoteHangup(200);

                List<Object> events = List.of(f.recorder.next(Object.class), f.recorder.next(Object.class));
                assertThat(events).contains(new ConferenceEvent.MemberExited(conf.resId(), a.call().resId()));
                assertThat(events).filteredOn(CallEvent.Released.class::isInstance).singleElement()
                        .satisfies(e -> assertThat(((CallEvent.Released) e).resId()).isEqualTo(a.call().resId()));
                assertThat(conf.members()).containsExactly(b.call().resId());
                assertThat(f.media.mixers().get(0).members()).containsExactly(session(f, 1));
                assertThat(conf.state()).isEqualTo(ConferenceState.ACTIVE);
                assertThat(b.call().state()).isEqualTo(CallState.CONFERENCE);

                b.far().remoteHangup(200);

                List<Object> last = List.of(f.recorder.next(Object.class), f.recorder.next(Object.class),
                        f.recorder.next(Object.class));
                assertThat(last).contains(new ConferenceEvent.MemberExited(conf.resId(), b.call().resId()));
                assertThat(last).filteredOn(ConferenceEvent.Released.class::isInstance).singleElement()
                        .satisfies(e -> assertThat(((ConferenceEvent.Released) e).reason())
                                .isEqualTo(ConferenceEndReason.EMPTY));
                assertThat(conf.whenReleased()).succeedsWithin(WAIT);
                expectCleanEnd(f, conf);
            }
        }
    }

    @Nested
    class Ending {

        @Test
        void endsAtMaxSecondsAndLeavesItsMembersConnected() {
            try (EngineFixture f = new EngineFixture()) {
                Conference conf = f.engine.createConference(options().build(), f.recorder);
                Dialled a = longCall(f);
                Dialled b = longCall(f);
                enter(f, conf, a.call());
                enter(f, conf, b.call());
                f.awaitTimers(3);

                f.clock.advance(Duration.ofSeconds(3599));
                assertThat(conf.state()).isEqualTo(ConferenceState.ACTIVE);
                assertThat(f.recorder.pending()).isEmpty();
                f.clock.advance(Duration.ofSeconds(1));

                assertThat(f.recorder.next(ConferenceEvent.MemberExited.class))
                        .isEqualTo(new ConferenceEvent.MemberExited(conf.resId(), a.call().resId()));
                assertThat(f.recorder.next(ConferenceEvent.MemberExited.class))
                        .isEqualTo(new ConferenceEvent.MemberExited(conf.resId(), b.call().resId()));
                ConferenceEvent.Released released = expectRelease(f, conf, ConferenceEndReason.MAX_SECONDS);
                assertThat(released.endTime()).isEqualTo(T0.plusSeconds(3600));
                EngineFixture.awaitState(a.call(), CallState.IDLE);
                EngineFixture.awaitState(b.call(), CallState.IDLE);
                assertThat(a.call().conferenceId()).isEmpty();
                assertThat(b.call().conferenceId()).isEmpty();
                assertThat(a.far().actions()).noneMatch(action -> action.startsWith("hangup"));
                assertThat(b.far().actions()).noneMatch(action -> action.startsWith("hangup"));
                assertThat(f.media.openSessions()).hasSize(2);
                assertThat(f.recorder.pending()).isEmpty();
                expectCleanEnd(f, conf);
            }
        }

        @Test
        void endsOnReleaseAndRefusesASecondRelease() {
            try (EngineFixture f = new EngineFixture()) {
                Conference conf = f.engine.createConference(options().build(), f.recorder);
                Dialled a = f.connectedCall();
                enter(f, conf, a.call());

                conf.release();

                assertThat(f.recorder.next(ConferenceEvent.MemberExited.class))
                        .isEqualTo(new ConferenceEvent.MemberExited(conf.resId(), a.call().resId()));
                expectRelease(f, conf, ConferenceEndReason.RELEASED);
                EngineFixture.awaitState(a.call(), CallState.IDLE);
                assertThat(a.far().actions()).isEmpty();
                assertThatThrownBy(conf::release)
                        .isInstanceOf(InvalidStateException.class)
                        .hasMessageContaining(conf.resId())
                        .hasMessageContaining("RELEASED")
                        .hasMessageContaining("release");
                assertThatThrownBy(() -> f.engine.conference(conf.resId()))
                        .isInstanceOf(ResourceNotFoundException.class);
                expectCleanEnd(f, conf);
            }
        }

        /**
         * With the events delivered on the resource's own thread (an executor the API allows), the listener's
         * {@code onReleased} runs before {@code AbstractResource.emitFinal} has set {@code released} and left the
         * registry; with the default executor the same happens at random.
         */
        @Test
        void isReleasedAndGoneWhenItsListenerHearsOnReleased() {
            ManualScheduler clock = new ManualScheduler(T0);
            try (CoreEngine engine = CoreEngine.builder().nodeId("1.2.3").signaling(new ScriptedSignaling())
                    .media(new ScriptedMedia()).clock(clock).scheduler(clock).eventExecutor(Runnable::run).build()) {
                CompletableFuture<String> seen = new CompletableFuture<>();
                Conference conf = engine.createConference(options().build(), new ConferenceListener() {
                    @Override
                    public void onReleased(Conference released, ConferenceEvent.Released event) {
                        seen.complete("state " + released.state() + ", isReleased " + released.isReleased()
                                + ", found " + engine.find(released.resId()).isPresent());
                    }
                });

                conf.release();

                assertThat(seen).succeedsWithin(WAIT).isEqualTo("state RELEASED, isReleased true, found false");
            }
        }

        @Test
        void recordsTheMixUntilItEnds() {
            try (EngineFixture f = new EngineFixture()) {
                Conference conf = f.engine.createConference(options().recordFile("/tmp/conf.wav").build(),
                        f.recorder);
                Mixer mixer = f.media.mixers().get(0);
                Await.until("the recording", WAIT, () -> !mixer.recordings().isEmpty());
                Operation recording = mixer.recordings().get(0);
                assertThat(recording.what()).isEqualTo("record /tmp/conf.wav PCM_16BIT");
                assertThat(recording.isRunning()).isTrue();

                conf.release();

                expectRelease(f, conf, ConferenceEndReason.RELEASED);
                assertThat(recording.isStoppedByEngine()).isTrue();
                assertThat(mixer.recordings()).hasSize(1);
                expectCleanEnd(f, conf);
            }
        }

        @Test
        void reportsAFailedRecordingInOnReleased() {
            try (EngineFixture f = new EngineFixture()) {
                Conference conf = f.engine.createConference(options().recordFile("/tmp/conf.wav").build(),
                        f.recorder);
                Mixer mixer = f.media.mixers().get(0);
                Await.until("the recording", WAIT, () -> !mixer.recordings().isEmpty());
                mixer.recordings().get(0).fail("cannot record /tmp/conf.wav: No space left on device");

                conf.release();

                assertThat(expectRelease(f, conf, ConferenceEndReason.RELEASED).recordError())
                        .isEqualTo("cannot record /tmp/conf.wav: No space left on device");
                expectCleanEnd(f, conf);
            }
        }

        @Test
        void refusesAnMp3RecordingAtOnceWhenTheMediaCannotWriteMp3() {
            try (EngineFixture f = new EngineFixture()) {
                f.media.formatsUnavailable(RecordFormat.MP3);
                assertThatThrownBy(() -> f.engine.createConference(options().recordFile("/tmp/conf.mp3").build(),
                        f.recorder))
                        .isInstanceOfSatisfying(InvalidArgumentException.class,
                                e -> assertThat(e.parameter()).isEqualTo("record_format"))
                        .hasMessageContaining("/tmp/conf.mp3").hasMessageContaining("jump3r");
                assertThat(f.media.mixers()).isEmpty();
                assertThat(f.engine.resources()).isEmpty();
            }
        }

        @Test
        void recordsNothingWithoutARecordFile() {
            try (EngineFixture f = new EngineFixture()) {
                Conference conf = f.engine.createConference(options().build(), f.recorder);
                f.awaitTimers(1);

                conf.release();

                expectRelease(f, conf, ConferenceEndReason.RELEASED);
                assertThat(f.media.mixers().get(0).recordings()).isEmpty();
                expectCleanEnd(f, conf);
            }
        }
    }

    @Nested
    class Refusals {

        @Test
        void confEnterOfAnUnknownConferenceNamesIt() {
            try (EngineFixture f = new EngineFixture()) {
                Call call = f.connectedCall().call();
                String unknown = "1.2.3-sys.conf-42";

                assertThatThrownBy(() -> call.confEnter(unknown))
                        .isInstanceOfSatisfying(ResourceNotFoundException.class,
                                e -> assertThat(e.resId()).isEqualTo(unknown))
                        .hasMessageContaining(unknown);
                assertThat(call.state()).isEqualTo(CallState.IDLE);
                assertThat(call.conferenceId()).isEmpty();
                assertThat(f.recorder.violations()).isEmpty();
            }
        }

        @Test
        void confEnterOfAReleasedConferenceIsNotFound() {
            try (EngineFixture f = new EngineFixture()) {
                Conference conf = f.engine.createConference(options().build(), f.recorder);
                conf.release();
                expectRelease(f, conf, ConferenceEndReason.RELEASED);
                Call call = f.connectedCall().call();

                assertThatThrownBy(() -> call.confEnter(conf.resId()))
                        .isInstanceOf(ResourceNotFoundException.class)
                        .hasMessageContaining(conf.resId());
                assertThat(call.state()).isEqualTo(CallState.IDLE);
                expectCleanEnd(f, conf);
            }
        }

        @Test
        void confEnterWhileAlreadyInAConferenceIsRefused() {
            try (EngineFixture f = new EngineFixture()) {
                Conference conf = f.engine.createConference(options().build(), f.recorder);
                Conference other = f.engine.createConference(options().build(), f.recorder);
                Call call = f.connectedCall().call();
                enter(f, conf, call);

                assertThatThrownBy(() -> call.confEnter(other.resId()))
                        .isInstanceOf(InvalidStateException.class)
                        .hasMessageContaining(call.resId())
                        .hasMessageContaining("CONFERENCE")
                        .hasMessageContaining("confEnter");
                assertThatThrownBy(() -> call.confEnter(conf.resId()))
                        .isInstanceOf(InvalidStateException.class);
                assertThat(call.conferenceId()).contains(conf.resId());
                assertThat(conf.members()).containsExactly(call.resId());
                assertThat(other.members()).isEmpty();
                expectCleanEnd(f, conf);
            }
        }

        @Test
        void confExitOfAConferenceTheCallIsNotInIsRefused() {
            try (EngineFixture f = new EngineFixture()) {
                Conference conf = f.engine.createConference(options().build(), f.recorder);
                Conference other = f.engine.createConference(options().build(), f.recorder);
                Call outside = f.connectedCall().call();
                Call inside = f.connectedCall().call();
                enter(f, conf, inside);

                assertThatThrownBy(() -> outside.confExit(conf.resId()))
                        .isInstanceOf(InvalidStateException.class)
                        .hasMessageContaining(outside.resId())
                        .hasMessageContaining("IDLE")
                        .hasMessageContaining("confExit");
                assertThatThrownBy(() -> inside.confExit(other.resId()))
                        .isInstanceOf(InvalidStateException.class)
                        .hasMessageContaining(inside.resId())
                        .hasMessageContaining("confExit")
                        .hasMessageContaining(other.resId());
                assertThat(inside.state()).isEqualTo(CallState.CONFERENCE);
                assertThat(conf.members()).containsExactly(inside.resId());
                assertThat(outside.state()).isEqualTo(CallState.IDLE);
                expectCleanEnd(f, conf);
            }
        }

        @Test
        void playStartWhileInAConferenceIsRefused() {
            try (EngineFixture f = new EngineFixture()) {
                Conference conf = f.engine.createConference(options().build(), f.recorder);
                Call call = f.connectedCall().call();
                enter(f, conf, call);

                assertThatThrownBy(() -> call.playStart("hello.wav"))
                        .isInstanceOf(InvalidStateException.class)
                        .hasMessageContaining(call.resId())
                        .hasMessageContaining("CONFERENCE")
                        .hasMessageContaining("playStart");
                assertThat(call.isPlaying()).isFalse();
                assertThat(session(f, 0).operations()).isEmpty();
                assertThat(conf.members()).containsExactly(call.resId());
                expectCleanEnd(f, conf);
            }
        }

        @Test
        void confEnterOfACallThatIsOnlyDialledIsRefused() {
            try (EngineFixture f = new EngineFixture()) {
                Conference conf = f.engine.createConference(options().build(), f.recorder);
                Dialled dialled = f.dial();

                assertThatThrownBy(() -> dialled.call().confEnter(conf.resId()))
                        .isInstanceOf(InvalidStateException.class)
                        .hasMessageContaining(dialled.call().resId())
                        .hasMessageContaining("INITIATED")
                        .hasMessageContaining("confEnter");
                assertThat(conf.members()).isEmpty();
                assertThat(dialled.call().conferenceId()).isEmpty();
                expectCleanEnd(f, conf);
            }
        }
    }
}
