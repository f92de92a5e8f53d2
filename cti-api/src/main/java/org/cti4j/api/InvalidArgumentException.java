package org.cti4j.api;

import java.util.Objects;

/**
 * A parameter is missing, malformed or out of range. The message names the parameter (as the specification spells
 * it, such as {@code max_ring_seconds}) and the rejected value. Nothing was changed by the call that threw it.
 */
public final class InvalidArgumentException extends IllegalArgumentException implements CtiError {

    private static final long serialVersionUID = 1L;

    private final String parameter;

    /**
     * Creates the exception.
     *
     * @param parameter the parameter's name as the specification spells it
     * @param message the whole message, naming the parameter and the value
     */
    public InvalidArgumentException(String parameter, String message) {
        super(message);
        this.parameter = Objects.requireNonNull(parameter, "parameter");
    }

    /** Returns the name of the rejected parameter, as the specification spells it. */
    public String parameter() {
        return parameter;
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.INVALID_ARGUMENT;
    }
}
