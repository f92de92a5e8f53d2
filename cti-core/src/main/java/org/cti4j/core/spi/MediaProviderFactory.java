package org.cti4j.core.spi;

import java.util.Map;

/**
 * Creates the media provider for an engine built through {@link org.cti4j.api.CtiEngine#builder()}. Registered with
 * {@link java.util.ServiceLoader} by {@code cti-media}.
 */
public interface MediaProviderFactory {

    /**
     * Creates a provider.
     *
     * @param properties the engine builder's properties (the provider documents the keys it reads)
     */
    MediaProvider create(Map<String, String> properties);
}
