package org.cti4j.core;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.cti4j.api.CdrListener;
import org.cti4j.core.spi.MediaProvider;
import org.cti4j.core.spi.SignalingProvider;

/** What every resource of one engine shares: providers, clock, timers, pools, the registry. */
final class EngineContext {

    final ResIds ids;
    final InstantSource clock;
    final Scheduler scheduler;
    final Executor strandPool;
    final Executor eventExecutor;
    final SignalingProvider signaling;
    final MediaProvider media;
    final CdrListener cdrListener;
    final Duration inboundAnswerTimeout;
    final Map<String, AbstractResource> registry = new ConcurrentHashMap<>();
    /** Listener calls queued and not yet finished, so that shutdown can wait for the last events. */
    final AtomicInteger pendingEvents = new AtomicInteger();
    /** Called whenever the engine may have become quiet: a resource left the registry, or the last event ran. */
    private final Runnable onQuiet;

    EngineContext(ResIds ids, InstantSource clock, Scheduler scheduler, Executor strandPool, Executor eventExecutor,
            SignalingProvider signaling, MediaProvider media, CdrListener cdrListener, Duration inboundAnswerTimeout,
            Runnable onQuiet) {
        this.ids = ids;
        this.clock = clock;
        this.scheduler = scheduler;
        this.strandPool = strandPool;
        this.eventExecutor = eventExecutor;
        this.signaling = signaling;
        this.media = media;
        this.cdrListener = cdrListener;
        this.inboundAnswerTimeout = inboundAnswerTimeout;
        this.onQuiet = onQuiet;
    }

    Instant now() {
        return clock.instant();
    }

    void register(AbstractResource resource) {
        registry.put(resource.resId(), resource);
    }

    void unregister(AbstractResource resource) {
        registry.remove(resource.resId(), resource);
        onQuiet.run();
    }

    void eventDone() {
        if (pendingEvents.decrementAndGet() == 0) {
            onQuiet.run();
        }
    }
}
