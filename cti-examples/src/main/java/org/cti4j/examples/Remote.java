package org.cti4j.examples;

import java.net.URI;
import org.cti4j.api.CtiEngine;
import org.cti4j.rpc.RemoteCtiEngine;

/** Connects the examples to the engine of a running cti4j server, instead of embedding one. */
final class Remote {

    private Remote() {
    }

    /**
     * Connects to {@code ws://host:port/rpc} (or {@code wss://}), with the token of environment variable
     * {@code CTI4J_TOKEN} when it is set.
     */
    static CtiEngine engine(String uri) {
        RemoteCtiEngine.Builder builder = RemoteCtiEngine.builder(URI.create(uri));
        String token = System.getenv("CTI4J_TOKEN");
        if (token != null && !token.isBlank()) {
            builder.token(token);
        }
        return builder.build();
    }
}
