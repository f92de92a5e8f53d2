package org.cti4j.rpc;

/**
 * A token bucket: {@code perSecond} requests a second on average, bursts of up to {@code perSecond}.
 *
 * <p>Confined to the thread that handles its connection's frames (Java-WebSocket hands every frame of a connection
 * to the same decoder thread): no lock; a call from another thread is refused.
 */
final class RateLimit {

    private final int perSecond;
    private double tokens;
    private long lastNanos;
    /** The thread that first took a token: the connection's decoder thread. */
    private Thread owner;

    RateLimit(int perSecond) {
        this.perSecond = perSecond;
        this.tokens = perSecond;
        this.lastNanos = System.nanoTime();
    }

    int perSecond() {
        return perSecond;
    }

    /**
     * Takes one request's token; {@code false} when the connection is over its rate.
     *
     * @throws IllegalStateException if called on another thread than the connection's decoder thread
     */
    boolean tryAcquire() {
        Thread current = Thread.currentThread();
        if (owner == null) {
            owner = current;
        } else if (owner != current) {
            throw new IllegalStateException("RateLimit.tryAcquire called on thread '" + current.getName()
                    + "'; it is confined to '" + owner.getName() + "', the thread that handles its connection");
        }
        long now = System.nanoTime();
        tokens = Math.min(perSecond, tokens + (now - lastNanos) * perSecond / 1e9);
        lastNanos = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
