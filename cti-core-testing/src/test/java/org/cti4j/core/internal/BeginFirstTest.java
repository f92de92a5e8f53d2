package org.cti4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.Test;

/**
 * A resource's start (dial, offer, start) runs before anything else on its strand, even a command another thread
 * posted between the resource's registration and the engine posting its start: an inbound call answered through
 * {@code resources()} at that moment used to be answered before its media session existed.
 */
class BeginFirstTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A resource that only runs what it is given. */
    private static final class Probe extends AbstractResource {
        Probe(EngineContext ctx) {
            super(ctx, "sys.call");
        }

        @Override
        void shutdown() {
        }
    }

    @Test
    void aCommandPostedBeforeTheStartRunsAfterIt() throws ReflectiveOperationException {
        try (CoreEngine engine = CoreEngine.builder().nodeId("1.2.3").signaling(new ScriptedSignaling())
                .media(new ScriptedMedia()).build()) {
            List<String> order = new CopyOnWriteArrayList<>();
            Probe probe = new Probe(Internals.context(engine));
            // The engine's order: the start is given, the resource is registered, then the start is posted; another
            // thread that found the resource in between posts its command first.
            probe.beginWith(() -> order.add("start"));
            probe.post(() -> order.add("answer"));
            probe.begin();
            probe.post(() -> order.add("drop"));

            Await.until("three tasks run", WAIT, () -> order.size() == 3);
            assertThat(order).containsExactly("start", "answer", "drop");
        }
    }
}
