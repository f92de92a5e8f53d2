package org.cti4j.api;

/**
 * Receives a {@link CdrRecord} for every call leg that ends, exactly once per leg.
 *
 * <p>Called on the engine's event executor, one record at a time for a given resource, after the resource's
 * {@code onReleased}. It must be quick and must not block for long (hand slow writes to a queue of your own); an
 * exception it throws is logged and the engine goes on.
 */
@FunctionalInterface
public interface CdrListener {

    /** Called with the record of a call leg that ended. */
    void onCdr(CdrRecord record);
}
