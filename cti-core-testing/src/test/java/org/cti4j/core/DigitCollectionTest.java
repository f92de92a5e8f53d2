package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cti4j.core.EngineFixture.WAIT;
import static org.cti4j.core.EngineFixture.awaitState;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallState;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.InvalidStateException;
import org.cti4j.api.PlayEndReason;
import org.cti4j.api.ReceiveDtmfEndReason;
import org.cti4j.api.ReceiveDtmfOptions;
import org.cti4j.core.EngineFixture.Dialled;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code receive_dtmf_start}: every way a collection ends (max keys, finish key with and without it in the keys,
 * each timeout, the prompt repeated, stop, hang-up, a prompt that fails), type-ahead during the prompt, keys that
 * are not valid, and the states it is refused in. The engine's timers run on a manual clock: a 45 s timeout takes no
 * time.
 */
class DigitCollectionTest {

    private final EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
        assertThat(f.recorder.violations()).isEmpty();
    }

    private ScriptedMedia.Session session() {
        return f.media.sessions().get(0);
    }

    private void press(String keys) {
        for (int i = 0; i < keys.length(); i++) {
            session().dtmf(keys.charAt(i));
            f.recorder.next(CallEvent.Dtmf.class);
        }
    }

    private java.util.List<ScriptedMedia.Operation> prompts() {
        return session().operations().stream().filter(o -> o.what().startsWith("play menu.wav")).toList();
    }

    private ScriptedMedia.Operation awaitPrompt(int count) {
        Await.until("prompt " + count, WAIT, () -> prompts().size() >= count);
        return prompts().get(count - 1);
    }

    /** Waits until the collection's timer runs with {@code seconds} left (so that the manual clock can move it). */
    private void awaitTimer(int seconds) {
        Await.until("a " + seconds + " s timer", WAIT,
                () -> f.clock.pendingDelays().contains(Duration.ofSeconds(seconds)));
    }

    @Test
    void maxKeysEndsTheCollectionWithTheKeysInOrder() {
        Dialled d = f.connectedCall();
        CompletionStage<CallEvent.ReceiveDtmfCompleted> done = d.call().receiveDtmfStart(ReceiveDtmfOptions.builder()
                .maxKeys(3).build());
        press("1a9");

        CallEvent.ReceiveDtmfCompleted event = f.recorder.next(CallEvent.ReceiveDtmfCompleted.class);
        assertThat(event.reason()).isEqualTo(ReceiveDtmfEndReason.MAX_KEYS);
        assertThat(event.keys()).isEqualTo("1A9");
        assertThat(event.error()).isNull();
        assertThat(event.beginTime()).isEqualTo(EngineFixture.T0);
        assertThat(done.toCompletableFuture().join()).isEqualTo(event);
        assertThatThrownBy(d.call()::receiveDtmfStop).isInstanceOf(InvalidStateException.class)
                .hasMessageContaining("no digit collection runs");
    }

    @Test
    void aFinishKeyEndsItAndIsKeptOnlyWhenAskedAndInvalidKeysAreIgnored() {
        Dialled d = f.connectedCall();
        d.call().receiveDtmfStart(ReceiveDtmfOptions.builder().validKeys("0123456789").finishKeys("#*").build());
        press("4A2*");
        CallEvent.ReceiveDtmfCompleted first = f.recorder.next(CallEvent.ReceiveDtmfCompleted.class);
        assertThat(first.reason()).isEqualTo(ReceiveDtmfEndReason.FINISH_KEY);
        assertThat(first.keys()).isEqualTo("42");

        d.call().receiveDtmfStart(ReceiveDtmfOptions.builder().includingFinishKey(true).build());
        press("7#");
        assertThat(f.recorder.next(CallEvent.ReceiveDtmfCompleted.class).keys()).isEqualTo("7#");
    }

    @Test
    void theFirstKeyTimeoutAndTheNextKeyTimeoutEachEndIt() {
        Dialled d = f.connectedCall();
        d.call().receiveDtmfStart(ReceiveDtmfOptions.builder().firstKeyTimeout(10).continuesKeysTimeout(3).build());
        awaitTimer(10);
        f.clock.advance(Duration.ofSeconds(10));
        CallEvent.ReceiveDtmfCompleted none = f.recorder.next(CallEvent.ReceiveDtmfCompleted.class);
        assertThat(none.reason()).isEqualTo(ReceiveDtmfEndReason.TIMEOUT);
        assertThat(none.keys()).isEmpty();
        assertThat(Duration.between(none.beginTime(), none.endTime())).isEqualTo(Duration.ofSeconds(10));

        d.call().receiveDtmfStart(ReceiveDtmfOptions.builder().firstKeyTimeout(10).continuesKeysTimeout(3).build());
        press("5");
        awaitTimer(3);
        f.clock.advance(Duration.ofSeconds(2));
        press("6");
        awaitTimer(3);
        f.clock.advance(Duration.ofSeconds(3));
        CallEvent.ReceiveDtmfCompleted partial = f.recorder.next(CallEvent.ReceiveDtmfCompleted.class);
        assertThat(partial.reason()).isEqualTo(ReceiveDtmfEndReason.TIMEOUT);
        assertThat(partial.keys()).isEqualTo("56");
        assertThat(Duration.between(partial.beginTime(), partial.endTime()))
                .as("3 s after the last key, not after the first").isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void thePromptIsRepeatedOnTimeoutThenTheCollectionTimesOut() {
        Dialled d = f.connectedCall();
        d.call().receiveDtmfStart(ReceiveDtmfOptions.builder().playFile("menu.wav").playRepeat(1)
                .firstKeyTimeout(5).build());
        awaitState(d.call(), CallState.PLAY);
        // The first key's timeout starts when the prompt ends: a minute of prompt ends nothing.
        f.clock.advance(Duration.ofSeconds(60));
        awaitPrompt(1).finish();
        awaitTimer(5);
        f.clock.advance(Duration.ofSeconds(5));
        awaitPrompt(2).finish();
        awaitTimer(5);
        f.clock.advance(Duration.ofSeconds(5));
        CallEvent.ReceiveDtmfCompleted event = f.recorder.next(CallEvent.ReceiveDtmfCompleted.class);
        assertThat(event.reason()).isEqualTo(ReceiveDtmfEndReason.TIMEOUT);
        assertThat(Duration.between(event.beginTime(), event.endTime())).isEqualTo(Duration.ofSeconds(70));
        assertThat(prompts()).hasSize(2);
        d.call().drop();
        f.recorder.next(CallEvent.Released.class);
        assertThat(f.recorder.all()).as("no on_play_completed for a prompt")
                .noneMatch(e -> e instanceof CallEvent.PlayCompleted);
    }

    @Test
    void aKeyDuringThePromptStopsItAndCountsUnlessBreakingIsOff() {
        Dialled d = f.connectedCall();
        d.call().receiveDtmfStart(ReceiveDtmfOptions.builder().playFile("menu.wav").maxKeys(2).build());
        ScriptedMedia.Operation prompt = awaitPrompt(1);
        press("3");
        Await.until("the prompt stopped", WAIT, prompt::isStoppedByEngine);
        awaitState(d.call(), CallState.IDLE);
        press("4");
        assertThat(f.recorder.next(CallEvent.ReceiveDtmfCompleted.class).keys()).isEqualTo("34");

        d.call().receiveDtmfStart(ReceiveDtmfOptions.builder().playFile("menu.wav").maxKeys(2).breakingOnKey(false)
                .build());
        ScriptedMedia.Operation second = awaitPrompt(2);
        press("8");
        assertThat(second.isRunning()).isTrue();
        press("9");
        assertThat(f.recorder.next(CallEvent.ReceiveDtmfCompleted.class).keys()).isEqualTo("89");
        Await.until("the prompt stopped with the collection", WAIT, second::isStoppedByEngine);
    }

    @Test
    void playStopStopsThePromptAndTheCollectionGoesOn() {
        Dialled d = f.connectedCall();
        d.call().receiveDtmfStart(ReceiveDtmfOptions.builder().playFile("menu.wav").build());
        ScriptedMedia.Operation prompt = awaitPrompt(1);
        assertThat(d.call().isPlaying()).isTrue();
        assertThatThrownBy(() -> d.call().playStart("other.wav")).isInstanceOf(InvalidStateException.class);
        d.call().playStop();
        assertThat(prompt.isStoppedByEngine()).isTrue();
        prompt.finish();
        awaitState(d.call(), CallState.IDLE);
        press("1#");
        assertThat(f.recorder.next(CallEvent.ReceiveDtmfCompleted.class).keys()).isEqualTo("1");
    }

    @Test
    void stopHangUpAndAFailedPromptEachEndItExactlyOnce() {
        Dialled d = f.connectedCall();
        d.call().receiveDtmfStart(ReceiveDtmfOptions.builder().build());
        press("12");
        d.call().receiveDtmfStop();
        CallEvent.ReceiveDtmfCompleted stopped = f.recorder.next(CallEvent.ReceiveDtmfCompleted.class);
        assertThat(stopped.reason()).isEqualTo(ReceiveDtmfEndReason.STOPPED);
        assertThat(stopped.keys()).isEqualTo("12");

        d.call().receiveDtmfStart(ReceiveDtmfOptions.builder().playFile("menu.wav").build());
        awaitPrompt(1).fail("no such file: menu.wav");
        CallEvent.ReceiveDtmfCompleted failed = f.recorder.next(CallEvent.ReceiveDtmfCompleted.class);
        assertThat(failed.reason()).isEqualTo(ReceiveDtmfEndReason.FAILED);
        assertThat(failed.error()).contains("no such file: menu.wav");

        d.call().receiveDtmfStart(ReceiveDtmfOptions.builder().build());
        d.far().remoteHangup(200);
        assertThat(f.recorder.next(CallEvent.ReceiveDtmfCompleted.class).reason())
                .isEqualTo(ReceiveDtmfEndReason.HANGUP);
        f.recorder.next(CallEvent.Released.class);
        assertThat(f.recorder.all()).filteredOn(e -> e instanceof CallEvent.ReceiveDtmfCompleted).hasSize(3);
    }

    @Test
    void itIsRefusedWhereItCannotRunAndBadOptionsNameTheParameter() {
        Dialled d = f.connectedCall();
        d.call().receiveDtmfStart(ReceiveDtmfOptions.builder().build());
        assertThatThrownBy(() -> d.call().receiveDtmfStart(ReceiveDtmfOptions.builder().build()))
                .isInstanceOf(InvalidStateException.class).hasMessageContaining("a digit collection runs already");
        d.call().receiveDtmfStop();
        f.recorder.next(CallEvent.ReceiveDtmfCompleted.class);
        d.call().playStart("a.wav");
        assertThatThrownBy(() -> d.call().receiveDtmfStart(ReceiveDtmfOptions.builder().playFile("menu.wav")
                .build())).isInstanceOf(InvalidStateException.class).hasMessageContaining("a playback runs");
        // Without a prompt it runs alongside the playback.
        d.call().receiveDtmfStart(ReceiveDtmfOptions.builder().build());
        d.call().playStop();
        assertThat(f.recorder.next(CallEvent.PlayCompleted.class).reason()).isEqualTo(PlayEndReason.STOPPED);

        assertThatThrownBy(() -> ReceiveDtmfOptions.builder().maxKeys(0)).isInstanceOf(
                InvalidArgumentException.class).hasMessageContaining("max_keys 0");
        assertThatThrownBy(() -> ReceiveDtmfOptions.builder().validKeys("12x")).hasMessageContaining("valid_keys");
        assertThatThrownBy(() -> ReceiveDtmfOptions.builder().firstKeyTimeout(0))
                .hasMessageContaining("first_key_timeout 0");
        assertThatThrownBy(() -> ReceiveDtmfOptions.builder().continuesKeysTimeout(-5))
                .hasMessageContaining("continues_keys_timeout -5");
        assertThatThrownBy(() -> ReceiveDtmfOptions.builder().playRepeat(2).build())
                .hasMessageContaining("play_repeat 2 needs a play_file");
        assertThatThrownBy(() -> ReceiveDtmfOptions.builder().validKeys("").build())
                .hasMessageContaining("valid_keys is empty");
    }
}
