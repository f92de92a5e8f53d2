package org.cti4j.api;

import java.time.Instant;

/** An event of a {@link Conference}. */
public sealed interface ConferenceEvent
        permits ConferenceEvent.MemberEntered, ConferenceEvent.MemberExited, ConferenceEvent.Released {

    /** Returns the {@code res_id} of the conference the event is about. */
    String resId();

    /**
     * A call entered the conference.
     *
     * @param resId the conference's {@code res_id}
     * @param callResId the call's {@code res_id}
     */
    record MemberEntered(String resId, String callResId) implements ConferenceEvent {
    }

    /**
     * A call left the conference: by {@code conf_exit}, by hanging up, or because the conference ended.
     *
     * @param resId the conference's {@code res_id}
     * @param callResId the call's {@code res_id}
     */
    record MemberExited(String resId, String callResId) implements ConferenceEvent {
    }

    /**
     * {@code on_released}: the conference ended. Always its last event, and sent exactly once.
     *
     * @param resId the conference's {@code res_id}
     * @param beginTime when it was created
     * @param endTime when it ended
     * @param reason why it ended
     * @param userData the application's {@code user_data}
     * @param recordError {@code record_error}: why the conference's recording failed (its file is incomplete or
     *     missing); {@code null} if its file is complete, or if it was not recorded
     */
    record Released(String resId, Instant beginTime, Instant endTime, ConferenceEndReason reason, String userData,
            String recordError) implements ConferenceEvent {

        /** Creates the event of a conference whose recording, if any, is complete. */
        public Released(String resId, Instant beginTime, Instant endTime, ConferenceEndReason reason,
                String userData) {
            this(resId, beginTime, endTime, reason, userData, null);
        }
    }
}
