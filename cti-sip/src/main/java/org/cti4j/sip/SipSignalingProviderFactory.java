package org.cti4j.sip;

import java.util.Map;
import org.cti4j.core.spi.SignalingProvider;
import org.cti4j.core.spi.SignalingProviderFactory;

/**
 * Gives {@link org.cti4j.api.CtiEngine#builder()} a {@link SipSignalingProvider} configured from the engine's
 * properties ({@link SipConfig#fromProperties}). Found by {@link java.util.ServiceLoader}.
 */
public final class SipSignalingProviderFactory implements SignalingProviderFactory {

    /** Creates the factory (for {@link java.util.ServiceLoader}). */
    public SipSignalingProviderFactory() {
    }

    @Override
    public SignalingProvider create(Map<String, String> properties) {
        return new SipSignalingProvider(SipConfig.fromProperties(properties));
    }
}
