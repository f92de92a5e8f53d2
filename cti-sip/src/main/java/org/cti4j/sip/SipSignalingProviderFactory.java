package org.cti4j.sip;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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
    public Set<String> propertyKeys() {
        return Set.of("sip.host", "sip.port", "sip.transport", "sip.outbound-proxy", "sip.username", "sip.realm",
                "sip.password", "sip.user-agent", "sip.threads", "sip.close-drain-seconds",
                // NAT and addressing.
                "sip.advertised-address", "sip.keepalive-seconds",
                // SIP over TLS.
                "sip.tls-port", "sip.tls.key-store", "sip.tls.key-store-password", "sip.tls.key-store-type",
                "sip.tls.trust-store", "sip.tls.trust-store-password",
                // Registration: the keys of each account are added by propertyKeys(Map).
                "sip.accounts");
    }

    /** Adds {@code sip.account.<name>.*} for every name {@code sip.accounts} lists. */
    @Override
    public Set<String> propertyKeys(Map<String, String> properties) {
        Set<String> keys = new HashSet<>(propertyKeys());
        for (String name : SipConfig.accountNames(properties)) {
            keys.addAll(SipConfig.accountKeys(name));
        }
        return keys;
    }

    @Override
    public SignalingProvider create(Map<String, String> properties) {
        return new SipSignalingProvider(SipConfig.fromProperties(properties));
    }
}
