package org.cti4j.core.spi;

import java.util.Map;
import java.util.Set;

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

    /**
     * Returns the property keys this factory reads ({@code sip.port}, ...). When every provider found declares its
     * keys, the engine refuses a property no provider reads, naming the nearest known key, so that a misspelt
     * setting is not silently ignored. The default, none, declares nothing: with such a provider no key is refused.
     */
    default Set<String> propertyKeys() {
        return Set.of();
    }

    /**
     * Returns the property keys this factory reads from {@code properties}: {@link #propertyKeys()}, and the keys whose
     * names depend on other properties (the SIP provider reads {@code sip.account.<name>.*} for every name listed in
     * {@code sip.accounts}). The engine checks the properties against this set. The default is
     * {@link #propertyKeys()}.
     */
    default Set<String> propertyKeys(Map<String, String> properties) {
        return propertyKeys();
    }
}
