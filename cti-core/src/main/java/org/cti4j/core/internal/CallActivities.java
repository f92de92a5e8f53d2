package org.cti4j.core.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.PlayEndReason;
import org.cti4j.api.PlayOptions;
import org.cti4j.api.RecordEndReason;
import org.cti4j.api.RecordFormat;
import org.cti4j.api.RecordOptions;
import org.cti4j.api.SendDtmfEndReason;
import org.cti4j.core.spi.MediaException;
import org.cti4j.core.spi.MediaOperation;
import org.cti4j.core.spi.MediaSession;
import org.cti4j.core.spi.PlaySource;

/**
 * The playback, the recording and the keys being sent of one call: what runs, how each is to be reported when it ends (finished, stopped,
 * by a finish key, by the hang-up, failed), and the last recording's outcome for the CDR. Strand-confined: used only
 * on its call's strand.
 */
final class CallActivities {

    private final CallResource call;
    private final CallListener listener;
    private Activity<CallEvent.PlayCompleted> play;
    private Activity<CallEvent.RecordCompleted> record;
    private Activity<CallEvent.SendDtmfCompleted> send;
    private PlayOptions playOptions;
    private RecordOptions recordOptions;
    /** The last recording's file and outcome, for the CDR. */
    private String lastRecordFile;
    private String lastRecordError;

    /** A playback or recording under way, and how it is to be reported. */
    private static final class Activity<E> {
        final String file;
        final CompletableFuture<E> future;
        MediaOperation operation;
        boolean stopRequested;
        Character finishKey;
        /** Set by the media provider's listener, on any thread: known as soon as closing the session returns. */
        volatile boolean ended;
        volatile String error;

        Activity(String file, CompletableFuture<E> future) {
            this.file = file;
            this.future = future;
        }
    }

    CallActivities(CallResource call, CallListener listener) {
        this.call = call;
        this.listener = listener;
    }

    boolean playing() {
        return play != null;
    }

    boolean recording() {
        return record != null;
    }

    boolean sending() {
        return send != null;
    }

    /**
     * Sends {@code keys} (checked) to {@code leg}'s far end: as RFC 4733 events by its session if the far end
     * negotiated them, else by SIP INFO ({@link DtmfInfoSequence}); completes {@code future} when they are sent, or
     * cannot be.
     */
    void startSend(String keys, Leg leg, CompletableFuture<CallEvent.SendDtmfCompleted> future) {
        call.checkOnStrand("sendDtmfStart");
        Activity<CallEvent.SendDtmfCompleted> activity = new Activity<>(keys, future);
        send = activity;
        MediaSession session = leg.session();
        if (!session.canSendDtmfEvents()) {
            activity.operation = DtmfInfoSequence.start(call, leg.signalingLeg(), keys,
                    error -> call.post(() -> sendEnded(activity, error)));
            return;
        }
        try {
            activity.operation = session.sendDtmf(keys, error -> call.post(() -> sendEnded(activity, error)));
        } catch (MediaException e) {
            sendEnded(activity, e.getMessage());
        }
    }

    /** Stops the keys being sent once the key under way is sent whole; asking twice changes nothing. */
    void stopSend() {
        if (send.operation == null || send.stopRequested) {
            return;
        }
        send.stopRequested = true;
        send.operation.stop();
    }

    private void sendEnded(Activity<CallEvent.SendDtmfCompleted> activity, String error) {
        if (send == activity) {
            SendDtmfEndReason reason = error != null ? SendDtmfEndReason.FAILED
                    : activity.stopRequested ? SendDtmfEndReason.STOPPED : SendDtmfEndReason.FINISHED;
            finishSend(reason, error);
        }
    }

    private void finishSend(SendDtmfEndReason reason, String error) {
        Activity<CallEvent.SendDtmfCompleted> activity = send;
        send = null;
        call.publish();
        CallEvent.SendDtmfCompleted event = new CallEvent.SendDtmfCompleted(call.resId(), activity.file, reason, error);
        call.emit("onSendDtmfCompleted", () -> {
            try {
                listener.onSendDtmfCompleted(call, event);
            } finally {
                activity.future.complete(event);
            }
        });
    }

    /** Returns the file of the last recording that ended, or {@code null}. */
    String lastRecordFile() {
        return lastRecordFile;
    }

    /** Returns why the last recording failed, or {@code null}. */
    String lastRecordError() {
        return lastRecordError;
    }

