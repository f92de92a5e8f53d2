package org.cti4j.rpc;

import java.net.URI;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.cti4j.api.CtiEngine;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;

/** A real engine over scripted SIP and media, served by an {@link RpcServer} on a free port. */
final class ServerFixture implements AutoCloseable {

    final ScriptedSignaling sip = new ScriptedSignaling();
    final ScriptedMedia media = new ScriptedMedia();
    /** The server's sounds and recordings directories. */
    final ServerMediaDirs dirs = new ServerMediaDirs();
    final CoreEngine engine;
    final RpcServer server;

    ServerFixture() {
        this(builder -> builder);
    }

    ServerFixture(UnaryOperator<RpcServer.Builder> settings) {
        this(engine -> engine, settings);
    }

    /** A server in front of what {@code served} makes of the real engine (a double that fails on purpose). */
    ServerFixture(UnaryOperator<CtiEngine> served, UnaryOperator<RpcServer.Builder> settings) {
        engine = CoreEngine.builder().nodeId("1.2.3").signaling(sip).media(media)
                .inboundAnswerTimeout(Duration.ofSeconds(60)).build();
        try {
            server = settings.apply(dirs.apply(RpcServer.builder(served.apply(engine)).port(0)
                    .sessionGrace(Duration.ofSeconds(30)))).build();
        } catch (RuntimeException | Error e) {
            engine.close();
            dirs.close();
            throw e;
        }
    }

    URI uri() {
        return server.uri();
    }

    ServerRawClient client() {
        ServerRawClient client = ServerRawClient.connect(uri());
        client.event("rpc.on_session");
        return client;
    }

    @Override
    public void close() {
        try {
            server.close();
            engine.close();
        } finally {
            dirs.close();
        }
    }
}
