package org.cti4j.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cti4j.api.DuoCallbackState.ANSWERED;
import static org.cti4j.api.DuoCallbackState.CONNECTED;
import static org.cti4j.api.DuoCallbackState.INITIATED;
import static org.cti4j.api.DuoCallbackState.RELEASED;
import static org.cti4j.rpc.ClientFixture.T0;
import static org.cti4j.rpc.ClientFixture.WAIT;
import static org.cti4j.rpc.ClientFixture.awaitState;

import java.time.Duration;
import java.util.Optional;
import org.cti4j.api.CallState;
import org.cti4j.api.ConfVoice;
import org.cti4j.api.Conference;
import org.cti4j.api.ConferenceEndReason;
import org.cti4j.api.ConferenceEvent;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.ConferenceState;
import org.cti4j.api.CtiError;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.InvalidStateException;
import org.cti4j.api.RecordFormat;
import org.cti4j.api.RecordMode;
import org.cti4j.api.RingPlayMode;
import org.cti4j.api.SipUri;
import org.cti4j.api.VoiceMode;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Duo callbacks and conferences through {@link RemoteCtiEngine}. */
class RemoteDuoCallbackAndConferenceTest {

    private final ClientFixture f = new ClientFixture();
    private final ClientRecorder heard = new ClientRecorder();

    @AfterEach
    void close() {
        f.close();
        assertThat(heard.violations()).isEmpty();
    }

    private DuoCallbackOptions duoOptions() {
        return DuoCallbackOptions.builder()
                .from1Uri("sip:400@127.0.0.1").to1Uri("sip:1001@127.0.0.1:5062")
                .from2Uri("sip:401@127.0.0.1").to2Uri("sip:1002@127.0.0.1:5064")
                .maxConnectSeconds(600).maxRingSeconds(30)
                .ringPlayFile(f.dirs.sound("wait.wav")).ringPlayMode(RingPlayMode.UNTIL_ANSWER)
                .recordFile("duo.wav").recordMode(RecordMode.ON_CONNECT).recordFormat(RecordFormat.ALAW).stereo(true)
                .userData1("u1").userData2("u2").promptFile(f.dirs.sound("minute.wav")).promptAfterSeconds(2)
                .build();
    }

    @Test
    void aDuoCallbackConnectsBothPartiesAndIsReleased() {
        RemoteCtiEngine remote = f.connect(f.client());
        DuoCallback duo = remote.startDuoCallback(duoOptions(), heard);
        String resId = duo.resId();
        assertThat(resId).isEqualTo("1.2.3-ext.duo_callback-" + duo.processId());
        assertThat(duo.beginTime()).isEqualTo(T0);
        assertThat(duo.options()).isEqualTo(duoOptions());
        assertThat(duo.state()).isEqualTo(INITIATED);
        assertThat(remote.duoCallback(resId)).isSameAs(duo);

        ScriptedSignaling.Outbound party1 = f.sip.nextDialled(WAIT);
        assertThat(party1.to()).isEqualTo(SipUri.parse("sip:1001@127.0.0.1:5062"));
        f.clock.advance(Duration.ofSeconds(5));
        party1.answer();
        assertThat(heard.next(DuoCallbackEvent.StateChanged.class))
                .isEqualTo(new DuoCallbackEvent.StateChanged(resId, INITIATED, ANSWERED, T0.plusSeconds(5)));
        ScriptedSignaling.Outbound party2 = f.sip.nextDialled(WAIT);
        assertThat(party2.from()).isEqualTo(SipUri.parse("sip:401@127.0.0.1"));
        assertThat(f.session(0).last("loop").what()).isEqualTo("loop " + f.soundPath("wait.wav"));
        f.clock.advance(Duration.ofSeconds(5));
        party2.answer();
        assertThat(heard.next(DuoCallbackEvent.StateChanged.class))
                .isEqualTo(new DuoCallbackEvent.StateChanged(resId, ANSWERED, CONNECTED, T0.plusSeconds(10)));
        assertThat(duo.state()).isEqualTo(CONNECTED);
        assertThat(f.session(0).last("record").what())
                .isEqualTo("record " + f.recordingPath("duo.wav") + " ALAW new stereo");
        assertThatThrownBy(duo::cancel).isInstanceOf(InvalidStateException.class)
                .satisfies(e -> assertThat(((InvalidStateException) e).state()).isEqualTo("CONNECTED"));

        f.session(0).last("record").fail("cannot record " + f.recordingPath("duo.wav") + ": No space left on device");
        String diskFull = "cannot record duo.wav: No space left on device";

        f.clock.advance(Duration.ofSeconds(5));
        for (int party = 0; party < 2; party++) {
            ScriptedMedia.Session session = f.session(party);
            Await.until("the prompt to party " + (party + 1), WAIT, () -> session.last("play") != null);
            assertThat(session.last("play").what()).isEqualTo("play " + f.soundPath("minute.wav"));
        }
        duo.release();
        assertThat(heard.next(DuoCallbackEvent.StateChanged.class).to()).isEqualTo(RELEASED);
        DuoCallbackEvent.Released released = heard.next(DuoCallbackEvent.Released.class);
        assertThat(released).isEqualTo(new DuoCallbackEvent.Released(resId, null, T0, T0.plusSeconds(5),
                T0.plusSeconds(10), T0.plusSeconds(15), "u1", "u2", "duo.wav", diskFull));
        assertThat(duo.whenReleased()).succeedsWithin(WAIT).isEqualTo(released);
        assertThat(duo.isReleased()).isTrue();
        assertThat(duo.state()).isEqualTo(RELEASED);
        assertThat(party1.awaitAction("hangup", WAIT)).isEqualTo("hangup 200");
        assertThat(party2.awaitAction("hangup", WAIT)).isEqualTo("hangup 200");
        assertThatThrownBy(duo::release).isInstanceOf(InvalidStateException.class);
        f.assertSameEvents(heard, resId);
    }

