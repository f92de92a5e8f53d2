package org.cti4j.metrics;

import org.cti4j.api.CtiEngine;
import org.cti4j.api.EngineStatistics;

/**
 * Reads an engine's statistics for the meters of one scrape: a read serves every meter asking within
 * {@link #FRESH_NANOS}, so a scrape sums the engine's sessions once, not once per meter. The figures it serves only
 * ever grow, as they do in the engine.
 */
final class StatisticsReader {

    /** How long one read serves: shorter than any scrape interval, longer than reading every meter once. */
    static final long FRESH_NANOS = 100_000_000L;
    private static final EngineStatistics EMPTY = new EngineStatistics(EngineStatistics.Media.NONE,
            EngineStatistics.Signaling.NONE);

    private final CtiEngine engine;
    private EngineStatistics last;
    private long readAt;

    StatisticsReader(CtiEngine engine) {
        this.engine = engine;
    }

    /** Returns the statistics read at most {@link #FRESH_NANOS} ago, reading them again if they are older. */
    synchronized EngineStatistics read() {
        long now = System.nanoTime();
        if (last == null || now - readAt > FRESH_NANOS) {
            last = engine.statistics().orElse(EMPTY);
            readAt = now;
        }
        return last;
    }
}
