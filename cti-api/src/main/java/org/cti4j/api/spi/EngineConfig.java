package org.cti4j.api.spi;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.cti4j.api.CallListener;
import org.cti4j.api.CdrListener;
import org.cti4j.api.MediaFiles;

/**
 * What an application configured through {@link org.cti4j.api.CtiEngine.Builder}, handed to a
 * {@link CtiEngineProvider}.
 *
 * @param nodeId the node id, {@code area.station.instance}
 * @param incomingCallListener the listener inbound calls are offered to; {@code null} for none
 * @param cdrListener receives the CDRs
 * @param eventExecutor the executor listener methods run on; {@code null} for the engine's own
 * @param inboundAnswerTimeout how long an inbound call may stay unanswered
 * @param properties provider-specific settings
 * @param mediaFiles where the files of playbacks and recordings may be
 */
public record EngineConfig(String nodeId, CallListener incomingCallListener, CdrListener cdrListener,
        Executor eventExecutor, Duration inboundAnswerTimeout, Map<String, String> properties,
        MediaFiles mediaFiles) {

    /** Checks the parts that may not be absent. */
    public EngineConfig {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(cdrListener, "cdrListener");
        Objects.requireNonNull(inboundAnswerTimeout, "inboundAnswerTimeout");
        properties = Map.copyOf(properties);
        Objects.requireNonNull(mediaFiles, "mediaFiles");
    }

    /** Creates a configuration whose names of media files are paths, as given ({@link MediaFiles#unrestricted()}). */
    public EngineConfig(String nodeId, CallListener incomingCallListener, CdrListener cdrListener,
            Executor eventExecutor, Duration inboundAnswerTimeout, Map<String, String> properties) {
        this(nodeId, incomingCallListener, cdrListener, eventExecutor, inboundAnswerTimeout, properties,
                MediaFiles.unrestricted());
    }
}
