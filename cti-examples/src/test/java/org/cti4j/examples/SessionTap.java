package org.cti4j.examples;

import java.util.ArrayList;
import java.util.List;
import org.cti4j.api.EngineStatistics;
import org.cti4j.api.RecordFormat;
import org.cti4j.core.spi.MediaConnection;
import org.cti4j.core.spi.MediaListener;
import org.cti4j.core.spi.MediaMixer;
import org.cti4j.core.spi.MediaProvider;
import org.cti4j.core.spi.MediaSession;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.media.RtpSession;
import org.cti4j.media.RtpStats;

/**
 * A media provider that hands everything to a real {@link RtpMediaProvider} and remembers the sessions it made, so
 * that a test can aim packets at the RTP port each one advertises in its SDP and read its counters. The sessions are
 * returned unchanged.
 */
final class SessionTap implements MediaProvider {

    private final RtpMediaProvider delegate;
    private final List<RtpSession> sessions = new ArrayList<>();

    SessionTap(RtpMediaProvider delegate) {
        this.delegate = delegate;
    }

    @Override
    public MediaSession createSession(MediaListener listener) {
        MediaSession session = delegate.createSession(listener);
        synchronized (sessions) {
            sessions.add((RtpSession) session);
        }
        return session;
    }

    /** Returns every session made so far, oldest first. */
    List<RtpSession> sessions() {
        synchronized (sessions) {
            return List.copyOf(sessions);
        }
    }

    /** Returns the sum of the counters of every session made so far. */
    RtpStats totals() {
        long[] sum = new long[10];
        for (RtpSession session : sessions()) {
            RtpStats s = session.stats();
            long[] each = {s.packetsReceived(), s.packetsSent(), s.malformed(), s.unknownPayloadType(),
                s.unknownSource(), s.rtcpReceived(), s.rtcpMalformed(), s.rtcpSent(), s.dtmfReceived(), s.oversized()};
            for (int i = 0; i < sum.length; i++) {
                sum[i] += each[i];
            }
        }
        return new RtpStats(sum[0], sum[1], sum[2], sum[3], sum[4], sum[5], sum[6], sum[7], sum[8], sum[9]);
    }

    @Override
    public MediaConnection connect(MediaSession source, MediaSession sink) {
        return delegate.connect(source, sink);
    }

    @Override
    public EngineStatistics.Media statistics() {
        return delegate.statistics();
    }

    @Override
    public boolean canRecord(RecordFormat format) {
        return delegate.canRecord(format);
    }

    @Override
    public MediaMixer createMixer() {
        return delegate.createMixer();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
