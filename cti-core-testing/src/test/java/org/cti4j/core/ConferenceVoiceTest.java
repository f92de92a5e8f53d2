package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cti4j.core.EngineFixture.WAIT;

import java.util.Optional;
import org.cti4j.api.Call;
import org.cti4j.api.CallState;
import org.cti4j.api.ConfVoice;
import org.cti4j.api.Conference;
import org.cti4j.api.ConferenceEvent;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.InvalidStateException;
import org.cti4j.api.VoiceMode;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia.Mixer;
import org.cti4j.core.testing.ScriptedMedia.Session;
import org.cti4j.core.testing.ScriptedMedia.Voice;
import org.junit.jupiter.api.Test;

/** Conference voice modes ({@code voice_mode} of {@code conf_enter} and {@code conf_voice_mode}) and their refusals. */
class ConferenceVoiceTest {

    private static final Voice LISTEN_ONLY = new Voice(true, false, Optional.empty());

    private static Conference conference(EngineFixture f) {
        return f.engine.createConference(ConferenceOptions.builder().maxSeconds(3600).build(), f.recorder);
    }

    private static void enter(EngineFixture f, Conference conf, Call call, ConfVoice voice) {
        call.confEnter(conf.resId(), voice);
        assertThat(f.recorder.next(ConferenceEvent.MemberEntered.class))
                .isEqualTo(new ConferenceEvent.MemberEntered(conf.resId(), call.resId()));
        EngineFixture.awaitState(call, CallState.CONFERENCE);
    }

    private static Session session(EngineFixture f, int index) {
        return f.media.sessions().get(index);
    }

    private static void awaitVoice(Mixer mixer, Session session, Voice voice) {
        Await.until("voice " + voice, WAIT, () -> mixer.voice(session).equals(voice));
    }

    @Test
    void eachModeSetsWhoHearsTheMemberAndWhomItHears() {
        try (EngineFixture f = new EngineFixture()) {
            Conference conf = conference(f);
            Call customer = f.connectedCall().call();
            Call agent = f.connectedCall().call();
            Call announcer = f.connectedCall().call();
            Call supervisor = f.connectedCall().call();
            Mixer mixer = f.media.mixers().get(0);

            customer.confEnter(conf.resId(), VoiceMode.SPEAK_AND_LISTEN);
            f.recorder.next(ConferenceEvent.MemberEntered.class);
            enter(f, conf, agent, ConfVoice.SPEAK_AND_LISTEN);
            enter(f, conf, announcer, ConfVoice.of(VoiceMode.SPEAK_ONLY));
            enter(f, conf, supervisor, ConfVoice.of(VoiceMode.LISTEN_ONLY));

            assertThat(mixer.voice(session(f, 0))).isEqualTo(Voice.ALL);
            assertThat(mixer.voice(session(f, 1))).isEqualTo(Voice.ALL);
            assertThat(mixer.voice(session(f, 2))).isEqualTo(new Voice(false, true, Optional.empty()));
            assertThat(mixer.voice(session(f, 3))).isEqualTo(LISTEN_ONLY);

            supervisor.confVoiceMode(conf.resId(), ConfVoice.coaching(agent.resId()));
            awaitVoice(mixer, session(f, 3), new Voice(true, false, Optional.of(session(f, 1))));
            supervisor.confVoiceMode(conf.resId(), ConfVoice.SPEAK_AND_LISTEN);
            awaitVoice(mixer, session(f, 3), Voice.ALL);
            assertThat(supervisor.state()).isEqualTo(CallState.CONFERENCE);
            assertThat(conf.members()).hasSize(4);
            assertThat(f.recorder.violations()).isEmpty();
        }
    }

