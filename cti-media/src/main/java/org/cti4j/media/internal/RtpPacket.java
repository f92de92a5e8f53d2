package org.cti4j.media.internal;

import java.nio.ByteBuffer;

/**
 * Reads and writes RTP headers (RFC 3550) in place, in a buffer whose position is 0 and whose limit is the datagram's
 * length. Static and allocation-free.
 */
public final class RtpPacket {

    /** The fixed header's length. */
    public static final int HEADER = 12;

    private RtpPacket() {
    }

    /**
     * Returns the offset of the payload of the RTP packet in {@code packet}, or {@code -1} if it is not a well-formed
     * RTP version 2 packet: too short, wrong version, CSRC list, extension or padding running past its end.
     */
    public static int payloadOffset(ByteBuffer packet) {
        int length = packet.limit();
        if (length < HEADER) {
            return -1;
        }
        int first = packet.get(0) & 0xFF;
        if ((first >> 6) != 2) {
            return -1;
        }
        int offset = HEADER + 4 * (first & 0x0F);
        if ((first & 0x10) != 0) {
            if (offset + 4 > length) {
                return -1;
            }
            offset += 4 + 4 * (packet.getShort(offset + 2) & 0xFFFF);
        }
        if (offset > length - payloadPadding(packet)) {
            return -1;
        }
        return offset;
    }

    /** Returns the number of padding bytes at the end (0 without the P bit); the packet must be at least a header. */
    public static int payloadPadding(ByteBuffer packet) {
        if ((packet.get(0) & 0x20) == 0) {
            return 0;
        }
        int padding = packet.get(packet.limit() - 1) & 0xFF;
        return padding == 0 ? Integer.MAX_VALUE / 2 : padding;
    }

    /** Returns the payload type. */
    public static int payloadType(ByteBuffer packet) {
        return packet.get(1) & 0x7F;
    }

    /** Returns the marker bit. */
    public static boolean marker(ByteBuffer packet) {
        return (packet.get(1) & 0x80) != 0;
    }

    /** Returns the sequence number. */
    public static int sequence(ByteBuffer packet) {
        return packet.getShort(2) & 0xFFFF;
    }

    /** Returns the timestamp, as an unsigned 32-bit value. */
    public static long timestamp(ByteBuffer packet) {
        return packet.getInt(4) & 0xFFFFFFFFL;
    }

    /** Returns the SSRC. */
    public static int ssrc(ByteBuffer packet) {
        return packet.getInt(8);
    }

    /** Writes a header with no CSRC, extension or padding at position 0 and leaves the position after it. */
    public static void writeHeader(ByteBuffer packet, boolean marker, int payloadType, int sequence, int timestamp,
            int ssrc) {
        packet.clear();
        packet.put((byte) 0x80);
        packet.put((byte) ((marker ? 0x80 : 0) | payloadType));
        packet.putShort((short) sequence);
        packet.putInt(timestamp);
        packet.putInt(ssrc);
    }
}
