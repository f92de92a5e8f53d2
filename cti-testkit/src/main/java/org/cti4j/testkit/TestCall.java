package org.cti4j.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.CallState;
import org.cti4j.api.RecordFormat;
import org.cti4j.api.RecordOptions;

/**
 * One call of a {@link TestPhone}, inbound or outbound: what the test makes the phone do on it (play a tone, press
 * keys, hold, hang up) and what it asserts the phone heard (a tone, silence, keys, the hang-up).
 *
 * <p>From the moment the call is answered the phone records what it receives; every {@code await...} method waits,
 * up to its deadline, for what it names to be heard <em>after</em> what the previous {@code await} of this call
 * matched, and fails with an {@link AssertionError} that says what was heard instead:
 *
 * <pre>{@code
 * TestCall call = phone.call("ivr");
 * call.awaitAnswered(Duration.ofSeconds(5));
 * call.awaitTone(440, Duration.ofMillis(500), Duration.ofSeconds(5));   // the menu prompt
 * call.pressKeys("1");
 * call.awaitSilence(Duration.ofMillis(300), Duration.ofSeconds(5));     // the prompt stopped at the key
 * call.hangUp();
 * }</pre>
 *
 * <p>Thread-safe for the phone's events; the {@code await} methods are meant for one test thread.
 */
public final class TestCall {

    private final TestPhone phone;
    private final Path recording;
    private final Hearing hearing;
    private final CompletableFuture<Call> call = new CompletableFuture<>();
    private final CompletableFuture<Void> answered = new CompletableFuture<>();
    private final CompletableFuture<CallEvent.Released> released = new CompletableFuture<>();
    private final LinkedBlockingQueue<Character> keys = new LinkedBlockingQueue<>();
    private final AtomicBoolean hearingStarted = new AtomicBoolean();
    private final CompletableFuture<CallEvent.RecordCompleted> recorded = new CompletableFuture<>();

    TestCall(TestPhone phone, Path recording) {
        this.phone = phone;
        this.recording = recording;
        this.hearing = new Hearing(recording);
    }

    /** The listener the phone's engine reports this call to. */
    final CallListener listener = new CallListener() {
        @Override
        public void onAnswered(Call c, CallEvent.Answered event) {
            startHearing(c);
            answered.complete(null);
        }

        @Override
        public void onDtmf(Call c, CallEvent.Dtmf event) {
            keys.add(event.digit());
        }

        @Override
        public void onRecordCompleted(Call c, CallEvent.RecordCompleted event) {
            recorded.complete(event);
        }

        @Override
        public void onReleased(Call c, CallEvent.Released event) {
            recorded.complete(null);
            released.complete(event);
        }
    };

    void bind(Call engineCall) {
        call.complete(engineCall);
    }

    /** Answers an inbound call now (the phone's answer policy does it by itself; see {@link TestPhone}). */
    void answerNow() {
        Call c = call();
        c.answer();
        startHearing(c);
        answered.complete(null);
    }

    private void startHearing(Call c) {
        if (!hearingStarted.compareAndSet(false, true)) {
            return;
        }
        try {
            c.recordStart(RecordOptions.builder().recordFile(recording.toString()).recordFormat(RecordFormat.PCM_16BIT)
                    .stereo(true).recordOverwrite(true).build());
        } catch (RuntimeException e) {
            // answered and hung up at once: nothing to hear
            recorded.complete(null);
        }
    }

    /** Returns the engine call behind this one, for what the kit does not wrap. */
    public Call call() {
        return call.getNow(null);
    }

    /** Returns the phone this call is on. */
    public TestPhone phone() {
        return phone;
    }

    /**
     * Waits until the call is answered: by the far end for a call the phone placed, by the phone for one it received.
     *
     * @throws AssertionError if it is not answered within {@code timeout} (saying whether it was released instead)
     */
    public void awaitAnswered(Duration timeout) {
        try {
            answered.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            CallEvent.Released end = released.getNow(null);
            throw new AssertionError(phone + ": the call was not answered within " + seconds(timeout)
                    + (end != null ? "; it was released (cause " + end.cause() + ", dropped by " + end.droppedBy()
                    + ")" : "; it is " + describeState()));
        } catch (InterruptedException | ExecutionException e) {
            throw failure("waiting for the answer", e);
        }
    }

