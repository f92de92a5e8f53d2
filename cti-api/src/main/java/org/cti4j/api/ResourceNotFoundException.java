package org.cti4j.api;

import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * No resource has the given {@code res_id}: it never existed, it is of another kind than asked for, or it was
 * released (released resources leave the engine's registry).
 */
public final class ResourceNotFoundException extends NoSuchElementException implements CtiError {

    private static final long serialVersionUID = 1L;

    private final String resId;

    /**
     * Creates the exception.
     *
     * @param resId the {@code res_id} that was looked up
     * @param message the message, naming {@code resId}
     */
    public ResourceNotFoundException(String resId, String message) {
        super(message);
        this.resId = Objects.requireNonNull(resId, "resId");
    }

    /** Returns the {@code res_id} that was not found. */
    public String resId() {
        return resId;
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.NOT_FOUND;
    }
}