    @Test
    void aCancelledDuoCallbackReportsTheError() {
        RemoteCtiEngine remote = f.connect(f.client());
        DuoCallback duo = remote.startDuoCallback(duoOptions(), heard);
        ScriptedSignaling.Outbound party1 = f.sip.nextDialled(WAIT);

        duo.cancel();

        assertThat(party1.awaitAction("cancel", WAIT)).isEqualTo("cancel");
        assertThat(heard.next(DuoCallbackEvent.StateChanged.class).to()).isEqualTo(RELEASED);
        assertThat(heard.next(DuoCallbackEvent.Released.class).error()).isEqualTo("cancelled");
        f.assertSameEvents(heard, duo.resId());
    }

    @Test
    void callsEnterAndLeaveAConferenceThatIsThenReleased() {
        RemoteCtiEngine remote = f.connect(f.client());
        Conference conference = remote.createConference(ConferenceOptions.builder().maxSeconds(600)
                .userData("board").build(), heard);
        String confId = conference.resId();
        assertThat(confId).isEqualTo("1.2.3-sys.conf-" + conference.processId());
        assertThat(conference.state()).isEqualTo(ConferenceState.ACTIVE);
        assertThat(conference.members()).isEmpty();
        assertThat(conference.options().userData()).isEqualTo("board");
        assertThat(remote.conference(confId)).isSameAs(conference);

        ClientFixture.Dialled first = f.connectedCall(remote, heard);
        ClientFixture.Dialled second = f.connectedCall(remote, heard);
        first.call().confEnter(confId);
        assertThat(heard.next(ConferenceEvent.MemberEntered.class))
                .isEqualTo(new ConferenceEvent.MemberEntered(confId, first.call().resId()));
        second.call().confEnter(confId);
        assertThat(heard.next(ConferenceEvent.MemberEntered.class).callResId()).isEqualTo(second.call().resId());
        assertThat(conference.members()).containsExactly(first.call().resId(), second.call().resId());
        assertThat(first.call().conferenceId()).contains(confId);
        assertThat(first.call().state()).isEqualTo(CallState.CONFERENCE);

        second.call().confExit(confId);
        assertThat(heard.next(ConferenceEvent.MemberExited.class).callResId()).isEqualTo(second.call().resId());
        assertThat(conference.members()).containsExactly(first.call().resId());

        f.clock.advance(Duration.ofSeconds(30));
        conference.release();
        assertThat(heard.next(ConferenceEvent.MemberExited.class).callResId()).isEqualTo(first.call().resId());
        ConferenceEvent.Released released = heard.next(ConferenceEvent.Released.class);
        assertThat(released).isEqualTo(new ConferenceEvent.Released(confId, T0, T0.plusSeconds(30),
                ConferenceEndReason.RELEASED, "board"));
        assertThat(conference.whenReleased()).succeedsWithin(WAIT).isEqualTo(released);
        assertThat(conference.state()).isEqualTo(ConferenceState.RELEASED);
        assertThat(conference.members()).isEmpty();
        assertThatThrownBy(conference::release).isInstanceOf(InvalidStateException.class);
        awaitState(first.call(), CallState.IDLE);
        assertThat(first.call().conferenceId()).isEmpty();
        f.assertSameEvents(heard, confId);
    }

    @Test
    void aRemoteSupervisorListensThenCoachesAndABadCoachIsRefused() {
        RemoteCtiEngine remote = f.connect(f.client());
        Conference conference = remote.createConference(ConferenceOptions.builder().maxSeconds(600).build(), heard);
        String confId = conference.resId();
        ClientFixture.Dialled agent = f.connectedCall(remote, heard);
        ClientFixture.Dialled supervisor = f.connectedCall(remote, heard);
        agent.call().confEnter(confId);
        heard.next(ConferenceEvent.MemberEntered.class);

        assertThatThrownBy(() -> supervisor.call().confEnter(confId, ConfVoice.coaching(supervisor.call().resId())))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("cannot coach itself");
        supervisor.call().confEnter(confId, VoiceMode.LISTEN_ONLY);
        heard.next(ConferenceEvent.MemberEntered.class);
        ScriptedMedia.Mixer mixer = f.media.mixers().get(0);
        Await.until("listening only", WAIT, () -> mixer.voice(f.session(1))
                .equals(new ScriptedMedia.Voice(true, false, Optional.empty())));

        supervisor.call().confVoiceMode(confId, ConfVoice.coaching(agent.call().resId()));
        Await.until("coaching", WAIT, () -> mixer.voice(f.session(1))
                .equals(new ScriptedMedia.Voice(true, false, Optional.of(f.session(0)))));
        assertThatThrownBy(() -> agent.call().confVoiceMode("1.2.3-sys.conf-9", ConfVoice.SPEAK_AND_LISTEN))
                .isInstanceOf(CtiError.class);
    }
}
