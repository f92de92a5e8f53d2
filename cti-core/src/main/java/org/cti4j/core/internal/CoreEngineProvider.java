package org.cti4j.core.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.EngineFailureException;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.spi.CtiEngineProvider;
import org.cti4j.api.spi.EngineConfig;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.spi.MediaProvider;
import org.cti4j.core.spi.MediaProviderFactory;
import org.cti4j.core.spi.SignalingProvider;
import org.cti4j.core.spi.SignalingProviderFactory;

/**
 * Makes {@link CtiEngine#builder()} build a {@link CoreEngine}, with the signalling and media providers registered on
 * the class path ({@code cti-sip} and {@code cti-media}). Found by {@link ServiceLoader}; applications do not use it (not API).
 *
 * <p>When both providers declare the property keys they read ({@link SignalingProviderFactory#propertyKeys()}), a
 * property neither reads is refused with an {@link org.cti4j.api.InvalidArgumentException} naming the nearest known
 * key ("unknown property 'sip.prot': did you mean 'sip.port'?"), before any provider starts.
 */
public final class CoreEngineProvider implements CtiEngineProvider {

    /** The engine property of {@link CoreEngine.Builder#maxLiveCalls}: the most calls live at once, 0 for no limit. */
    public static final String MAX_LIVE_CALLS = "engine.max-live-calls";
    /** The engine property of {@link CoreEngine.Builder#maxCallsPerSecond}: 0 for no limit. */
    public static final String MAX_CALLS_PER_SECOND = "engine.max-calls-per-second";

    /** Reads a limit property: a whole number, 0 (the default) for none. */
    private static int limit(Map<String, String> properties, String key) {
        String value = properties.get(key);
        if (value == null) {
            return 0;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 0) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // refused below, naming the property
        }
        throw new InvalidArgumentException(key, key + " '" + value + "' is not a whole number of calls, 0 or more"
                + " (0: no limit)");
    }

    /** Creates the provider (for {@link ServiceLoader}). */
    public CoreEngineProvider() {
    }

    @Override
    public CtiEngine create(EngineConfig config) {
        SignalingProviderFactory signalingFactory = first(SignalingProviderFactory.class, "signalling", "cti-sip");
        MediaProviderFactory mediaFactory = first(MediaProviderFactory.class, "media", "cti-media");
        if (!signalingFactory.propertyKeys().isEmpty() && !mediaFactory.propertyKeys().isEmpty()) {
            Set<String> known = new HashSet<>(signalingFactory.propertyKeys(config.properties()));
            known.addAll(mediaFactory.propertyKeys());
            known.addAll(List.of(MAX_LIVE_CALLS, MAX_CALLS_PER_SECOND));
            PropertyKeys.check(config.properties(), known);
        }
        // read before the providers start, so that a bad value leaves nothing open
        int maxLiveCalls = limit(config.properties(), MAX_LIVE_CALLS);
        int maxCallsPerSecond = limit(config.properties(), MAX_CALLS_PER_SECOND);
        SignalingProvider signaling = signalingFactory.create(config.properties());
        MediaProvider media;
        try {
            media = mediaFactory.create(config.properties());
        } catch (RuntimeException e) {
            signaling.close();
            throw e;
        }
        CoreEngine.Builder builder = CoreEngine.builder()
                .nodeId(config.nodeId())
                .signaling(signaling)
                .media(media)
                .cdrListener(config.cdrListener())
                .inboundAnswerTimeout(config.inboundAnswerTimeout())
                .mediaFiles(config.mediaFiles())
                .maxLiveCalls(maxLiveCalls)
                .maxCallsPerSecond(maxCallsPerSecond);
        if (config.incomingCallListener() != null) {
            builder.incomingCallListener(config.incomingCallListener());
        }
        if (config.eventExecutor() != null) {
            builder.eventExecutor(config.eventExecutor());
        }
        return builder.build();
    }

    private static <T> T first(Class<T> type, String what, String artifact) {
        return ServiceLoader.load(type).findFirst().orElseThrow(() -> new EngineFailureException(
                "no " + what + " provider on the class path: add the org.cti4j:" + artifact + " dependency"));
    }
}
