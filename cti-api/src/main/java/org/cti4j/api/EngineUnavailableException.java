package org.cti4j.api;

/**
 * The engine takes no new work for now, and nothing was started: it drains before it stops, or it is at one of its
 * configured limits (the most live calls, the most new calls per second), which protect the calls it already has.
 * The message says which. Another engine may take the work; this one may take it later.
 */
public final class EngineUnavailableException extends RuntimeException implements CtiError {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says why the engine takes no new work. */
    public EngineUnavailableException(String message) {
        super(message);
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.UNAVAILABLE;
    }
}
