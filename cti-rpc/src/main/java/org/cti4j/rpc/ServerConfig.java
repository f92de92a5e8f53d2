package org.cti4j.rpc;

import java.time.Duration;
import org.cti4j.api.MediaFiles;

/**
 * The settings of a running {@link RpcServer}, checked by its builder.
 *
 * @param token the bearer token clients must present, or {@code null} for none
 * @param maxFrameBytes the largest request frame that is handled
 * @param maxRequestsPerSecond the requests one connection may make per second
 * @param eventBuffer how many events of a session are kept for its client's return
 * @param sessionGrace how long a session without a connection keeps its resources
 * @param limits the limits on connections applied before any of their bytes is believed
 * @param shareResources whether any session may operate on any session's resources (else only on its own)
 * @param files where the files of remote requests may be (a confined policy)
 */
record ServerConfig(String token, int maxFrameBytes, int maxRequestsPerSecond, int eventBuffer,
        Duration sessionGrace, ConnectionLimits limits, boolean shareResources, MediaFiles files) {

    /**
     * The limits on connections, applied when a TCP connection is accepted, before its upgrade and its token are
     * read.
     *
     * @param maxConnections connections (upgraded or not) the server holds at once
     * @param maxPerAddress connections from one remote IP address at once
     * @param handshakeTimeout how long a connection may take to complete its WebSocket upgrade
     * @param maxHandshakeBytes how many bytes a connection may send before its upgrade is complete
     */
    record ConnectionLimits(int maxConnections, int maxPerAddress, Duration handshakeTimeout,
            int maxHandshakeBytes) {
    }
}
