package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cti4j.core.EngineFixture.WAIT;

import java.time.Duration;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.DuoCallbackState;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia.Operation;
import org.cti4j.core.testing.ScriptedMedia.Session;
import org.cti4j.core.testing.ScriptedSignaling;
import org.cti4j.core.testing.ScriptedSignaling.Outbound;
import org.junit.jupiter.api.Test;

/** The duo callback's timed prompt ({@code prompt_file}) over scripted far ends, scripted media and a manual clock. */
class DuoCallbackPromptTest {

    private static DuoCallbackOptions.Builder options() {
        return DuoCallbackOptions.builder()
                .from1Uri("sip:400@127.0.0.1").to1Uri("sip:1001@127.0.0.1:5062")
                .from2Uri("sip:401@127.0.0.1").to2Uri("sip:1002@127.0.0.1:5064")
                .maxConnectSeconds(600).maxRingSeconds(30).promptFile("/snd/minute.wav");
    }

    /** A duo callback whose parties both answered. */
    private static final class Connected {
        final EngineFixture f;
        final DuoCallback duo;
        final Outbound party1;
        final Outbound party2;

        Connected(EngineFixture f, DuoCallbackOptions options) {
            this.f = f;
            this.duo = f.engine.startDuoCallback(options, f.recorder);
            this.party1 = f.sip.nextDialled(WAIT);
            party1.answer();
            this.party2 = f.sip.nextDialled(WAIT);
            party2.answer();
            EngineFixture.awaitState(duo, DuoCallbackState.CONNECTED);
        }

        Session session(int party) {
            return f.media.sessions().get(party - 1);
        }

        /** Waits until every task posted to the duo callback's strand so far has run. */
        void sync() {
            int before = session(1).remotes().size();
            party1.remoteMediaChanged(ScriptedSignaling.FAR_END_MEDIA);
            Await.until("the strand to catch up", WAIT, () -> session(1).remotes().size() == before + 1);
        }

        Operation awaitPrompt(int party) {
            Await.until("the prompt to party " + party, WAIT, () -> session(party).last("play") != null);
            return session(party).last("play");
        }
    }

    @Test
    void playsOnceToBothPartiesTheGivenSecondsAfterTheConnectAndTheyHearEachOtherAfterwards() {
        try (EngineFixture f = new EngineFixture()) {
            Connected c = new Connected(f, options().promptAfterSeconds(30).build());
            f.awaitTimers(2);
            f.clock.advance(Duration.ofSeconds(29));
            c.sync();
            assertThat(c.session(1).last("play")).as("a prompt before its second").isNull();
            assertThat(c.session(2).last("play")).isNull();

            f.clock.advance(Duration.ofSeconds(1));
            Operation prompt1 = c.awaitPrompt(1);
            Operation prompt2 = c.awaitPrompt(2);
            assertThat(prompt1.what()).isEqualTo("play /snd/minute.wav");
            assertThat(prompt2.what()).isEqualTo("play /snd/minute.wav");
            prompt1.finish();
            prompt2.finish();
            c.sync();
            assertThat(f.media.openConnections()).as("the bridge, both ways").hasSize(2);
            assertThat(c.duo.state()).isEqualTo(DuoCallbackState.CONNECTED);
            assertThat(f.clock.pending()).as("only max_connect_seconds left").isEqualTo(1);

            c.party2.remoteHangup(200);
            f.recorder.nextOf(DuoCallbackEvent.Released.class);
            assertThat(c.session(1).operations()).filteredOn(op -> op.what().startsWith("play")).hasSize(1);
        }
    }

    @Test
    void placedBeforeTheEndPlaysThatManySecondsBeforeMaxConnectSeconds() {
        try (EngineFixture f = new EngineFixture()) {
            Connected c = new Connected(f, options().promptBeforeEndSeconds(60).build());
            f.awaitTimers(2);
            f.clock.advance(Duration.ofSeconds(539));
            c.sync();
            assertThat(c.session(1).last("play")).isNull();
            f.clock.advance(Duration.ofSeconds(1));
            c.awaitPrompt(1);
            c.awaitPrompt(2);

            f.clock.advance(Duration.ofSeconds(60));
            DuoCallbackEvent.Released released = f.recorder.nextOf(DuoCallbackEvent.Released.class);
            assertThat(released.error()).isNull();
            assertThat(c.session(1).last("play").isStoppedByEngine() || !c.session(1).last("play").isRunning())
                    .as("the prompt ended with the duo callback").isTrue();
        }
    }

    @Test
    void neverPlaysWhenTheDuoCallbackEndsBeforeItsSecond() {
        try (EngineFixture f = new EngineFixture()) {
            Connected c = new Connected(f, options().promptAfterSeconds(30).build());
            f.awaitTimers(2);
            f.clock.advance(Duration.ofSeconds(10));
            c.party1.remoteHangup(200);
            f.recorder.nextOf(DuoCallbackEvent.Released.class);
            Await.until("no timer left", WAIT, () -> f.clock.pending() == 0);
            f.clock.advance(Duration.ofSeconds(30));
            assertThat(c.session(1).last("play")).isNull();
            assertThat(c.session(2).last("play")).isNull();
            f.engine.close();
            assertThat(f.recorder.violations()).isEmpty();
        }
    }

    @Test
    void stopsPlayingWhenTheDuoCallbackIsReleasedMidPrompt() {
        try (EngineFixture f = new EngineFixture()) {
            Connected c = new Connected(f, options().build());
            f.awaitTimers(2);
            f.clock.advance(Duration.ZERO);
            Operation prompt1 = c.awaitPrompt(1);
            Operation prompt2 = c.awaitPrompt(2);
            c.duo.release();
            f.recorder.nextOf(DuoCallbackEvent.Released.class);
            assertThat(prompt1.isStoppedByEngine()).isTrue();
            assertThat(prompt2.isStoppedByEngine()).isTrue();
        }
    }

    @Test
    void aPromptThatFailsToPlayLeavesTheConversationAlone() {
        try (EngineFixture f = new EngineFixture()) {
            Connected c = new Connected(f, options().promptAfterSeconds(5).build());
            f.awaitTimers(2);
            f.clock.advance(Duration.ofSeconds(5));
            c.awaitPrompt(1).fail("no such file");
            c.awaitPrompt(2).fail("no such file");
            c.sync();
            assertThat(c.duo.state()).isEqualTo(DuoCallbackState.CONNECTED);
            assertThat(c.party1.actions()).isEmpty();
            assertThat(c.party2.actions()).isEmpty();
            assertThat(f.media.openConnections()).hasSize(2);
            c.duo.release();
            DuoCallbackEvent.Released released = f.recorder.nextOf(DuoCallbackEvent.Released.class);
            assertThat(released.error()).isNull();
        }
    }
}
