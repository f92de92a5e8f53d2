package org.cti4j.rpc;

import java.time.Duration;

/**
 * The settings of a running {@link RpcServer}, checked by its builder.
 *
 * @param token the bearer token clients must present, or {@code null} for none
 * @param maxFrameBytes the largest request frame that is handled
 * @param maxRequestsPerSecond the requests one connection may make per second
 * @param eventBuffer how many events of a session are kept for its client's return
 * @param sessionGrace how long a session without a connection keeps its resources
 */
record ServerConfig(String token, int maxFrameBytes, int maxRequestsPerSecond, int eventBuffer,
        Duration sessionGrace) {
}
