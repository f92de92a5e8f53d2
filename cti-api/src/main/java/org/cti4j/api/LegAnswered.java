package org.cti4j.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A call leg was answered: an outbound leg got its 200 OK, or an inbound call was answered by the application.
 * Given to {@link CdrListener#onLegAnswered}.
 *
 * @param resId the {@code res_id} of the call, or of the duo callback the leg belongs to
 * @param leg 0 for a call, 1 or 2 for the legs of a duo callback
 * @param answerTime when it was answered, as its CDR's {@code answerTime}
 * @param userData the leg's {@code user_data} from now on (an inbound call's is the one given to {@code answer})
 */
public record LegAnswered(String resId, int leg, Instant answerTime, String userData) {

    /** Checks that no part is absent. */
    public LegAnswered {
        Objects.requireNonNull(resId, "resId");
        Objects.requireNonNull(answerTime, "answerTime");
        Objects.requireNonNull(userData, "userData");
    }
}