    /**
     * Plays {@code paths} (the files of {@code options}, mapped) to {@code session}; completes {@code future} at its
     * end. The event names the first file as given.
     */
    void startPlay(PlayOptions options, List<String> paths, MediaSession session,
            CompletableFuture<CallEvent.PlayCompleted> future) {
        call.checkOnStrand("playStart");
        Activity<CallEvent.PlayCompleted> activity = new Activity<>(options.firstFile(), future);
        play = activity;
        playOptions = options;
        PlaySource source = paths.size() == 1 && options.playRepeat() == 0 ? new PlaySource.File(paths.get(0), false)
                : new PlaySource.Playlist(paths, options.playRepeat());
        try {
            activity.operation = session.play(source, error -> call.post(() -> playEnded(activity, error)));
        } catch (MediaException e) {
            playEnded(activity, e.getMessage());
        }
    }

    /** Stops the playback, by the application ({@code finishKey} {@code null}) or by a finish key. */
    void stopPlay(Character finishKey) {
        if (play.operation == null || play.stopRequested) {
            return;
        }
        play.stopRequested = true;
        play.finishKey = finishKey;
        play.operation.stop();
    }

    private void playEnded(Activity<CallEvent.PlayCompleted> activity, String error) {
        if (play != activity) {
            return;
        }
        PlayEndReason reason = error != null ? PlayEndReason.FAILED
                : !activity.stopRequested ? PlayEndReason.FINISHED
                : activity.finishKey != null ? PlayEndReason.FINISH_KEY : PlayEndReason.STOPPED;
        finishPlay(reason, error);
    }

    private void finishPlay(PlayEndReason reason, String error) {
        Activity<CallEvent.PlayCompleted> activity = play;
        play = null;
        playOptions = null;
        call.publish();
        CallEvent.PlayCompleted event = new CallEvent.PlayCompleted(call.resId(), activity.file, reason,
                reason == PlayEndReason.FINISH_KEY ? activity.finishKey : null, error);
        call.emit("onPlayCompleted", () -> {
            try {
                listener.onPlayCompleted(call, event);
            } finally {
                activity.future.complete(event);
            }
        });
    }

    /** Records {@code session} to {@code path}, as {@code options} say; completes {@code future} at its end. */
    void startRecord(RecordOptions options, String path, boolean replace, MediaSession session,
            CompletableFuture<CallEvent.RecordCompleted> future) {
        call.checkOnStrand("recordStart");
        Activity<CallEvent.RecordCompleted> activity = new Activity<>(options.recordFile(), future);
        record = activity;
        recordOptions = options;
        RecordFormat format = options.recordFormat();
        try {
            activity.operation = session.record(path, format, replace, options.recordStereo(), error -> {
                activity.error = error;
                activity.ended = true;
                call.post(() -> recordEnded(activity, error));
            });
        } catch (MediaException e) {
            recordEnded(activity, e.getMessage());
        }
    }

    /** Stops the recording, by the application ({@code finishKey} {@code null}) or by a finish key. */
    void stopRecord(Character finishKey) {
        if (record.operation == null || record.stopRequested) {
            return;
        }
        record.stopRequested = true;
        record.finishKey = finishKey;
        record.operation.stop();
    }

    /** The far end pressed {@code digit}: a finish key of the running playback or recording stops it. */
    void onDtmf(char digit) {
        if (play != null && playOptions.isFinishKey(digit)) {
            stopPlay(Character.toUpperCase(digit));
        }
        if (record != null && recordOptions.isFinishKey(digit)) {
            stopRecord(Character.toUpperCase(digit));
        }
    }

    private void recordEnded(Activity<CallEvent.RecordCompleted> activity, String error) {
        if (record != activity) {
            return;
        }
        RecordEndReason reason = error != null ? RecordEndReason.FAILED
                : activity.finishKey != null ? RecordEndReason.FINISH_KEY : RecordEndReason.STOPPED;
        finishRecord(reason, error);
    }

    private void finishRecord(RecordEndReason reason, String error) {
        Activity<CallEvent.RecordCompleted> activity = record;
        record = null;
        recordOptions = null;
        lastRecordFile = activity.file;
        lastRecordError = error;
        call.publish();
        CallEvent.RecordCompleted event = new CallEvent.RecordCompleted(call.resId(), activity.file, reason,
                reason == RecordEndReason.FINISH_KEY ? activity.finishKey : null, error);
        call.emit("onRecordCompleted", () -> {
            try {
                listener.onRecordCompleted(call, event);
            } finally {
                activity.future.complete(event);
            }
        });
    }

    /** The call ended and its session is closed: what still ran ends by the hang-up, or as the file's closing said. */
    void onCallEnded() {
        if (play != null) {
            finishPlay(PlayEndReason.HANGUP, null);
        }
        if (send != null) {
            if (send.operation instanceof DtmfInfoSequence info) {
                info.abandon();
            }
            finishSend(SendDtmfEndReason.HANGUP, null);
        }
        if (record != null) {
            // The session is closed: the media provider finished the file when it closed it, and told how.
            String error = record.ended ? record.error : "the recording had not ended when its session closed";
            finishRecord(error != null ? RecordEndReason.FAILED : RecordEndReason.HANGUP, error);
        }
    }
}
