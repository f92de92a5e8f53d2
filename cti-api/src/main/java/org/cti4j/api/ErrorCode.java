package org.cti4j.api;

/**
 * Stable error codes. Each cti4j exception carries one (see {@link CtiError}); the JSON-RPC interface sends the same
 * numbers as its error codes, so a remote client and an embedded one see the same code for the same mistake.
 */
public enum ErrorCode {
    /** A parameter is missing, malformed or out of range (JSON-RPC's "invalid params"). */
    INVALID_ARGUMENT(-32602),
    /** No resource has the given {@code res_id} (or it was released). */
    NOT_FOUND(404),
    /** The resource's current state does not allow the operation. */
    INVALID_STATE(409),
    /** The engine could not do what it was asked, through no fault of the caller. */
    ENGINE_FAILURE(500),
    /**
     * The engine takes no new work for now: it drains, or it is at one of its configured limits (live calls, new
     * calls per second). Nothing was started; place the work on another engine, or try again later.
     */
    UNAVAILABLE(503);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** Returns the numeric code. */
    public int code() {
        return code;
    }
}
