package org.cti4j.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A call detail record: one for every call leg that ended, written exactly once.
 *
 * <p>A plain call gives one record ({@code leg} 0). A duo callback gives one for party 1 ({@code leg} 1, with
 * {@code user_data1}) and, if party 2 was dialled, one for party 2 ({@code leg} 2, with {@code user_data2}); both
 * carry the duo callback's {@code res_id}.
 *
 * @param resId the {@code res_id} of the call, or of the duo callback the leg belongs to
 * @param leg 0 for a call, 1 or 2 for the legs of a duo callback
 * @param callDir the leg's direction
 * @param fromUri the caller
 * @param toUri the callee
 * @param beginTime when the leg began
 * @param answerTime when it was answered; {@code null} if it never was
 * @param endTime when it ended
 * @param droppedBy which side ended it
 * @param cause the SIP status code of the end, as in {@link CallEvent.Released#cause()}
 * @param userData the application's {@code user_data} for the leg
 * @param error why dialling failed; {@code null} if it did not
 * @param recordFile {@code record_file}: the file of the leg's recording (a duo callback's recording, on both of its
 *     legs' records; a call's last recording); {@code null} if none was started
 * @param recordError {@code record_error}: why that recording failed (its file is incomplete or missing);
 *     {@code null} if its file is complete, or if there was no recording
 */
public record CdrRecord(String resId, int leg, CallDirection callDir, SipUri fromUri, SipUri toUri, Instant beginTime,
        Instant answerTime, Instant endTime, DroppedBy droppedBy, int cause, String userData, DialError error,
        String recordFile, String recordError) {

    /** Checks the parts that may not be absent. */
    public CdrRecord {
        Objects.requireNonNull(resId, "resId");
        Objects.requireNonNull(callDir, "callDir");
        Objects.requireNonNull(fromUri, "fromUri");
        Objects.requireNonNull(toUri, "toUri");
        Objects.requireNonNull(beginTime, "beginTime");
        Objects.requireNonNull(endTime, "endTime");
        Objects.requireNonNull(droppedBy, "droppedBy");
        Objects.requireNonNull(userData, "userData");
    }

    /** Creates a record of a leg that made no recording. */
    public CdrRecord(String resId, int leg, CallDirection callDir, SipUri fromUri, SipUri toUri, Instant beginTime,
            Instant answerTime, Instant endTime, DroppedBy droppedBy, int cause, String userData, DialError error) {
        this(resId, leg, callDir, fromUri, toUri, beginTime, answerTime, endTime, droppedBy, cause, userData, error,
                null, null);
    }
}
