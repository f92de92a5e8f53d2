package org.cti4j.api.spi;

import org.cti4j.api.CtiEngine;

/**
 * Creates engines for {@link CtiEngine.Builder#build()}. An implementation registers itself in
 * {@code META-INF/services/org.cti4j.api.spi.CtiEngineProvider} and has a public no-argument constructor.
 */
public interface CtiEngineProvider {

    /**
     * Creates and starts an engine.
     *
     * @param config what the application configured
     * @return the running engine
     * @throws org.cti4j.api.EngineFailureException if it cannot start
     */
    CtiEngine create(EngineConfig config);
}
