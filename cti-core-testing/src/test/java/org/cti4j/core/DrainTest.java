package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cti4j.core.EngineFixture.WAIT;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.cti4j.api.CallEvent;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.EngineUnavailableException;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.core.EngineFixture.Dialled;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CoreEngine#drain}: no new work from the moment it is called, the live calls go on to their natural end, then
 * the engine stops — or, at the drain time, releases what is left and stops.
 */
class DrainTest {

    private final EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
        assertThat(f.recorder.violations()).isEmpty();
    }

    @Test
    void aDrainingEngineRefusesNewWorkWhileItsLiveCallGoesOnAndStopsWhenTheCallEnds() {
        Dialled live = f.connectedCall();
        assertThat(f.engine.isDraining()).isFalse();
        assertThat(f.sip.refusal()).as("new calls taken").isNull();

        CompletableFuture<Void> stopped = f.engine.drain(Duration.ofMinutes(10)).toCompletableFuture();

        assertThat(f.engine.isDraining()).isTrue();
        assertThat(f.sip.refusal()).as("new calls refused, retry after").isEqualTo(Duration.ofSeconds(60));
        assertThatThrownBy(() -> f.engine.dial(EngineFixture.dialOptions(), f.recorder))
                .isInstanceOf(EngineUnavailableException.class)
                .hasMessage("engine 1.2.3 is draining: sys.call refused; place it on another engine");
        assertThatThrownBy(() -> f.engine.startDuoCallback(DuoCallbackOptions.builder().from1Uri("sip:1@127.0.0.1")
                .to1Uri("sip:2@127.0.0.1").from2Uri("sip:3@127.0.0.1").to2Uri("sip:4@127.0.0.1")
                .maxConnectSeconds(60).build(), new org.cti4j.api.DuoCallbackListener() { }))
                .isInstanceOf(EngineUnavailableException.class).hasMessageContaining("ext.duo_callback refused");
        assertThatThrownBy(() -> f.engine.createConference(ConferenceOptions.builder().maxSeconds(60).build(),
                new org.cti4j.api.ConferenceListener() { }))
                .isInstanceOf(EngineUnavailableException.class).hasMessageContaining("sys.conf refused");
        // A call that reached the engine anyway (it raced the drain) is refused with 503, unheard by the application.
        ScriptedSignaling.Inbound late = f.sip.incoming("sip:5@10.0.0.1", "sip:1@127.0.0.1", true);
        assertThat(late.actions()).containsExactly("reject 503 retry-after 60");

        // The live call is untouched: it plays, and ends when its far end hangs up.
        live.call().playStart("a.wav");
        Await.until("the playback started", WAIT, live.call()::isPlaying);
        assertThat(stopped).isNotDone();
        assertThat(f.sip.isClosed()).isFalse();
        live.far().remoteHangup(200);

        Await.until("the engine stopped", WAIT, stopped::isDone);
        assertThat(f.recorder.nextOf(CallEvent.Released.class).cause()).isEqualTo(200);
        assertThat(live.far().actions()).as("nothing sent to the live call by the drain").doesNotContain("hangup 200");
        assertThat(f.recorder.cdrs()).hasSize(1);
        assertThat(f.sip.isClosed()).isTrue();
        assertThat(f.media.isClosed()).isTrue();
        assertThat(f.engine.drain(Duration.ZERO).toCompletableFuture()).as("draining again").isDone();
    }

    @Test
    void atTheDrainTimeWhatIsStillLiveIsReleasedAndTheEngineStops() {
        Dialled live = f.connectedCall();
        CompletableFuture<Void> stopped = f.engine.drain(Duration.ofSeconds(30)).toCompletableFuture();

        f.clock.advance(Duration.ofSeconds(29));
        assertThat(stopped).isNotDone();
        assertThat(live.call().isReleased()).isFalse();
        f.clock.advance(Duration.ofSeconds(1));

        Await.until("the engine stopped", WAIT, stopped::isDone);
        assertThat(live.far().actions()).containsExactly("hangup 200");
        assertThat(f.recorder.nextOf(CallEvent.Released.class).resId()).isEqualTo(live.call().resId());
        assertThat(f.recorder.releases()).containsEntry(live.call().resId(), 1);
        assertThat(f.recorder.cdrs()).hasSize(1);
    }

    @Test
    void anIdleEngineStopsAtOnceAndANegativeDrainTimeIsRefused() {
        assertThatThrownBy(() -> f.engine.drain(Duration.ofSeconds(-1)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("negative");
        assertThat(f.engine.isDraining()).as("nothing changed by the refused drain").isFalse();
        CompletableFuture<Void> stopped = f.engine.drain(Duration.ofMinutes(5)).toCompletableFuture();
        Await.until("the engine stopped", WAIT, stopped::isDone);
        assertThat(f.sip.isClosed()).isTrue();
    }
}