    /**
     * Waits until the call is released, by either side.
     *
     * @return the release event, as the phone saw it: its cause, and who dropped it — {@link
     *     org.cti4j.api.DroppedBy#USR} when the far end hung up (the engine under test, for instance),
     *     {@link org.cti4j.api.DroppedBy#SYS} when the phone did
     * @throws AssertionError if it is still up after {@code timeout}
     */
    public CallEvent.Released awaitReleased(Duration timeout) {
        try {
            return released.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(phone + ": the call was not released within " + seconds(timeout) + "; it is "
                    + describeState());
        } catch (InterruptedException | ExecutionException e) {
            throw failure("waiting for the release", e);
        }
    }

    /** Returns whether the call has been released. */
    public boolean isReleased() {
        return released.isDone();
    }

    /**
     * Plays a sine tone of {@code hertz} for {@code length} into the call (what the far end hears), replacing what the
     * phone played before.
     *
     * @return a stage completed when the tone has played (or was cut short)
     */
    public CompletionStage<CallEvent.PlayCompleted> playTone(double hertz, Duration length) {
        return playFile(phone.tone(hertz, length));
    }

    /** Plays a WAV file into the call (PCM 8 or 16-bit, A-law or µ-law, any rate, mono or stereo). */
    public CompletionStage<CallEvent.PlayCompleted> playFile(Path file) {
        return call().playStart(file.toString());
    }

    /**
     * Presses keys ({@code 0-9 * # A-D}, a comma for a pause), sent as RFC 4733 events, or SIP INFO when the far end
     * did not offer them.
     *
     * @return a stage completed when the last key was sent
     */
    public CompletionStage<CallEvent.SendDtmfCompleted> pressKeys(String keys) {
        return call().sendDtmfStart(keys);
    }

    /**
     * Puts the far end on hold, as a phone's hold key does: a re-INVITE offering this phone's media {@code sendonly}.
     * Once it returns, the far end sends nothing more, and what it still sends is not heard; what this phone plays
     * still reaches it.
     *
     * @throws AssertionError if the far end refused the hold or did not answer within {@code timeout}
     */
    public void hold(Duration timeout) {
        changeHold(true, timeout);
    }

    /**
     * Takes the far end off hold: a re-INVITE offering {@code sendrecv}.
     *
     * @throws AssertionError if the far end refused or did not answer within {@code timeout}
     */
    public void unhold(Duration timeout) {
        changeHold(false, timeout);
    }

