package org.cti4j.media.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.cti4j.core.spi.MediaConnection;

/**
 * A one-way flow from what {@code source} receives to {@code sink}'s far end. The source's worker offers each audio
 * payload it receives to a {@link PacketRing} and wakes the sink's worker; when the codec and the 20 ms size match
 * the sink's own stream, the sink relays it unchanged (only the RTP header is new) as soon as it is woken, one
 * payload per 20 ms frame of its clock; otherwise it decodes them at its tick into {@link #sinkFifo} to transcode or
 * mix.
 */
public final class RtpConnection implements MediaConnection {

    /** Payloads waiting beyond this many are dropped, so that the delay stays under 100 ms. */
    public static final int MAX_QUEUED = 5;

    public final RtpSessionImpl source;
    public final RtpSessionImpl sink;
    /** Ticks a cushion of waiting payloads may last before one is dropped (a second): see {@link #cushionTicks}. */
    public static final int CUSHION_TICKS = 50;

    /** Source worker writes, sink worker reads. */
    public final PacketRing ring = new PacketRing(8);
    /**
     * Sink worker only: decoded audio waiting to be transcoded or mixed; {@code null} until the sink first needs it,
     * so that a relaying connection (the common case: both legs speak the same codec) does not carry 4 KB it never
     * uses.
     */
    public PcmRing sinkFifo;
    /**
     * Sink worker only: for how many ticks in a row a payload was still waiting after the sink had sent the next
     * frame's. A burst leaves such a cushion (and its delay) behind; after {@link #CUSHION_TICKS} one payload is
     * dropped.
     */
    public int cushionTicks;
    /**
     * Whether the source should wake the sink's worker for each payload it offers: true while the sink relays (it
     * sends a payload as soon as it comes), false while it decodes at its ticks anyway. Written by the sink worker.
     */
    public volatile boolean wakeSink = true;
    /** When the connection was asked for ({@link System#nanoTime()}), for {@link FirstRelayedPacketEvent}. */
    public final long createdAt = System.nanoTime();
    /**
     * When the source's worker began to offer payloads to the connection ({@link System#nanoTime()}), for {@link
     * FirstRelayedPacketEvent}. Written by the source worker before it offers the first payload, read by the sink
     * worker after it took one from the ring.
     */
    public long armedAt;
    /** Sink worker only: whether a payload was relayed (the first is told to the flight recorder). */
    public boolean relayedOnce;
    private final AtomicBoolean closed = new AtomicBoolean();

    public RtpConnection(RtpSessionImpl source, RtpSessionImpl sink) {
        this.source = source;
        this.sink = sink;
    }

    /** Attaches the connection to both sessions (on their workers). */
    public RtpConnection open() {
        source.worker().execute(() -> {
            armedAt = System.nanoTime();
            source.addOutgoing(this);
        });
        sink.worker().execute(() -> sink.addIncoming(this));
        return this;
    }

    /** Returns whether it was closed (directly, or by the closing of either session). */
    public boolean isClosed() {
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
