package org.cti4j.media.internal;

import java.util.ArrayDeque;

/**
 * Sends queued DTMF keys as RFC 4733 telephone events, one packet per 20 ms tick in place of audio: the first with
 * the marker bit, updates with a growing duration, then three end packets; 60 ms of audio between keys. All events
 * of one key share the RTP timestamp of its first packet. Worker thread only.
 */
public final class DtmfSender {

    private static final int VOLUME = 10;
    private static final int END_PACKETS = 3;
    private static final int GAP_TICKS = 3;

    private final ArrayDeque<int[]> queue = new ArrayDeque<>();
    private int event = -1;
    private int durationSamples;
    private int elapsed;
    private int endsLeft;
    private int eventTimestamp;
    private boolean first;
    private int gapTicks;

    /** Queues a key press. */
    public void enqueue(int eventCode, int durationMillis) {
        queue.add(new int[] {eventCode, Math.max(40, durationMillis) * 8});
    }

    /** Forgets what is queued and under way. */
    public void clear() {
        queue.clear();
        event = -1;
    }

    /**
     * Writes this tick's event payload (4 bytes) into {@code payload}, if a key is being sent.
     *
     * @param timestamp the RTP timestamp of this tick
     * @return 4 if a telephone-event packet is to be sent this tick, 0 otherwise (audio goes out instead)
     */
    public int next(int timestamp, byte[] payload) {
        if (event < 0) {
            if (gapTicks > 0) {
                gapTicks--;
                return 0;
            }
            int[] key = queue.poll();
            if (key == null) {
                return 0;
            }
            event = key[0];
            durationSamples = key[1];
            elapsed = 0;
            endsLeft = END_PACKETS;
            eventTimestamp = timestamp;
            first = true;
        } else {
            first = false;
        }
        boolean end = elapsed >= durationSamples;
        if (!end) {
            elapsed += WorkerBuffers.FRAME;
        }
        payload[0] = (byte) event;
        payload[1] = (byte) ((end ? 0x80 : 0) | VOLUME);
        payload[2] = (byte) (elapsed >> 8);
        payload[3] = (byte) elapsed;
        if (end && --endsLeft == 0) {
            event = -1;
            gapTicks = GAP_TICKS;
        }
        return 4;
    }

    /**
     * Returns whether a key is being sent or waits: its event packets are to take the coming ticks, so audio must not
     * be sent ahead of them.
     */
    public boolean busy() {
        return event >= 0 || !queue.isEmpty();
    }

    /** Returns whether the packet just built is the first of its event (it carries the marker bit). */
    public boolean firstPacket() {
        return first;
    }

    /** Returns the RTP timestamp of the event being sent. */
    public int eventTimestamp() {
        return eventTimestamp;
    }
}
