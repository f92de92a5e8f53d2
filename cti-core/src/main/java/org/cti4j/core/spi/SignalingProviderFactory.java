package org.cti4j.core.spi;

import java.util.Map;

/**
 * Creates the signalling provider for an engine built through {@link org.cti4j.api.CtiEngine#builder()}. Registered
 * with {@link java.util.ServiceLoader} by {@code cti-sip}.
 */
public interface SignalingProviderFactory {

    /**
     * Creates a provider.
     *
     * @param properties the engine builder's properties (the provider documents the keys it reads)
     */
    SignalingProvider create(Map<String, String> properties);
}
