package org.cti4j.core.spi;

import org.cti4j.api.EngineStatistics;
import org.cti4j.api.RecordFormat;

/**
 * Media: RTP sessions, playback, recording, connections between sessions, mixers. Implemented by {@code cti-media};
 * by {@code org.cti4j.core.testing.ScriptedMedia} (module cti-core-testing) in unit tests. See the package
 * documentation for the contract.
 */
public interface MediaProvider extends AutoCloseable {

    /**
     * Creates a session: takes an RTP port and gets ready to offer or answer.
     *
     * @param listener hears the session's events
     * @throws MediaException if no port is free (status 503)
     */
    MediaSession createSession(MediaListener listener);

    /**
     * Creates a session that is to be connected to {@code near}, such as party 2's of a duo callback to party 1's: a
     * provider may place it where relaying between the two costs least (cti-media: on the same media thread, so that
     * a packet is relayed where it is received, without waking another thread). The default ignores {@code near}.
     *
     * @param listener hears the session's events
     * @param near a session of this provider the new one will be connected to, or {@code null}
     * @throws MediaException if no port is free (status 503)
     */
    default MediaSession createSession(MediaListener listener, MediaSession near) {
        return createSession(listener);
    }

    /**
     * Sends what {@code source} receives from its far end to {@code sink}'s far end, until the connection is closed.
     * Two connections, one each way, bridge two sessions.
     */
    MediaConnection connect(MediaSession source, MediaSession sink);

    /**
     * Returns whether this provider can write recordings in {@code format} at all (an encoder that is an optional
     * library, such as MP3's, may be missing). The engine asks before it accepts a recording, so that one it could
     * never make is refused with a clear error instead of failing later. Any thread; must not block.
     */
    boolean canRecord(RecordFormat format);

    /** Creates an empty mixer: every member hears all the others but not itself. */
    MediaMixer createMixer();

    /**
     * Returns what the provider's sessions have done since it started (see {@link EngineStatistics.Media}). Any
     * thread; must not block on I/O. The default counts nothing.
     */
    default EngineStatistics.Media statistics() {
        return EngineStatistics.Media.NONE;
    }

    /** Stops: closes every session and mixer and frees ports and threads. Safe to call twice. */
    @Override
    void close();
}
