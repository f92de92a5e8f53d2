package org.cti4j.api;

/**
 * An event of a {@link Call}: one record per event of the specification, each carrying every parameter it names.
 * Times are the engine's clock, with millisecond precision (the wire format sends Unix seconds).
 */
public sealed interface CallEvent
        permits CallEvent.Incoming, CallEvent.DialCompleted, CallEvent.Answered, CallEvent.Released,
        CallEvent.PlayCompleted, CallEvent.RecordCompleted, CallEvent.Dtmf, CallEvent.ReceiveDtmfCompleted,
        CallEvent.Ringing, CallEvent.SendDtmfCompleted, CallEvent.ConnectCompleted, CallEvent.HoldCompleted {

    /** Returns the {@code res_id} of the call the event is about. */
    String resId();

    /**
     * {@code on_incoming}: a new inbound call. The application answers, drops or redirects it.
     *
     * @param resId the call's {@code res_id}
     * @param fromUri the caller
     * @param toUri the callee
     * @param beginTime when the engine received the call
     */
    record Incoming(String resId, SipUri fromUri, SipUri toUri, java.time.Instant beginTime) implements CallEvent {
    }

    /**
     * {@code on_dial_completed}: outbound dialling ended, answered or not.
     *
     * @param resId the call's {@code res_id}
     * @param beginTime when dialling began
     * @param answerTime when the far end answered; {@code null} if it did not
     * @param endTime when dialling ended (not the call)
     * @param error why dialling failed; {@code null} when the far end answered
     */
    record DialCompleted(String resId, java.time.Instant beginTime, java.time.Instant answerTime,
            java.time.Instant endTime, DialError error) implements CallEvent {

        /** Returns whether the far end answered. */
        public boolean answered() {
            return error == null;
        }
    }

    /**
     * {@code on_answered}: the far end of an outbound call answered.
     *
     * @param resId the call's {@code res_id}
     * @param answerTime when it answered
     */
    record Answered(String resId, java.time.Instant answerTime) implements CallEvent {
    }

    /**
     * {@code on_released}: the call ended. Always the last event of a call, and sent exactly once.
     *
     * @param resId the call's {@code res_id}
     * @param callDir the call's direction
     * @param fromUri the caller
     * @param toUri the callee
     * @param beginTime when the call began
     * @param answerTime when it was answered; {@code null} if it never was
     * @param endTime when it ended
     * @param droppedBy which side ended it
     * @param cause the SIP status code of the end: a failed dial's final status (486, 603, 408, 487, ...), the code
     *     given to {@code drop} or 302 for {@code redirect}, a BYE's {@code Reason} code, else 200
     * @param userData the application's {@code user_data} of the call
     */
    record Released(String resId, CallDirection callDir, SipUri fromUri, SipUri toUri, java.time.Instant beginTime,
            java.time.Instant answerTime, java.time.Instant endTime, DroppedBy droppedBy, int cause, String userData)
            implements CallEvent {
    }

    /**
     * {@code on_play_completed}: a playback ended.
     *
     * @param resId the call's {@code res_id}
     * @param playFile the file that was played; of a playlist, its first file
     * @param reason why it ended
     * @param finishKey the DTMF key that stopped it when {@code reason} is {@link PlayEndReason#FINISH_KEY};
     *     otherwise {@code null}
     * @param error what went wrong when {@code reason} is {@link PlayEndReason#FAILED}; otherwise {@code null}
     */
    record PlayCompleted(String resId, String playFile, PlayEndReason reason, Character finishKey, String error)
            implements CallEvent {

        /** Creates the event of a playback that no finish key stopped. */
        public PlayCompleted(String resId, String playFile, PlayEndReason reason, String error) {
            this(resId, playFile, reason, null, error);
        }
    }

    /**
     * {@code on_record_completed}: a recording ended. The file is complete and playable whatever the reason, unless
     * the reason is {@link RecordEndReason#FAILED}.
     *
     * @param resId the call's {@code res_id}
     * @param recordFile the file recorded to
     * @param reason why it ended
     * @param finishKey the DTMF key that ended it when {@code reason} is {@link RecordEndReason#FINISH_KEY};
     *     otherwise {@code null}
     * @param error what went wrong when {@code reason} is {@link RecordEndReason#FAILED}; otherwise {@code null}
     */
    record RecordCompleted(String resId, String recordFile, RecordEndReason reason, Character finishKey, String error)
            implements CallEvent {
    }

    /**
     * A DTMF key the far end pressed (RFC 4733 telephone-event or SIP INFO). An addition of cti4j's: the
     * specification has no such event; it is what an IVR needs.
     *
     * @param resId the call's {@code res_id}
     * @param digit {@code 0-9}, {@code *}, {@code #} or {@code A-D}
     */
    record Dtmf(String resId, char digit) implements CallEvent {
    }

    /**
     * {@code on_receive_dtmf_completed}: a digit collection started with {@link Call#receiveDtmfStart} ended.
     *
     * @param resId the call's {@code res_id}
     * @param error what went wrong when {@code reason} is {@link ReceiveDtmfEndReason#FAILED}; otherwise {@code null}
     * @param beginTime when the collection started
     * @param endTime when it ended
     * @param keys the keys collected, in order (letters upper case); the finish key last only with
     *     {@code including_finish_key}; empty when none came
     * @param reason why it ended (cti4j's addition: the specification's event says it only through {@code error})
     */
    record ReceiveDtmfCompleted(String resId, String error, java.time.Instant beginTime, java.time.Instant endTime,
            String keys, ReceiveDtmfEndReason reason) implements CallEvent {
    }

    /**
     * {@code on_ringing}: the far end of an outbound call rang — its first 180 Ringing or 183 Session Progress. Sent
     * once per call, before {@code on_dial_completed}; a call answered without a provisional response has none.
     *
     * @param resId the call's {@code res_id}
     * @param ringTime when the far end started ringing
     */
    record Ringing(String resId, java.time.Instant ringTime) implements CallEvent {
    }

    /**
     * {@code on_send_dtmf_completed}: keys sent with {@link Call#sendDtmfStart} are all sent, or could not be.
     *
     * @param resId the call's {@code res_id}
     * @param keys the keys as given
     * @param reason why it ended
     * @param error what went wrong when {@code reason} is {@link SendDtmfEndReason#FAILED}; otherwise {@code null}
     */
    record SendDtmfCompleted(String resId, String keys, SendDtmfEndReason reason, String error) implements CallEvent {
    }

    /**
     * {@code on_connect_completed}: a connection started with {@link Call#connectStart} on this call ended. Sent once,
     * to the first call's listener only.
     *
     * @param resId the first call's {@code res_id}
     * @param callResId the second call's {@code res_id}
     * @param reason why it ended
     * @param beginTime when the calls were connected (when {@code connect_start} was accepted)
     * @param endTime when they were parted
     * @param recordFile the recording's file as given, or empty when none was asked for
     * @param error why the media could not be connected ({@link ConnectEndReason#FAILED}) or why the recording
     *     failed; {@code null} when all went well
     */
    record ConnectCompleted(String resId, String callResId, ConnectEndReason reason, java.time.Instant beginTime,
            java.time.Instant endTime, String recordFile, String error) implements CallEvent {
    }

    /**
     * {@code on_hold_completed}: the far end answered the re-INVITE of {@link Call#hold()} or {@link Call#unhold()},
     * or could not be asked. Sent once for each one the engine accepted.
     *
     * @param resId the call's {@code res_id}
     * @param held whether the far end is on hold now: what was asked when all went well, what it was before when not
     * @param error why the far end did not take the change (its answer, e.g. {@code "491 Request Pending"}; a
     *     timeout; the call ending first); {@code null} when it did
     */
    record HoldCompleted(String resId, boolean held, String error) implements CallEvent {
    }
}
