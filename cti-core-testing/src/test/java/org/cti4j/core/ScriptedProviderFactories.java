package org.cti4j.core;

import java.util.Map;
import java.util.Set;
import org.cti4j.core.spi.MediaProvider;
import org.cti4j.core.spi.MediaProviderFactory;
import org.cti4j.core.spi.SignalingProvider;
import org.cti4j.core.spi.SignalingProviderFactory;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;

/** Registers the scripted providers with ServiceLoader on the test class path, to test the builder hook. */
final class ScriptedProviderFactories {

    static volatile Map<String, String> lastProperties;
    /** The keys the two factories declare, signalling's then media's; none by default (no key is refused). */
    static volatile Set<String> signalingKeys = Set.of();
    static volatile Set<String> mediaKeys = Set.of();

    private ScriptedProviderFactories() {
    }

    /** Creates a {@link ScriptedSignaling}. */
    public static final class Signaling implements SignalingProviderFactory {
        @Override
        public Set<String> propertyKeys() {
            return signalingKeys;
        }

        @Override
        public SignalingProvider create(Map<String, String> properties) {
            lastProperties = properties;
            return new ScriptedSignaling();
        }
    }

    /** Creates a {@link ScriptedMedia}. */
    public static final class Media implements MediaProviderFactory {
        @Override
        public Set<String> propertyKeys() {
            return mediaKeys;
        }

        @Override
        public MediaProvider create(Map<String, String> properties) {
            return new ScriptedMedia();
        }
    }
}
