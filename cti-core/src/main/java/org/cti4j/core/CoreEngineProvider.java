package org.cti4j.core;

import java.util.ServiceLoader;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.EngineFailureException;
import org.cti4j.api.spi.CtiEngineProvider;
import org.cti4j.api.spi.EngineConfig;
import org.cti4j.core.spi.MediaProvider;
import org.cti4j.core.spi.MediaProviderFactory;
import org.cti4j.core.spi.SignalingProvider;
import org.cti4j.core.spi.SignalingProviderFactory;

/**
 * Makes {@link CtiEngine#builder()} build a {@link CoreEngine}, with the signalling and media providers registered on
 * the class path ({@code cti-sip} and {@code cti-media}). Found by {@link ServiceLoader}; applications do not use it.
 */
public final class CoreEngineProvider implements CtiEngineProvider {

    /** Creates the provider (for {@link ServiceLoader}). */
    public CoreEngineProvider() {
    }

    @Override
    public CtiEngine create(EngineConfig config) {
        SignalingProvider signaling = first(SignalingProviderFactory.class, "signalling", "cti-sip")
                .create(config.properties());
        MediaProvider media;
        try {
            media = first(MediaProviderFactory.class, "media", "cti-media").create(config.properties());
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
                .mediaFiles(config.mediaFiles());
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
