package org.cti4j.media;

import java.util.concurrent.atomic.AtomicBoolean;
import org.cti4j.core.spi.MediaConnection;

/**
 * A one-way flow from what {@code source} receives to {@code sink}'s far end. The source's worker offers each audio
 * payload it receives to a {@link PacketRing}; the sink's worker takes one per tick and relays it unchanged when the
 * codec and the 20 ms size match its own stream (only the RTP header is new), or decodes it into {@link #sinkFifo}
 * to transcode or mix otherwise.
 */
final class RtpConnection implements MediaConnection {

    /** Payloads waiting beyond this many are dropped, so that the delay stays under 100 ms. */
    static final int MAX_QUEUED = 5;

    final RtpSessionImpl source;
    final RtpSessionImpl sink;
    /** Source worker writes, sink worker reads. */
    final PacketRing ring = new PacketRing(8);
    /** Sink worker only: decoded audio waiting to be transcoded or mixed. */
    final PcmRing sinkFifo = new PcmRing(2048);
    /** Sink worker only: whether relaying has a cushion of two payloads since the last underrun. */
    boolean primed;
    private final AtomicBoolean closed = new AtomicBoolean();

    RtpConnection(RtpSessionImpl source, RtpSessionImpl sink) {
        this.source = source;
        this.sink = sink;
    }

    /** Attaches the connection to both sessions (on their workers). */
    RtpConnection open() {
        source.worker().execute(() -> source.addOutgoing(this));
        sink.worker().execute(() -> sink.addIncoming(this));
        return this;
    }

    /** Returns whether it was closed (directly, or by the closing of either session). */
    boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            source.worker().execute(() -> source.removeConnection(this));
            sink.worker().execute(() -> sink.removeConnection(this));
        }
    }
}
