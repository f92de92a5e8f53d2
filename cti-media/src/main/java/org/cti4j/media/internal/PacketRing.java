package org.cti4j.media.internal;

import java.nio.ByteBuffer;
import org.cti4j.media.RtpStats;

/**
 * A bounded ring of RTP payloads (with their payload type) for one producer thread and one consumer thread. Offering
 * to a full ring drops the newest payload; nothing blocks and nothing allocates.
 *
 * <p>Carries what one session receives to the session it is connected to, so that same-codec payloads are relayed
 * as they came.
 */
public final class PacketRing {

    /**
     * The largest payload carried: 60 ms of G.711, the longest packet time phones use (20 ms is the norm; each
     * slot is this large, so a larger bound would cost every bridge memory for packets nobody sends). A larger
     * payload is refused: the receiving session counts it ({@link RtpStats#oversized()}) and still decodes it for
     * its recording and mixers.
     */
    public static final int MAX_PAYLOAD = 480;

    private final byte[][] payloads;
    private final int[] lengths;
    private final int[] payloadTypes;
    private final long[] receivedAt;
    private final int mask;
    private volatile long writeIndex;
    private volatile long readIndex;

    /** Creates a ring of at least {@code slots} payloads (rounded up to a power of two). */
    public PacketRing(int slots) {
        int size = 1 << (32 - Integer.numberOfLeadingZeros(Math.max(2, slots) - 1));
        payloads = new byte[size][MAX_PAYLOAD];
        lengths = new int[size];
        payloadTypes = new int[size];
        receivedAt = new long[size];
        mask = size - 1;
    }

    /**
     * Producer: copies {@code length} bytes at {@code position} of {@code src}, received at {@code receivedAt}
     * ({@link System#nanoTime()}); false if dropped.
     */
    public boolean offer(ByteBuffer src, int position, int length, int payloadType, long receivedAt) {
        long w = writeIndex;
        if (length > MAX_PAYLOAD || w - readIndex >= payloads.length) {
            return false;
        }
        int slot = (int) (w & mask);
        src.get(position, payloads[slot], 0, length);
        lengths[slot] = length;
        payloadTypes[slot] = payloadType;
        this.receivedAt[slot] = receivedAt;
        writeIndex = w + 1;
        return true;
    }

    /** Consumer: returns the number of payloads waiting. */
    public int size() {
        return (int) (writeIndex - readIndex);
    }

    /** Consumer: returns the bytes of the oldest payload (valid until {@link #remove()}); size must be positive. */
    public byte[] headPayload() {
        return payloads[(int) (readIndex & mask)];
    }

    /** Consumer: returns the length of the oldest payload. */
    public int headLength() {
        return lengths[(int) (readIndex & mask)];
    }

    /** Consumer: returns the payload type of the oldest payload. */
    public int headPayloadType() {
        return payloadTypes[(int) (readIndex & mask)];
    }

    /** Consumer: returns when the oldest payload was received ({@link System#nanoTime()}). */
    public long headReceivedAt() {
        return receivedAt[(int) (readIndex & mask)];
    }

    /** Consumer: drops the oldest payload. */
    // one writer: only this side ever writes this index
    @SuppressWarnings("NonAtomicVolatileUpdate")
    public void remove() {
        readIndex = readIndex + 1;
    }

    /** Consumer: drops everything. */
    public void clear() {
        readIndex = writeIndex;
    }
}
