package org.cti4j.media.internal;

import java.nio.ByteBuffer;

/**
 * Recognises RFC 4733 DTMF events in received telephone-event payloads: an event is one key press, identified by
 * its RTP timestamp, however many packets (updates, and the three redundant end packets) carry it. The two latest
 * timestamps are remembered, so a late end packet of the previous key is not taken for a new one. Worker thread only.
 */
public final class DtmfDetector {

    private long last = -1;
    private long previous = -1;

    /**
     * Returns the key of a new event, or {@code 0} if the packet belongs to an event already seen, is not a DTMF
     * event, or is too short.
     */
    public char onPayload(ByteBuffer packet, int offset, int length, long timestamp) {
        if (length < 4) {
            return 0;
        }
        char key = Dtmf.key(packet.get(offset) & 0xFF);
        if (key == 0 || timestamp == last || timestamp == previous) {
            return 0;
        }
        previous = last;
        last = timestamp;
        return key;
    }
}
