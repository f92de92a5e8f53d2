package org.cti4j.core.spi;

/** A one-way flow of media from one session to another ({@link MediaProvider#connect}). */
public interface MediaConnection extends AutoCloseable {

    /** Stops the flow. Safe to call twice. */
    @Override
    void close();
}
