package org.cti4j.api;

import java.util.Objects;

/**
 * The resource's state does not allow the operation: answering an outbound call, playing to a call that rings,
 * cancelling a connected duo callback, anything on a released resource. The message names the resource, its state
 * and the operation. Nothing was changed by the call that threw it.
 */
public final class InvalidStateException extends IllegalStateException implements CtiError {

    private static final long serialVersionUID = 1L;

    private final String resId;
    private final String state;
    private final String operation;
    private final String why;

    /**
     * Creates the exception.
     *
     * @param resId the resource's {@code res_id}
     * @param state the name of the state the resource is in
     * @param operation the refused operation
     * @param why why the state forbids it (without trailing period), or {@code null}
     */
    public InvalidStateException(String resId, String state, String operation, String why) {
        super(operation + " refused: " + resId + " is " + state + (why == null ? "" : " (" + why + ")"));
        this.resId = Objects.requireNonNull(resId, "resId");
        this.state = Objects.requireNonNull(state, "state");
        this.operation = Objects.requireNonNull(operation, "operation");
        this.why = why;
    }

    /** Returns the {@code res_id} of the resource that refused the operation. */
    public String resId() {
        return resId;
    }

    /** Returns the name of the state the resource was in. */
    public String state() {
        return state;
    }

    /** Returns the refused operation. */
    public String operation() {
        return operation;
    }

    /** Returns why the state forbids the operation, or {@code null} when the state says it all. */
    public String why() {
        return why;
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.INVALID_STATE;
    }
}