    @Test
    void aCoachEntersHeardByItsAgentOnlyAndListensOnlyOnceTheAgentLeaves() {
        try (EngineFixture f = new EngineFixture()) {
            Conference conf = conference(f);
            Call customer = f.connectedCall().call();
            Call agent = f.connectedCall().call();
            Call supervisor = f.connectedCall().call();
            Mixer mixer = f.media.mixers().get(0);
            enter(f, conf, customer, ConfVoice.SPEAK_AND_LISTEN);
            enter(f, conf, agent, ConfVoice.SPEAK_AND_LISTEN);

            enter(f, conf, supervisor, ConfVoice.coaching(agent.resId()));
            assertThat(mixer.voice(session(f, 2))).isEqualTo(new Voice(true, false, Optional.of(session(f, 1))));

            agent.confExit(conf.resId());
            f.recorder.next(ConferenceEvent.MemberExited.class);
            awaitVoice(mixer, session(f, 2), LISTEN_ONLY);
            assertThat(supervisor.state()).isEqualTo(CallState.CONFERENCE);
            assertThat(mixer.voice(session(f, 0))).isEqualTo(Voice.ALL);
        }
    }

    @Test
    void badVoicesAreRefusedWithAClearErrorAndChangeNothing() {
        try (EngineFixture f = new EngineFixture()) {
            Conference conf = conference(f);
            Conference other = conference(f);
            Call agent = f.connectedCall().call();
            Call elsewhere = f.connectedCall().call();
            Call outside = f.connectedCall().call();
            Call supervisor = f.connectedCall().call();
            Mixer mixer = f.media.mixers().get(0);
            enter(f, conf, agent, ConfVoice.SPEAK_AND_LISTEN);
            enter(f, other, elsewhere, ConfVoice.SPEAK_AND_LISTEN);

            assertThatThrownBy(() -> VoiceMode.ofCode(9)).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("voice_mode 9 is not one of");
            assertThatThrownBy(() -> ConfVoice.coaching(" ")).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("coached_res_id is missing");
            assertThatThrownBy(() -> supervisor.confEnter(conf.resId(), VoiceMode.COACH))
                    .isInstanceOf(InvalidArgumentException.class);
            assertThatThrownBy(() -> new ConfVoice(VoiceMode.LISTEN_ONLY, agent.resId()))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("coaches nobody");
            assertThatThrownBy(() -> supervisor.confEnter(conf.resId(), ConfVoice.coaching(supervisor.resId())))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("cannot coach itself");
            assertThatThrownBy(() -> supervisor.confEnter(conf.resId(), ConfVoice.coaching(elsewhere.resId())))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessage("call " + elsewhere.resId() + " is not in conference " + conf.resId()
                            + ": a coach coaches a member of its own conference");
            assertThatThrownBy(() -> supervisor.confEnter(conf.resId(), ConfVoice.coaching(outside.resId())))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("is not in conference");
            assertThatThrownBy(() -> supervisor.confEnter(conf.resId(), ConfVoice.coaching("1.2.3-sys.call-1")))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("is not in conference");
            assertThat(supervisor.state()).as("nothing changed").isEqualTo(CallState.IDLE);
            assertThat(conf.members()).containsExactly(agent.resId());

            assertThatThrownBy(() -> supervisor.confVoiceMode(conf.resId(), ConfVoice.of(VoiceMode.LISTEN_ONLY)))
                    .isInstanceOf(InvalidStateException.class).hasMessageContaining("it is in no conference");
            enter(f, conf, supervisor, ConfVoice.of(VoiceMode.LISTEN_ONLY));
            assertThatThrownBy(() -> supervisor.confVoiceMode(other.resId(), ConfVoice.SPEAK_AND_LISTEN))
                    .isInstanceOf(InvalidStateException.class)
                    .hasMessageContaining("it is not in conference " + other.resId());
            assertThatThrownBy(() -> supervisor.confVoiceMode(conf.resId(), ConfVoice.coaching(elsewhere.resId())))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("is not in conference");
            assertThatThrownBy(() -> supervisor.confVoiceMode(conf.resId(), ConfVoice.coaching(supervisor.resId())))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("cannot coach itself");
            assertThat(mixer.voice(session(f, 3))).as("nothing changed").isEqualTo(LISTEN_ONLY);
            assertThat(f.recorder.violations()).isEmpty();
        }
    }
}
