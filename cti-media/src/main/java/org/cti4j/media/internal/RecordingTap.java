package org.cti4j.media.internal;

/**
 * What a session needs to record, besides the {@link Recording} itself: the audio it receives, decoded, waiting to be
 * mixed with what it sends at its next tick, and the decoded frame of a payload relayed before its tick. A session
 * creates it on its worker when it first records (a plain bridge never does, and so carries none of its 8 KB), and
 * keeps it. Worker thread only.
 */
public final class RecordingTap {

    /** Frames of received audio a recording may lag (after a stall of the worker) before the oldest are dropped. */
    private static final int BACKLOG = 12;

    /** Received audio, decoded. */
    public final PcmRing received = new PcmRing(4096);
    /** The decoded frame of the payload relayed ahead of this tick, which is what the session sends at it. */
    public final short[] relayedFrame = new short[WorkerBuffers.FRAME];
    /** A stereo frame: received and sent, interleaved. */
    private final short[] stereoFrame = new short[2 * WorkerBuffers.FRAME];

    /**
     * Pushes one frame to {@code recording}: what was received, plus {@code tx} if the session sent audio this tick;
     * to a stereo recording, the two side by side instead (received left, sent or silence right), interleaved.
     */
    public void push(Recording recording, WorkerBuffers buffers, short[] tx, boolean txAudio) {
        short[] rx = buffers.rxFrame;
        received.readJitterFrame(rx, 0, WorkerBuffers.FRAME, BACKLOG);
        if (recording.isStereo()) {
            for (int k = 0; k < WorkerBuffers.FRAME; k++) {
                stereoFrame[2 * k] = rx[k];
                stereoFrame[2 * k + 1] = txAudio ? tx[k] : 0;
            }
            recording.push(stereoFrame, 0, stereoFrame.length);
            return;
        }
        if (txAudio) {
            for (int k = 0; k < WorkerBuffers.FRAME; k++) {
                rx[k] = WorkerBuffers.saturate(rx[k] + tx[k]);
            }
        }
        recording.push(rx, 0, WorkerBuffers.FRAME);
    }
}
