package org.cti4j.media;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.cti4j.core.spi.MediaProvider;
import org.cti4j.core.spi.MediaProviderFactory;

/**
 * Creates an {@link RtpMediaProvider} from the engine builder's properties; registered with {@link
 * java.util.ServiceLoader}. Keys (each optional):
 * <ul>
 *   <li>{@code media.address}: the IP address to bind (default {@code 127.0.0.1})</li>
 *   <li>{@code media.advertised-address}: the address put in SDP, if not the bind address</li>
 *   <li>{@code media.rtp-ports}: the port range, e.g. {@code 20000-29999}</li>
 *   <li>{@code media.workers}: the number of media threads (default: the number of processors)</li>
 *   <li>{@code media.inactivity-seconds}: seconds without RTP before a call is ended (default 30)</li>
 *   <li>{@code media.srtp}: {@code off}, {@code optional} or {@code mandatory} (default {@code off}; see
 *       {@link SrtpMode})</li>
 * </ul>
 */
public final class RtpMediaProviderFactory implements MediaProviderFactory {

    /** Creates the factory (called by {@link java.util.ServiceLoader}). */
    public RtpMediaProviderFactory() {
    }

    @Override
    public Set<String> propertyKeys() {
        return Set.of("media.address", "media.advertised-address", "media.rtp-ports", "media.workers",
                "media.inactivity-seconds", "media.srtp");
    }

    /**
     * Creates a provider.
     *
     * @throws IllegalArgumentException if a property is malformed, naming it and the expected form
     */
    @Override
    public MediaProvider create(Map<String, String> properties) {
        return new RtpMediaProvider(config(properties));
    }

    /** Returns the settings the properties describe. */
    static RtpMediaConfig config(Map<String, String> properties) {
        RtpMediaConfig.Builder builder = RtpMediaConfig.builder();
        String address = properties.get("media.address");
        if (address != null) {
            builder.bindAddress(address.trim());
        }
        String advertised = properties.get("media.advertised-address");
        if (advertised != null) {
            builder.advertisedAddress(advertised.trim());
        }
        String ports = properties.get("media.rtp-ports");
        if (ports != null) {
            String[] range = ports.trim().split("-", -1);
            if (range.length != 2) {
                throw new IllegalArgumentException("media.rtp-ports must look like 20000-29999, not '" + ports + "'");
            }
            builder.rtpPorts(integer("media.rtp-ports", range[0]), integer("media.rtp-ports", range[1]));
        }
        String workers = properties.get("media.workers");
        if (workers != null) {
            builder.workers(integer("media.workers", workers));
        }
        String inactivity = properties.get("media.inactivity-seconds");
        if (inactivity != null) {
            builder.inactivityTimeout(Duration.ofSeconds(integer("media.inactivity-seconds", inactivity)));
        }
        String srtp = properties.get("media.srtp");
        if (srtp != null) {
            builder.srtp(SrtpMode.parse(srtp));
        }
        return builder.build();
    }

    private static int integer(String key, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'", e);
        }
    }
}
