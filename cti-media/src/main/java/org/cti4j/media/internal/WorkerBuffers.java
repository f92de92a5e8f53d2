package org.cti4j.media.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Scratch memory of one media worker, reused by every session it runs so that the packet path allocates nothing.
 * Touched only by the worker's thread.
 */
public final class WorkerBuffers {

    /** Samples in one 20 ms frame at 8 kHz. */
    public static final int FRAME = 160;

    /** Where datagrams are received. */
    public final ByteBuffer receive = ByteBuffer.allocateDirect(2048).order(ByteOrder.BIG_ENDIAN);
    /** Where datagrams are built to be sent. */
    public final ByteBuffer send = ByteBuffer.allocateDirect(1500).order(ByteOrder.BIG_ENDIAN);
    /** Encoded payload bytes. */
    public final byte[] payload = new byte[PacketRing.MAX_PAYLOAD];
    /** Where SRTP packets are protected and unprotected (the JDK's ciphers work on arrays). */
    public final byte[] srtp = new byte[2048];
    /** Decoded samples of a received payload. */
    public final short[] decoded = new short[PacketRing.MAX_PAYLOAD];
    /** The frame sent this tick. */
    public final short[] txFrame = new short[FRAME];
    /** The frame received this tick, for recording. */
    public final short[] rxFrame = new short[FRAME];
    /** One feed's frame, before it is summed. */
    public final short[] feedFrame = new short[FRAME];
    /** A running sum of frames. */
    public final int[] sum = new int[FRAME];

    /** Clamps a sum to 16 bits. */
    public static short saturate(int value) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, value));
    }
}
