package org.cti4j.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A call leg began: what its {@link CdrRecord} will say about its start. Given to
 * {@link CdrListener#onLegStarted}, so that a CDR writer can note the leg before it ends (and write a record for it
 * even if the process dies before the leg ends).
 *
 * @param resId the {@code res_id} of the call, or of the duo callback the leg belongs to
 * @param leg 0 for a call, 1 or 2 for the legs of a duo callback
 * @param callDir the leg's direction
 * @param fromUri the caller
 * @param toUri the callee
 * @param beginTime when the leg began, as its CDR's {@code beginTime}
 * @param userData the leg's {@code user_data} so far (an inbound call gets its own when answered)
 */
public record LegStarted(String resId, int leg, CallDirection callDir, SipUri fromUri, SipUri toUri,
        Instant beginTime, String userData) {

    /** Checks that no part is absent. */
    public LegStarted {
        Objects.requireNonNull(resId, "resId");
        Objects.requireNonNull(callDir, "callDir");
        Objects.requireNonNull(fromUri, "fromUri");
        Objects.requireNonNull(toUri, "toUri");
        Objects.requireNonNull(beginTime, "beginTime");
        Objects.requireNonNull(userData, "userData");
    }
}
