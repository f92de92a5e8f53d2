package org.cti4j.api;

/**
 * Implemented by every exception cti4j throws on purpose, to give its stable {@link ErrorCode}.
 *
 * <p>The exceptions themselves extend the JDK's usual types, so that code which already catches
 * {@link IllegalArgumentException} or {@link IllegalStateException} keeps working:
 * <ul>
 *   <li>{@link InvalidArgumentException} — an {@link IllegalArgumentException}: a bad parameter;</li>
 *   <li>{@link InvalidStateException} — an {@link IllegalStateException}: the resource's state forbids the
 *       operation;</li>
 *   <li>{@link ResourceNotFoundException} — a {@link java.util.NoSuchElementException}: unknown {@code res_id};</li>
 *   <li>{@link EngineFailureException} — the engine failed (no implementation, shut down, out of ports);</li>
 *   <li>{@link EngineUnavailableException} — the engine takes no new work for now (it drains, or is at its
 *       limits): nothing was started.</li>
 * </ul>
 */
public sealed interface CtiError
        permits InvalidArgumentException, InvalidStateException, ResourceNotFoundException, EngineFailureException,
        EngineUnavailableException {

    /** Returns the stable code of this error. */
    ErrorCode errorCode();
}
