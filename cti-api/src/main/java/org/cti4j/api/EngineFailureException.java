package org.cti4j.api;

/**
 * The engine could not do what it was asked through no fault of the caller: it is shut down, no implementation is
 * on the class path, it ran out of RTP ports, a provider failed to start.
 */
public final class EngineFailureException extends RuntimeException implements CtiError {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what failed. */
    public EngineFailureException(String message) {
        super(message);
    }

    /** Creates the exception with a message that says what failed, and its cause. */
    public EngineFailureException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.ENGINE_FAILURE;
    }
}
