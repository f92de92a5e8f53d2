package org.cti4j.media;

/**
 * Counters of one RTP session, read at one moment (each counter is exact; together they are a near snapshot).
 *
 * @param packetsReceived well-formed RTP packets accepted from the far end (audio and telephone events)
 * @param packetsSent RTP packets sent
 * @param malformed datagrams on the RTP port that are not well-formed RTP (too short, wrong version, truncated)
 * @param unknownPayloadType RTP packets of a payload type the session did not negotiate
 * @param unknownSource RTP packets from an address that is not the far end's (or before the far end is known)
 * @param rtcpReceived well-formed RTCP packets received
 * @param rtcpMalformed datagrams on the RTCP port that are not RTCP
 * @param rtcpSent RTCP sender reports sent
 * @param dtmfReceived DTMF keys recognised (one per key press)
 * @param oversized audio packets accepted but with a payload over 60 ms of G.711: decoded for recording and mixing,
 *     but not relayed through a connection (the far end would rarely send them; they are never truncated)
 * @param srtpAuthFailures SRTP and SRTCP packets dropped because their authentication tag was wrong (forged or
 *     damaged, or keyed with other keys); 0 on a plain RTP session
 * @param srtpReplays SRTP and SRTCP packets dropped because they had been received before (RFC 3711 replay
 *     protection) or are too old to tell; 0 on a plain RTP session
 * @param packetsLost packets the far end's sequence numbers skipped: they never came, or came only after a later one
 *     (such a packet also counts as late). When the far end starts a new stream (another SSRC, a jump of more than
 *     3,000 sequence numbers or a step back of more than 100) counting starts afresh, with nothing lost
 * @param packetsLate packets that came after one with a higher sequence number (reordered or delayed on the way), or
 *     twice; they are still relayed and recorded
 */
public record RtpStats(long packetsReceived, long packetsSent, long malformed, long unknownPayloadType,
        long unknownSource, long rtcpReceived, long rtcpMalformed, long rtcpSent, long dtmfReceived,
        long oversized, long srtpAuthFailures, long srtpReplays, long packetsLost, long packetsLate) {

    /** Counters of a session without loss or late packets. */
    public RtpStats(long packetsReceived, long packetsSent, long malformed, long unknownPayloadType,
            long unknownSource, long rtcpReceived, long rtcpMalformed, long rtcpSent, long dtmfReceived,
            long oversized, long srtpAuthFailures, long srtpReplays) {
        this(packetsReceived, packetsSent, malformed, unknownPayloadType, unknownSource, rtcpReceived, rtcpMalformed,
                rtcpSent, dtmfReceived, oversized, srtpAuthFailures, srtpReplays, 0, 0);
    }

    /** Counters of a session without SRTP drops, loss or late packets. */
    public RtpStats(long packetsReceived, long packetsSent, long malformed, long unknownPayloadType,
            long unknownSource, long rtcpReceived, long rtcpMalformed, long rtcpSent, long dtmfReceived,
            long oversized) {
        this(packetsReceived, packetsSent, malformed, unknownPayloadType, unknownSource, rtcpReceived, rtcpMalformed,
                rtcpSent, dtmfReceived, oversized, 0, 0, 0, 0);
    }

    /**
     * Returns the number of datagrams dropped on the RTP port: malformed, unknown payload type, unknown source; SRTP
     * drops are counted apart.
     */
    public long dropped() {
        return malformed + unknownPayloadType + unknownSource;
    }
}
