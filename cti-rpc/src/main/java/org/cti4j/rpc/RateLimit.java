package org.cti4j.rpc;

/**
 * A token bucket: {@code perSecond} requests a second on average, bursts of up to {@code perSecond}. Used by one
 * connection's handling thread at a time.
 */
final class RateLimit {

    private final int perSecond;
    private double tokens;
    private long lastNanos;

    RateLimit(int perSecond) {
        this.perSecond = perSecond;
        this.tokens = perSecond;
        this.lastNanos = System.nanoTime();
    }

    int perSecond() {
        return perSecond;
    }

    /** Takes one request's token; {@code false} when the connection is over its rate. */
    synchronized boolean tryAcquire() {
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
