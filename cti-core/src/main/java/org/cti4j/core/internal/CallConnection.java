package org.cti4j.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.ConnectEndReason;
import org.cti4j.api.ConnectOptions;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.core.spi.MediaConnection;
import org.cti4j.core.spi.MediaException;
import org.cti4j.core.spi.MediaOperation;
import org.cti4j.core.spi.MediaSession;

/**
 * Two answered calls of one engine connected by {@code connect_start}: the first (the call it was called on, which
 * hears {@code on_connect_completed}) and the second. Everything the connection decides is decided on the first call's
 * strand; the second call joins, leaves, asks to stop and reports its end by posting there, as a call and its
 * conference do.
 *
 * <pre>
 *  connect_start, on the first call's strand: both states checked (the second's as last published), the first
 *  claimed (it shows CONNECT) ─▶ PENDING; the second is asked on its strand
 *  PENDING ── the second joins (it shows CONNECT) ─▶ ACTIVE: the media connected one way or both, the pair
 *             recorded, max_seconds armed
 *          ── the second refuses (its state changed meanwhile: a race) ─▶ FAILED
 *  ACTIVE or PENDING ── max_seconds, connect_stop (either call), either call ends, a media failure ─▶ PARTING: the
 *             media parted, the second let go
 *  PARTING ── the recording's file complete (at once if none) ─▶ DONE: on_connect_completed, once
 * </pre>
 *
 * <p>A second call that joins a connection already parting (the first ended or stopped meanwhile) is let go at once.
 */
final class CallConnection {

    private enum Stage { PENDING, ACTIVE, PARTING, DONE }

    private final CallResource first;
    private final CallResource second;
    private final ConnectOptions options;
    /** The path the record file resolved to, or {@code null} when the pair is not recorded. */
    private final String recordPath;
    private final CallListener listener;
    private final CompletableFuture<CallEvent.ConnectCompleted> future = new CompletableFuture<>();
    private final StrandTimer maxTimer;

    // Confined to the first call's strand.
    private Stage stage = Stage.PENDING;
    private ConnectEndReason reason;
    private String error;
    private MediaSession firstSession;
    private Instant beginTime;
    private Instant endTime;
    private MediaConnection firstToSecond;
    private MediaConnection secondToFirst;
    private MediaOperation recording;
    private RecordingOutcome recorded;
    private boolean firstEnded;

    private CallConnection(CallResource first, CallResource second, ConnectOptions options, String recordPath,
            CallListener listener) {
        this.first = first;
        this.second = second;
        this.options = options;
        this.recordPath = recordPath;
        this.listener = listener;
        this.maxTimer = first.newTimer("max-connect");
    }

    /**
     * On the caller's thread: checks {@code options} and finds the second call.
     *
     * @throws InvalidArgumentException if the second call is the first, or the recording is refused
     * @throws org.cti4j.api.ResourceNotFoundException if the second call is not a live call of the engine
     */
    static CallConnection prepare(CallResource first, ConnectOptions options, CallListener listener) {
        Objects.requireNonNull(options, "options");
        if (options.call().equals(first.resId())) {
            throw new InvalidArgumentException("call_res_id", "call " + first + " cannot be connected to itself");
        }
        CallResource second = first.ctx.liveCall(options.call());
        String path = null;
        if (options.isRecorded()) {
            RecordingOutcome.requireRecordable(first.ctx.media, options.recordFormat(), options.recordFile());
            path = first.ctx.recordPath("record_file", options.recordFile(), options.recordOverwrite());
        }
        return new CallConnection(first, second, options, path, listener);
    }

    /** Returns a stage that completes with the {@code on_connect_completed} event, after the listener heard it. */
    CompletionStage<CallEvent.ConnectCompleted> completion() {
        return future.minimalCompletionStage();
    }

    /**
     * On the first call's strand, its state allowing it: checks the second call's published state and asks it to
     * join.
     *
     * @throws org.cti4j.api.InvalidStateException naming the second call if its state forbids it, or the first if
     *     the pair is to be recorded and the first call records already
     */
    void start(MediaSession session) {
        first.checkOnStrand("connection start");
        if (recordPath != null && first.isRecording()) {
            // A session has one recorder: the pair's recording would end the call's own.
            throw first.refused("connectStart", first.state().name(),
                    "a recording runs; stop it before connecting with a record_file");
        }
        second.requireAllowed(CallOp.CONNECT_START);
        firstSession = session;
        beginTime = first.now();
        second.post(() -> second.joinConnection(this));
    }

    /**
     * On {@code call}'s strand: refuses {@code record_start} on the first call while the connection records its
     * session (a session has one recorder).
     */
    void checkRecordStart(CallResource call) {
        if (call == first && recordPath != null && stage != Stage.DONE) {
            throw call.refused("recordStart", call.state().name(), "its connection to " + second
                    + " records it; record_file of connect_start is the recording");
        }
    }

