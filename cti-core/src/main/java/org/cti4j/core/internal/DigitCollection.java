package org.cti4j.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.ReceiveDtmfEndReason;
import org.cti4j.api.ReceiveDtmfOptions;
import org.cti4j.core.spi.MediaException;
import org.cti4j.core.spi.MediaOperation;
import org.cti4j.core.spi.MediaSession;
import org.cti4j.core.spi.PlaySource;

/**
 * The digit collection of one call ({@code receive_dtmf_start}): its prompt, its keys, its one timer (first key, then
 * each further key), and its completion event, sent exactly once whatever ends it. Strand-confined: used only on its
 * call's strand.
 *
 * <pre>
 *  start ──prompt──▶ PROMPTING ──prompt ends──▶ WAITING (first_key_timeout) ──timeout, repeats left──▶ PROMPTING
 *    └──no prompt──────────────────────────────▶ WAITING ──valid key──▶ WAITING (continues_keys_timeout)
 *  any ──max_keys, finish key, timeout, stop, hang-up, prompt failed──▶ (completed: event sent, nothing kept)
 * </pre>
 */
final class DigitCollection {

    private final CallResource call;
    private final CallListener listener;
    private final CallActivities activities;
    private final StrandTimer timer;
    private Run run;

    /** A collection under way. */
    private static final class Run {
        final ReceiveDtmfOptions options;
        final String promptPath;
        final CompletableFuture<CallEvent.ReceiveDtmfCompleted> future;
        final Instant beginTime;
        final StringBuilder keys = new StringBuilder();
        MediaSession session;
        MediaOperation prompt;
        int repeatsLeft;

        Run(ReceiveDtmfOptions options, String promptPath, CompletableFuture<CallEvent.ReceiveDtmfCompleted> future,
                Instant beginTime) {
            this.options = options;
            this.promptPath = promptPath;
            this.future = future;
            this.beginTime = beginTime;
            this.repeatsLeft = options.playRepeat();
        }
    }

    DigitCollection(CallResource call, CallListener listener, CallActivities activities) {
        this.call = call;
        this.listener = listener;
        this.activities = activities;
        this.timer = call.newTimer("receive-dtmf");
    }

    /** Returns whether a collection runs. */
    boolean collecting() {
        return run != null;
    }

    /** Returns whether its prompt plays. */
    boolean prompting() {
        return run != null && run.prompt != null;
    }

    /** Starts collecting; the prompt, if any, is {@code promptPath} played to {@code session}. */
    void start(ReceiveDtmfOptions options, String promptPath, MediaSession session,
            CompletableFuture<CallEvent.ReceiveDtmfCompleted> future) {
        call.checkOnStrand("receiveDtmfStart");
        run = new Run(options, promptPath, future, call.now());
        run.session = session;
        if (options.hasPrompt()) {
            playPrompt(run);
        } else {
            waitFor(run, options.firstKeyTimeout());
        }
    }

    private void playPrompt(Run r) {
        try {
            r.prompt = r.session.play(new PlaySource.File(r.promptPath, false), error -> call.post(() -> {
                if (run == r && r.prompt != null) {
                    promptEnded(r, error);
                }
            }));
        } catch (MediaException e) {
            r.prompt = null;
            finish(ReceiveDtmfEndReason.FAILED, "the prompt cannot be played: " + e.getMessage());
        }
        call.publish();
    }

    private void promptEnded(Run r, String error) {
        r.prompt = null;
        if (error != null && r.keys.isEmpty()) {
            finish(ReceiveDtmfEndReason.FAILED, "the prompt cannot be played: " + error);
            return;
        }
        if (r.keys.isEmpty()) {
            waitFor(r, r.options.firstKeyTimeout());
        }
        // With keys already, the timer of the next key runs since the last one.
        call.publish();
    }

    /** {@code play_stop} while the prompt plays: the prompt stops, the collection goes on. */
    void stopPrompt() {
        if (prompting()) {
            run.prompt.stop();
        }
    }

    private void waitFor(Run r, int seconds) {
        timer.start(Duration.ofSeconds(seconds), () -> {
            if (run == r) {
                timedOut(r);
            }
        });
    }

    private void timedOut(Run r) {
        // A playback the application started since is not interrupted: the collection times out instead.
        if (r.keys.isEmpty() && r.repeatsLeft > 0 && r.prompt == null && !activities.playing()) {
            r.repeatsLeft--;
            playPrompt(r);
        } else {
            finish(ReceiveDtmfEndReason.TIMEOUT, null);
        }
    }

    /** The far end pressed {@code digit}. */
    void onDtmf(char digit) {
        Run r = run;
        if (r == null) {
            return;
        }
        char key = Character.toUpperCase(digit);
        if (r.options.isFinishKey(key)) {
            if (r.options.includingFinishKey()) {
                r.keys.append(key);
            }
            finish(ReceiveDtmfEndReason.FINISH_KEY, null);
            return;
        }
        if (!r.options.isValidKey(key)) {
            return;
        }
        if (r.prompt != null && r.options.breakingOnKey()) {
            r.prompt.stop();
            r.prompt = null;
            call.publish();
        }
        r.keys.append(key);
        if (r.keys.length() >= r.options.maxKeys()) {
            finish(ReceiveDtmfEndReason.MAX_KEYS, null);
        } else {
            waitFor(r, r.options.continuesKeysTimeout());
        }
    }

    /** {@code receive_dtmf_stop}. */
    void stop() {
        finish(ReceiveDtmfEndReason.STOPPED, null);
    }

    /** The call ended: a collection still running ends by the hang-up. */
    void onCallEnded() {
        if (run != null) {
            finish(ReceiveDtmfEndReason.HANGUP, null);
        }
    }

    private void finish(ReceiveDtmfEndReason reason, String error) {
        Run r = run;
        run = null;
        timer.cancel();
        if (r.prompt != null) {
            r.prompt.stop();
            r.prompt = null;
        }
        call.publish();
        CallEvent.ReceiveDtmfCompleted event = new CallEvent.ReceiveDtmfCompleted(call.resId(), error, r.beginTime,
                call.now(), r.keys.toString(), reason);
        call.emit("onReceiveDtmfCompleted", () -> {
            try {
                listener.onReceiveDtmfCompleted(call, event);
            } finally {
                r.future.complete(event);
            }
        });
    }
}
