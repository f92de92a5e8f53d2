package org.cti4j.media.internal;

import java.nio.ByteBuffer;

/**
 * The SRTP state of one session on its worker: the context it protects with (this side's key) and the one it
 * unprotects with (the far end's key), or neither for plain RTP. Packets are protected and unprotected in the worker's
 * scratch array, so that the packet path allocates nothing; a received packet that fails authentication or replay
 * protection, or is too short to be SRTP, is counted and dropped.
 *
 * <p>{@link #apply} and the packet methods run on the worker only; the counters are written there and read from any
 * thread.
 */
final class SrtpStreams {

    private SrtpContext outbound;
    private SrtpContext inbound;
    private SdesNegotiation.Keys keys;

    /** Packets dropped for a wrong authentication tag. */
    volatile long authFailures;
    /** Packets dropped as replayed (or too old to tell). */
    volatile long replays;
    /** Packets dropped as too short to be SRTP or SRTCP. */
    volatile long malformed;

    /** Returns whether packets are protected. Worker only. */
    boolean active() {
        return outbound != null;
    }

    /**
     * Starts protecting with {@code newKeys}, or stops with {@code null}; keeps the contexts (their rollover counters
     * and replay windows) when the keys are those already in use, as after a re-INVITE that does not rekey. Worker
     * only.
     */
    void apply(SdesNegotiation.Keys newKeys) {
        if (newKeys == null) {
            outbound = null;
            inbound = null;
            keys = null;
            return;
        }
        if (keys == null || !keys.sameOutbound(newKeys)) {
            outbound = newKeys.outbound();
        }
        if (keys == null || !keys.sameInbound(newKeys)) {
            inbound = newKeys.inbound();
        }
        keys = newKeys;
    }

    /**
     * Protects the RTP packet in {@code packet} (from 0 to its limit, ready to send), in place. Worker only.
     *
     * @return whether it can be sent
     */
    boolean protectRtp(ByteBuffer packet, byte[] scratch) {
        return protect(packet, scratch, false);
    }

    /** Protects the RTCP compound packet in {@code packet}, in place. Worker only. */
    boolean protectRtcp(ByteBuffer packet, byte[] scratch) {
        return protect(packet, scratch, true);
    }

    /**
     * Checks and decrypts the SRTP packet in {@code packet} (from 0 to its limit), in place; counts a packet that
     * fails. Worker only.
     *
     * @return whether it is authentic and new; if not, it must be dropped
     */
    boolean unprotectRtp(ByteBuffer packet, byte[] scratch) {
        return unprotect(packet, scratch, false);
    }

    /** As {@link #unprotectRtp}, for an SRTCP packet. */
    boolean unprotectRtcp(ByteBuffer packet, byte[] scratch) {
        return unprotect(packet, scratch, true);
    }

    private boolean protect(ByteBuffer packet, byte[] scratch, boolean control) {
        int length = packet.limit();
        if (length + SrtpContext.MAX_OVERHEAD > scratch.length || length + SrtpContext.MAX_OVERHEAD > packet.capacity()) {
            return false;
        }
        packet.get(0, scratch, 0, length);
        int protectedLength = control ? outbound.protectRtcp(scratch, 0, length)
                : outbound.protectRtp(scratch, 0, length);
        if (protectedLength < 0) {
            return false;
        }
        packet.clear();
        packet.put(0, scratch, 0, protectedLength);
        packet.limit(protectedLength);
        return true;
    }

    // one writer: only the worker updates these counters; others only read them
    @SuppressWarnings("NonAtomicVolatileUpdate")
    private boolean unprotect(ByteBuffer packet, byte[] scratch, boolean control) {
        int length = packet.limit();
        if (length > scratch.length) {
            return false;
        }
        packet.get(0, scratch, 0, length);
        int plainLength = control ? inbound.unprotectRtcp(scratch, 0, length) : inbound.unprotectRtp(scratch, 0, length);
        if (plainLength >= 0) {
            packet.put(0, scratch, 0, plainLength);
            packet.limit(plainLength);
            return true;
        }
        if (plainLength == SrtpContext.AUTH_FAILED) {
            authFailures++;
        } else if (plainLength == SrtpContext.REPLAYED) {
            replays++;
        } else {
            malformed++;
        }
        return false;
    }
}