    /** Returns the {@code res_id} of the other call of the two. */
    String peerOf(CallResource call) {
        return call == first ? second.resId() : first.resId();
    }

    /** On the second call's strand: its state changed since {@code connect_start} was accepted; it stays out. */
    void refused(String why) {
        first.post(() -> end(ConnectEndReason.FAILED, why));
    }

    /** On the second call's strand: it is a party now. */
    void joined(MediaSession secondSession) {
        first.post(() -> activate(secondSession));
    }

    /** On the first call's strand: connects the media, one way or both, records the pair and arms max_seconds. */
    private void activate(MediaSession secondSession) {
        if (stage != Stage.PENDING) {
            second.post(() -> second.leaveConnection(this));
            return;
        }
        stage = Stage.ACTIVE;
        MediaSession session = firstSession;
        try {
            if (options.mode().secondHearsFirst()) {
                firstToSecond = first.ctx.media.connect(session, secondSession);
            }
            if (options.mode().firstHearsSecond()) {
                secondToFirst = first.ctx.media.connect(secondSession, session);
            }
        } catch (MediaException e) {
            end(ConnectEndReason.FAILED, "the calls could not be connected: " + e.getMessage());
            return;
        }
        record(session);
        if (options.maxSeconds() > 0) {
            maxTimer.start(Duration.ofSeconds(options.maxSeconds()), () -> end(ConnectEndReason.MAX_SECONDS, null));
        }
    }

    /**
     * Records the pair: the first call's session, both directions mixed, or in stereo the first call's far end left and
     * what it is sent (the second call, as the mode lets it cross) right. Its outcome is reported at the end.
     */
    private void record(MediaSession session) {
        if (recordPath == null) {
            return;
        }
        recorded = new RecordingOutcome(first, options.recordFile());
        try {
            recording = session.record(recordPath, options.recordFormat(),
                    first.ctx.files.replaces(options.recordOverwrite()), options.recordStereo(), failure -> {
                        recorded.onCompleted(failure);
                        first.post(this::recordingEnded);
                    });
        } catch (MediaException e) {
            recorded.onCompleted("cannot record " + options.recordFile() + ": " + e.getMessage());
            recording = null;
        }
    }

    /** On {@code call}'s strand, the state allowing it: {@code connect_stop}. */
    void stop(CallResource call) {
        if (call == first) {
            end(ConnectEndReason.STOPPED, null);
        } else {
            first.post(() -> end(ConnectEndReason.STOPPED, null));
        }
    }

    /** On {@code call}'s strand: it ended; its session is closed. */
    void callEnded(CallResource call) {
        if (call == second) {
            first.post(() -> end(ConnectEndReason.PEER_HANGUP, null));
            return;
        }
        firstEnded = true;
        end(ConnectEndReason.HANGUP, null);
        if (stage == Stage.PARTING) {
            // The first call's session is closed: its recording's file is complete now.
            complete();
        }
    }

    /** On the first call's strand: parts the calls, unless they are parted already. */
    private void end(ConnectEndReason why, String failure) {
        first.checkOnStrand("connection end");
        if (stage != Stage.ACTIVE && stage != Stage.PENDING) {
            return;
        }
        stage = Stage.PARTING;
        reason = why;
        error = failure;
        endTime = first.now();
        maxTimer.cancel();
        for (MediaConnection flow : new MediaConnection[] {firstToSecond, secondToFirst}) {
            if (flow != null) {
                flow.close();
            }
        }
        second.post(() -> second.leaveConnection(this));
        if (recording != null && !firstEnded && !recorded.ended()) {
            recording.stop();
        }
        if (recording == null || firstEnded || recorded.ended()) {
            complete();
        }
        // Otherwise the recording's listener completes it once the file is complete.
    }

    /** On the first call's strand: the recording's file is complete. */
    private void recordingEnded() {
        if (stage == Stage.PARTING) {
            complete();
        }
    }

    /** On the first call's strand: reports the end, once; the first call is no longer a party. */
    private void complete() {
        if (stage != Stage.PARTING) {
            return;
        }
        stage = Stage.DONE;
        first.leaveConnection(this);
        String recordError = recorded != null ? recorded.error() : null;
        CallEvent.ConnectCompleted event = new CallEvent.ConnectCompleted(first.resId(), second.resId(), reason,
                beginTime, endTime, options.recordFile(), error != null ? error : recordError);
        first.emit("onConnectCompleted", () -> {
            try {
                listener.onConnectCompleted(first, event);
            } finally {
                future.complete(event);
            }
        });
    }
}
