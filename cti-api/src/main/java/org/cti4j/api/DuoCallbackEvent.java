package org.cti4j.api;

import java.time.Instant;

/** An event of a {@link DuoCallback}. */
public sealed interface DuoCallbackEvent permits DuoCallbackEvent.StateChanged, DuoCallbackEvent.Released {

    /** Returns the {@code res_id} of the duo callback the event is about. */
    String resId();

    /**
     * The duo callback moved from one state to another (an addition of cti4j's; the specification has only
     * {@code on_released}). The move to {@link DuoCallbackState#RELEASED} is reported here too, just before
     * {@link Released}.
     *
     * @param resId the duo callback's {@code res_id}
     * @param from the state it left
     * @param to the state it entered
     * @param time when it moved
     */
    record StateChanged(String resId, DuoCallbackState from, DuoCallbackState to, Instant time)
            implements DuoCallbackEvent {
    }

    /**
     * {@code on_released}: the duo callback ended. Always its last event, and sent exactly once.
     *
     * @param resId the duo callback's {@code res_id}
     * @param error what failed, such as {@code party 2: 486 Busy Here}, {@code party 1: no answer within 30 s} or
     *     {@code cancelled}; {@code null} when the conversation took place and ended normally (a hang-up by either
     *     party, or {@code max_connect_seconds} reached)
     * @param beginTime when the duo callback began
     * @param answerTime when party 1 answered; {@code null} if it did not
     * @param connectTime when party 2 answered and the bridge began; {@code null} if it did not
     * @param endTime when it ended
     * @param userData {@code user_data1}, as the specification's {@code user_data}
     * @param userData2 {@code user_data2}
     * @param recordFile {@code record_file}: the file recorded to; {@code null} if no recording was started (none
     *     was asked for, or the duo callback ended before its {@code record_mode} started it)
     * @param recordError {@code record_error}: why the recording failed (the file is incomplete or missing), such as
     *     {@code cannot record /rec/a.wav: No space left on device}; {@code null} if its file is complete, or if there
     *     was no recording
     */
    record Released(String resId, String error, Instant beginTime, Instant answerTime, Instant connectTime,
            Instant endTime, String userData, String userData2, String recordFile, String recordError)
            implements DuoCallbackEvent {

        /** Creates the event of a duo callback that made no recording. */
        public Released(String resId, String error, Instant beginTime, Instant answerTime, Instant connectTime,
                Instant endTime, String userData, String userData2) {
            this(resId, error, beginTime, answerTime, connectTime, endTime, userData, userData2, null, null);
        }
    }
}
