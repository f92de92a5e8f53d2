package org.cti4j.api;

import java.util.Objects;

/**
 * Why an outbound dial failed: the final SIP status and a description, such as {@code 486 Busy Here} or
 * {@code 408 no answer within 50 s}.
 *
 * @param status the SIP status code, which is also the call's {@code cause}: the far end's final response
 *     (486, 603, ...), 487 when this side cancelled, 408 when nobody answered in time
 * @param reason the reason phrase or a description of what happened
 */
public record DialError(int status, String reason) {

    /** Checks the parts. */
    public DialError {
        Objects.requireNonNull(reason, "reason");
    }

    /** Returns {@code "<status> <reason>"}, for instance {@code 486 Busy Here}. */
    @Override
    public String toString() {
        return status + " " + reason;
    }
}
