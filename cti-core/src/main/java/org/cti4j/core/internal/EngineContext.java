package org.cti4j.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.cti4j.api.CdrListener;
import org.cti4j.api.MediaFiles;
import org.cti4j.core.Scheduler;
import org.cti4j.core.spi.MediaProvider;
import org.cti4j.core.spi.SignalingProvider;

/** What every resource of one engine shares: providers, clock, timers, pools, the registry. */
final class EngineContext {

    /** The group of this engine's resource strands: a thread running one of their tasks is a strand thread. */
    final Object strandGroup = new Object() {
        @Override
        public String toString() {
            return "strands";
        }
    };
    /** The group of this engine's listener dispatchers: a thread running one of their tasks runs a listener. */
    final Object listenerGroup = new Object() {
        @Override
        public String toString() {
            return "listeners";
        }
    };

    final ResIds ids;
    final InstantSource clock;
    final Scheduler scheduler;
    final Executor strandPool;
    final Executor eventExecutor;
    final SignalingProvider signaling;
    final MediaProvider media;
    final CdrListener cdrListener;
    final Duration inboundAnswerTimeout;
    final MediaFiles files;
    final Map<String, AbstractResource> registry = new ConcurrentHashMap<>();
    /** The calls of the registry ({@link #callsOf}): what the limit of live calls counts. */
    final AtomicInteger liveCalls = new AtomicInteger();
    /** Listener calls queued and not yet finished, so that shutdown can wait for the last events. */
    final AtomicInteger pendingEvents = new AtomicInteger();
    /** Called whenever the engine may have become quiet: a resource left the registry, or the last event ran. */
    private final Runnable onQuiet;

    EngineContext(ResIds ids, InstantSource clock, Scheduler scheduler, Executor strandPool, Executor eventExecutor,
            SignalingProvider signaling, MediaProvider media, CdrListener cdrListener, Duration inboundAnswerTimeout,
            MediaFiles files, Runnable onQuiet) {
        this.ids = ids;
        this.clock = clock;
        this.scheduler = scheduler;
        this.strandPool = strandPool;
        this.eventExecutor = eventExecutor;
        this.signaling = signaling;
        this.media = media;
        this.cdrListener = cdrListener;
        this.inboundAnswerTimeout = inboundAnswerTimeout;
        this.files = files;
        this.onQuiet = onQuiet;
    }

    /**
     * The path of a file to play, by the engine's {@link MediaFiles}: the name unchanged when they are unrestricted.
     * Reads the file system when they are confined: for the caller's thread, never a strand.
     *
     * @throws org.cti4j.api.InvalidArgumentException naming {@code parameter} if the policy refuses the name
     */
    String playPath(String parameter, String name) {
        return files.isConfined() ? files.forPlaying(parameter, name).toString() : name;
    }

    /**
     * The path of a file to record to, by the engine's {@link MediaFiles}, as {@link #playPath} does.
     *
     * @param overwrite the request's {@code record_overwrite}, or {@code null}
     */
    String recordPath(String parameter, String name, Boolean overwrite) {
        return files.isConfined() ? files.forRecording(parameter, name, files.replaces(overwrite)).toString() : name;
    }

    /** Returns whether the calling thread runs a task of one of this engine's resources' strands. */
    boolean onStrandThread() {
        return Strand.currentGroup() == strandGroup;
    }

    /** Returns whether the calling thread runs a listener method of one of this engine's resources. */
    boolean onListenerThread() {
        return Strand.currentGroup() == listenerGroup;
    }

    Instant now() {
        return clock.instant();
    }

    /**
     * Returns the live conference {@code confResId}.
     *
     * @throws org.cti4j.api.InvalidArgumentException naming {@code conf_res_id} if it is missing
     * @throws org.cti4j.api.ResourceNotFoundException if there is no such live conference
     */
    ConferenceResource liveConference(String confResId) {
        if (confResId == null || confResId.isBlank()) {
            throw new org.cti4j.api.InvalidArgumentException("conf_res_id", "conf_res_id is missing");
        }
        if (!(registry.get(confResId) instanceof ConferenceResource target) || target.isReleased()) {
            throw new org.cti4j.api.ResourceNotFoundException(confResId, "no conference " + confResId);
        }
        return target;
    }

    /**
     * Returns the live call {@code callResId} names, for {@code connect_start}.
     *
     * @throws org.cti4j.api.InvalidArgumentException if {@code callResId} is blank
     * @throws org.cti4j.api.ResourceNotFoundException if there is no such live call
     */
    CallResource liveCall(String callResId) {
        if (callResId == null || callResId.isBlank()) {
            throw new org.cti4j.api.InvalidArgumentException("call_res_id", "call_res_id is missing");
        }
        if (!(registry.get(callResId) instanceof CallResource target) || target.isReleased()) {
            throw new org.cti4j.api.ResourceNotFoundException(callResId, "no call " + callResId);
        }
        return target;
    }

    void register(AbstractResource resource) {
        registry.put(resource.resId(), resource);
        liveCalls.addAndGet(callsOf(resource));
    }

    void unregister(AbstractResource resource) {
        if (registry.remove(resource.resId(), resource)) {
            liveCalls.addAndGet(-callsOf(resource));
        }
        onQuiet.run();
    }

    /** How many calls {@code resource} is, for the engine's limit of live calls: a duo callback's two legs count. */
    static int callsOf(AbstractResource resource) {
        return resource instanceof CallResource ? 1 : resource instanceof DuoCallbackResource ? 2 : 0;
    }

    void eventDone() {
        if (pendingEvents.decrementAndGet() == 0) {
            onQuiet.run();
        }
    }
}