    private void changeHold(boolean hold, Duration timeout) {
        String what = hold ? "hold" : "unhold";
        CompletionStage<CallEvent.HoldCompleted> stage = hold ? call().hold() : call().unhold();
        CallEvent.HoldCompleted completed;
        try {
            completed = stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(phone + ": the far end did not answer the " + what
                    + " within " + seconds(timeout), e);
        } catch (ExecutionException e) {
            throw new AssertionError(phone + ": " + what + " failed: " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (completed.error() != null) {
            throw new AssertionError(phone + ": the far end refused the " + what + ": "
                    + completed.error());
        }
    }

    /** Hangs up (a CANCEL or a 603 before the answer, a BYE after it). */
    public void hangUp() {
        Call c = call();
        if (c != null && c.state() != CallState.RELEASED) {
            c.drop();
        }
    }

    /**
     * Waits until the phone has heard {@code hertz} (±25 Hz) for {@code length} without a break, after what the
     * previous {@code await} matched.
     *
     * @throws AssertionError if it has not within {@code timeout}, saying what it heard instead
     */
    public void awaitTone(double hertz, Duration length, Duration timeout) {
        awaitSound(hertz, length, timeout, String.format(Locale.ROOT, "%.0f Hz", hertz));
    }

    /**
     * Waits until the phone has heard all of {@code hertz} at once (each ±25 Hz, mixed: each holding a fifth of the
     * sound or more) for {@code length} without a break, after what the previous {@code await} matched — what a
     * conference member hears of two others, for instance.
     *
     * @throws AssertionError if it has not within {@code timeout}, saying what it heard instead
     */
    public void awaitTones(Duration length, Duration timeout, double... hertz) {
        String what = Arrays.stream(hertz).mapToObj(h -> String.format(Locale.ROOT, "%.0f Hz", h))
                .collect(Collectors.joining(" with "));
        await(length, timeout, what, frames -> hearing.findTogether(hertz, frames));
    }

    /**
     * Asserts that in all the phone heard on this call so far, {@code hertz} was never there for more than 100 ms in
     * all (a fifth of the sound or more in a 20 ms frame): a caller does not hear its own voice back, a muted member
     * is not heard.
     *
     * @throws AssertionError saying how long it was heard
     */
    public void assertNotHeard(double hertz) {
        hearing.refresh();
        int frames = hearing.framesWith(hertz);
        if (frames > 5) {
            throw new AssertionError(String.format(Locale.ROOT, "%s heard %.0f Hz for %d ms of %.2f s", phone,
                    hertz, frames * 20, hearing.seconds()));
        }
    }

    /**
     * Waits until the phone has heard {@code length} of silence on end, after what the previous {@code await} matched.
     *
     * @throws AssertionError if it has not within {@code timeout}, saying what it heard instead
     */
    public void awaitSilence(Duration length, Duration timeout) {
        awaitSound(-1, length, timeout, "silence");
    }

    private void awaitSound(double hertz, Duration length, Duration timeout, String what) {
        await(length, timeout, what, frames -> hearing.find(hertz, frames));
    }

    private void await(Duration length, Duration timeout, String what, IntPredicate heard) {
        int frames = (int) Math.max(1, length.toMillis() / 20);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            hearing.refresh();
            if (heard.test(frames)) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(phone + " did not hear " + what + " for " + millis(length) + " within "
                        + seconds(timeout) + "; after " + String.format(Locale.ROOT, "%.2f", hearing.cursorSeconds())
                        + " s it heard: " + hearing.describe(12));
            }
            pause();
        }
    }

    /**
     * Waits until the phone has received {@code expected} keys (RFC 4733 or SIP INFO), in order, after the keys the
     * previous {@code awaitKeys} took.
     *
     * @throws AssertionError if other keys come, or not all of them within {@code timeout}
     */
    public void awaitKeys(String expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        StringBuilder got = new StringBuilder();
        for (char key : expected.toUpperCase(Locale.ROOT).toCharArray()) {
            Character next;
            try {
                next = keys.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                throw failure("waiting for keys", e);
            }
            if (next == null) {
                throw new AssertionError(phone + " did not receive the keys " + expected + " within "
                        + seconds(timeout) + "; it received " + (got.length() == 0 ? "none" : got));
            }
            got.append(next);
            if (Character.toUpperCase(next) != key) {
                throw new AssertionError(phone + " expected the keys " + expected + " but received " + got);
            }
        }
    }

    /** Returns every sample the phone heard so far on this call (8 kHz, 16-bit, mono). */
    public short[] heardAudio() {
        hearing.refresh();
        return hearing.samples();
    }

    /**
     * Returns the recording of the call as the phone had it: a two-channel WAV (8 kHz, 16-bit PCM), left what it
     * heard, right what it said. Complete once the call is released; deleted when the phone is closed.
     */
    public Path recording() {
        return recording;
    }

    /** Waits for the recording to be complete after the release, then deletes it. */
    void discard(Duration timeout) {
        try {
            recorded.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // deleted anyway
        }
        hearing.delete();
    }

    private String describeState() {
        Call c = call();
        return c == null ? "not placed" : c.state().toString();
    }

    /** Waits 20 ms between two looks at what was heard (or another condition polled to a deadline). */
    static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static AssertionError failure(String doing, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new AssertionError(doing + " failed: " + e, e);
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }

    @Override
    public String toString() {
        Call c = call();
        return phone + " call " + (c == null ? "(not placed)" : c.resId());
    }
}
