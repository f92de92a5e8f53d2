package org.cti4j.bench.load;

/**
 * What the probe knows of one RTP stream (one SSRC from one source): packets received, the highest sequence number
 * (extended past wrap-around), and when the last in-order packet arrived. Not thread-safe: the probe's thread only.
 */
final class RtpFlow {

    /** The nominal packet interval: 20 ms of G.711. */
    static final long INTERVAL_NANOS = 20_000_000L;

    final int ssrc;
    final int callId;
    private long received;
    private long firstSequence = -1;
    private long highest;
    private long lastArrival;
    private long duplicatesOrLate;
    private boolean audioSeen;
    private long audioFrames;
    private long silentAfterAudio;

    RtpFlow(int ssrc, int callId) {
        this.ssrc = ssrc;
        this.callId = callId;
    }

    /**
     * Takes a packet.
     *
     * @param sequence its 16-bit sequence number
     * @param arrival when it arrived (nanoTime)
     * @return how far its interval from the previous packet was from 20 ms, in nanoseconds (absolute), or -1 when it
     *     does not directly follow the previous one (the first packet, a gap, a late or repeated packet)
     */
    long onPacket(int sequence, long arrival) {
        received++;
        if (firstSequence < 0) {
            firstSequence = sequence;
            highest = sequence;
            lastArrival = arrival;
            return -1;
        }
        int step = (sequence - (int) (highest & 0xFFFF)) & 0xFFFF;
        if (step == 0 || step >= 0x8000) {
            duplicatesOrLate++;
            return -1;
        }
        highest += step;
        long previous = lastArrival;
        lastArrival = arrival;
        return step == 1 ? Math.abs(arrival - previous - INTERVAL_NANOS) : -1;
    }

    /**
     * Notes whether a packet carried audio; returns true only for the first that did. A silent packet after that
     * counts as a gap in the bridged audio.
     */
    boolean audio(boolean sound) {
        if (audioSeen) {
            if (sound) {
                audioFrames++;
            } else {
                silentAfterAudio++;
            }
            return false;
        }
        if (sound) {
            audioSeen = true;
            audioFrames++;
            return true;
        }
        return false;
    }

    /** Returns how many packets carried audio. */
    long audioFrames() {
        return audioFrames;
    }

    /** Returns how many silent packets came after the first with audio (the bridge sent silence instead). */
    long silentAfterAudio() {
        return silentAfterAudio;
    }

    /** Returns how many packets arrived. */
    long received() {
        return received;
    }

    /** Returns how many packets the sequence numbers say were sent, from the first received to the highest. */
    long expected() {
        return firstSequence < 0 ? 0 : highest - firstSequence + 1;
    }

    /** Returns how many of those never arrived (late and repeated packets do not make up for lost ones). */
    long lost() {
        return Math.max(0, expected() - (received - duplicatesOrLate));
    }
}
