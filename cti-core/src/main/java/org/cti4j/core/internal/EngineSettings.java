package org.cti4j.core.internal;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.cti4j.api.CallListener;
import org.cti4j.api.CdrListener;
import org.cti4j.api.MediaFiles;
import org.cti4j.core.Scheduler;
import org.cti4j.core.spi.MediaProvider;
import org.cti4j.core.spi.SignalingProvider;

/**
 * What an {@link Engine} is built from, checked already by {@link org.cti4j.core.CoreEngine.Builder}. Internal.
 *
 * @param nodeId the node id
 * @param signaling the signalling provider
 * @param media the media provider
 * @param incomingCallListener the listener inbound calls are offered to, or {@code null}
 * @param cdrListener receives the CDRs
 * @param eventExecutor the executor of listener calls, or {@code null} for the engine's own
 * @param strandPool the pool of the resources' strands, or {@code null} for the engine's own
 * @param inboundAnswerTimeout how long an inbound call may stay unanswered
 * @param files where media files may be
 * @param clock the clock of events and CDRs
 * @param scheduler the scheduler of timers, or {@code null} for the engine's own
 * @param shutdownTimeout how long {@code close()} waits for resources to be released
 * @param maxLiveCalls the most calls live at once (a duo callback counts two), 0 for no limit
 * @param maxCallsPerSecond the most new calls taken in one second of the clock, 0 for no limit
 */
public record EngineSettings(String nodeId, SignalingProvider signaling, MediaProvider media,
        CallListener incomingCallListener, CdrListener cdrListener, Executor eventExecutor, Executor strandPool,
        Duration inboundAnswerTimeout, MediaFiles files, InstantSource clock, Scheduler scheduler,
        Duration shutdownTimeout, int maxLiveCalls, int maxCallsPerSecond) {

    /** Checks the parts that may not be absent. */
    public EngineSettings {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(signaling, "signaling");
        Objects.requireNonNull(media, "media");
        Objects.requireNonNull(cdrListener, "cdrListener");
        Objects.requireNonNull(inboundAnswerTimeout, "inboundAnswerTimeout");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    }
}
