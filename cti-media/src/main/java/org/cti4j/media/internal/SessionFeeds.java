package org.cti4j.media.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The connections and mixers a session takes part in, and how what they bring becomes the frame it sends. Worker
 * thread only (the session's).
 *
 * <pre>
 *   received payload ──▶ every outgoing connection's ring, then wake its sink  (the session is a source)
 *   received PCM     ──▶ every mixer's ring for this member
 *   one incoming connection, same codec, 20 ms payloads ──▶ relayed as they came, from the first one
 *   otherwise: sum of every incoming connection and every mixer (each after a jitter cushion), clamped to 16 bits
 * </pre>
 *
 * <p>A relay keeps no cushion of its own: a payload leaves as soon as the session's next frame is free (see {@link
 * FrameSender}). A cushion builds only when payloads come faster than frames (after a late burst), and one that
 * lasts is cut back ({@link #trimCushion}).
 */
public final class SessionFeeds {

    /** Frames a live feed may lag before the oldest are dropped (the delay stays under 100 ms). */
    public static final int LIVE_BACKLOG = 5;

    private final List<RtpConnection> outgoing = new ArrayList<>(2);
    private final List<RtpConnection> incoming = new ArrayList<>(2);
    private final List<MixerMember> mixers = new ArrayList<>(1);

    public void addOutgoing(RtpConnection connection) {
        outgoing.add(connection);
    }

    public void addIncoming(RtpConnection connection) {
        incoming.add(connection);
    }

    public void remove(RtpConnection connection) {
        outgoing.remove(connection);
        incoming.remove(connection);
    }

    public void join(MixerMember member) {
        mixers.add(member);
    }

    public void leave(MixerMember member) {
        mixers.remove(member);
    }

    /** Returns whether a mixer wants what the session receives, decoded. */
    public boolean needsDecoded() {
        return !mixers.isEmpty();
    }

    /**
     * Offers a payload received at {@code receivedAt} ({@link System#nanoTime()}) to every connection the session is
     * the source of.
     */
    // the rings carry the codec as its ordinal, read back by Codec.ofOrdinal, allocation-free
    @SuppressWarnings("EnumOrdinal")
    public void offerReceived(ByteBuffer packet, int offset, int length, Codec codec, long receivedAt) {
        for (int i = 0; i < outgoing.size(); i++) {
            outgoing.get(i).ring.offer(packet, offset, length, codec.ordinal(), receivedAt);
        }
    }

    /** Wakes the sink of every connection that relays what the session receives, after {@link #offerReceived}. */
    public void wakeSinks() {
        for (int i = 0; i < outgoing.size(); i++) {
            RtpConnection connection = outgoing.get(i);
            if (connection.wakeSink) {
                connection.sink.payloadQueued();
            }
        }
    }

    /** Gives received, decoded audio to every mixer the session is a member of. */
    public void offerDecoded(short[] samples, int length) {
        for (int i = 0; i < mixers.size(); i++) {
            mixers.get(i).toMixer.write(samples, 0, length);
        }
    }

    /** Drops what connections and mixers bring, while a playback or DTMF takes precedence. */
    public void drop() {
        for (int i = 0; i < incoming.size(); i++) {
            RtpConnection connection = incoming.get(i);
            connection.ring.clear();
            if (connection.sinkFifo != null) {
                connection.sinkFifo.clear();
            }
        }
        for (int i = 0; i < mixers.size(); i++) {
            mixers.get(i).fromMixer.clear();
        }
    }

    /**
     * Returns the payload to relay unchanged now, {@link #SILENCE_MARK} if relaying applies but no payload waits, or
     * {@code null} if the frame must be mixed instead: relaying needs exactly one incoming connection, no mixer, and
     * a 20 ms payload in {@code codec} at the head. A returned payload stays valid until {@link #relayed()}. There is
     * no priming: the first payload of a new connection, or the first after an underrun, is relayable at once.
     */
    // the rings carry the codec as its ordinal, read back by Codec.ofOrdinal, allocation-free
    @SuppressWarnings("EnumOrdinal")
    public byte[] relayable(Codec codec) {
        if (incoming.size() != 1 || !mixers.isEmpty()) {
            for (int i = 0; i < incoming.size(); i++) {
                if (incoming.get(i).wakeSink) {
                    incoming.get(i).wakeSink = false; // mixed at the ticks: a wake-up per payload would be wasted
                }
            }
            return null;
        }
        RtpConnection connection = incoming.get(0);
        PacketRing ring = connection.ring;
        while (ring.size() > RtpConnection.MAX_QUEUED) {
            ring.remove();
        }
        if (connection.sinkFifo != null && connection.sinkFifo.available() > 0) {
            return null;
        }
        if (ring.size() == 0) {
            return SILENCE_MARK;
        }
        boolean relays = ring.headLength() == WorkerBuffers.FRAME && ring.headPayloadType() == codec.ordinal();
        if (connection.wakeSink != relays) {
            connection.wakeSink = relays;
        }
        return relays ? ring.headPayload() : null;
    }

    /**
     * Returned by {@link #relayable} when the session relays its one connection but nothing waits: the frame is
     * silence, unless the caller waits a little for a late payload.
     */
    public static final byte[] SILENCE_MARK = new byte[0];

    /**
     * Drops the payload {@link #relayable} returned, once it was sent; the first payload a connection relays is told
     * to the flight recorder ({@link FirstRelayedPacketEvent}).
     */
    public void relayed() {
        RtpConnection connection = incoming.get(0);
        if (!connection.relayedOnce) {
            connection.relayedOnce = true;
            Flight.firstRelayed(connection);
        }
        connection.ring.remove();
    }

    /**
     * Called once per tick, after the next frame's payload (if any) was relayed: drops the oldest waiting payload of
     * a relayed connection once payloads have still been waiting at every tick for a second. Such a cushion is left
     * by a burst (a stalled sender catching up); it absorbs jitter but adds its delay to every later packet.
     */
    public void trimCushion() {
        if (incoming.size() != 1 || !mixers.isEmpty()) {
            return;
        }
        RtpConnection connection = incoming.get(0);
        if (connection.ring.size() == 0 || !connection.wakeSink) {
            connection.cushionTicks = 0;
        } else if (++connection.cushionTicks >= RtpConnection.CUSHION_TICKS) {
            connection.ring.remove();
            connection.cushionTicks = 0;
        }
    }

    /** Fills {@code tx} with the sum of what the connections and mixers bring (silence if nothing). */
    public void mix(WorkerBuffers buffers, short[] tx) {
        int[] sum = buffers.sum;
        Arrays.fill(sum, 0);
        short[] feed = buffers.feedFrame;
        for (int i = 0; i < incoming.size(); i++) {
            RtpConnection connection = incoming.get(i);
            PacketRing ring = connection.ring;
            if (ring.size() > 0 && connection.sinkFifo == null) {
                // the first time this connection is transcoded or mixed: once per connection, not per packet
                connection.sinkFifo = new PcmRing(2048);
            }
            while (ring.size() > 0) {
                int length = ring.headLength();
                G711.decode(Codec.ofOrdinal(ring.headPayloadType()), ring.headPayload(), 0, buffers.decoded, 0,
                        length);
                connection.sinkFifo.write(buffers.decoded, 0, length);
                ring.remove();
            }
            if (connection.sinkFifo != null
                    && connection.sinkFifo.readJitterFrame(feed, 0, WorkerBuffers.FRAME, LIVE_BACKLOG)) {
                add(sum, feed);
            }
        }
        for (int i = 0; i < mixers.size(); i++) {
            if (mixers.get(i).fromMixer.readJitterFrame(feed, 0, WorkerBuffers.FRAME, LIVE_BACKLOG)) {
                add(sum, feed);
            }
        }
        for (int k = 0; k < WorkerBuffers.FRAME; k++) {
            tx[k] = WorkerBuffers.saturate(sum[k]);
        }
    }

    private static void add(int[] sum, short[] frame) {
        for (int k = 0; k < WorkerBuffers.FRAME; k++) {
            sum[k] += frame[k];
        }
    }

    /** Closes every connection and leaves every mixer, for a session that closes. */
    public void detachAll(RtpSessionImpl session) {
        for (RtpConnection connection : new ArrayList<>(outgoing)) {
            connection.close();
        }
        for (RtpConnection connection : new ArrayList<>(incoming)) {
            connection.close();
        }
        for (MixerMember member : new ArrayList<>(mixers)) {
            member.mixer.remove(session);
        }
        outgoing.clear();
        incoming.clear();
        mixers.clear();
    }
}
