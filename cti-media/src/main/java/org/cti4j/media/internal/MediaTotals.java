package org.cti4j.media.internal;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import org.cti4j.api.EngineStatistics;
import org.cti4j.media.RtpStats;

/**
 * The counters of a provider's sessions, over its whole life: the sums of the closed sessions, to which each
 * session's final counters are added as it leaves the registry, plus the open sessions' own, read when asked. The
 * two happen under one lock, so a session is never counted twice or missed and every sum only grows, as a
 * monitoring system expects of a counter. Nothing here is on a packet's path: the lock is taken once per closed
 * session and once per read.
 */
final class MediaTotals {

    private final AtomicLong opened = new AtomicLong();
    // guarded by this
    private final Sums closed = new Sums();

    /** A session was opened. */
    void opened() {
        opened.incrementAndGet();
    }

    /** Adds a closed session's final counters and runs {@code removal} (takes it out of the open ones), atomically. */
    synchronized void retire(RtpStats last, Runnable removal) {
        closed.add(last);
        removal.run();
    }

    /** Returns the sums over the closed sessions and {@code open}. */
    synchronized EngineStatistics.Media read(Collection<RtpSessionImpl> open) {
        Sums all = new Sums();
        all.add(closed);
        long sessions = 0;
        for (RtpSessionImpl session : open) {
            all.add(session.stats());
            sessions++;
        }
        return new EngineStatistics.Media(sessions, opened.get(), all.received, all.sent, all.dropped, all.lost,
                all.late, all.srtpFailures);
    }

    /** Sums of the counters of some sessions. */
    private static final class Sums {
        long received;
        long sent;
        long dropped;
        long lost;
        long late;
        long srtpFailures;

        void add(RtpStats stats) {
            received += stats.packetsReceived();
            sent += stats.packetsSent();
            dropped += stats.dropped();
            lost += stats.packetsLost();
            late += stats.packetsLate();
            srtpFailures += stats.srtpAuthFailures() + stats.srtpReplays();
        }

        void add(Sums other) {
            received += other.received;
            sent += other.sent;
            dropped += other.dropped;
            lost += other.lost;
            late += other.late;
            srtpFailures += other.srtpFailures;
        }
    }
}
