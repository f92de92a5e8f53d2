package org.cti4j.media.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending half of an {@link RtpSessionImpl}: one RTP packet per 20 ms frame of the worker's clock, with the
 * session's SSRC, consecutive sequence numbers and timestamps one frame apart, whatever the frame carries.
 *
 * <pre>
 *   payload queued by a connection ──▶ relayed now as the next tick's frame, if that frame is still free
 *   tick: frame already relayed | DTMF event | playback | relayed payload | late payload: wait (grace)
 *         | mix of connections and mixers | silence ──▶ the far end;  what was received + sent ──▶ recording
 * </pre>
 *
 * <p>A relayed payload goes out when it arrives rather than at the tick, so the relay adds no delay and needs no
 * priming; one that arrives while the next frame is already sent waits and goes out right after that frame's tick
 * (a cushion, which only a burst builds). When the payload of a relayed stream is late at its tick, the frame waits
 * for it for {@link MediaWorker#GRACE_NANOS} and is silence only if it has not come by then: a packet a few ms late
 * costs no silence and adds no fixed delay. Worker thread only, except {@link #payloadQueued} and the counters.
 */
public final class FrameSender implements MediaWorker.Late {

    private static final Logger log = LoggerFactory.getLogger(FrameSender.class);

    private final int port;
    private final DatagramChannel rtp;
    private final MediaWorker worker;
    private final RemoteEndpoint remote;
    private final SessionFeeds feeds;
    private final AtomicReference<Playback> playback;
    private final AtomicReference<Recording> recording;
    private final DtmfSender dtmfSender;
    private final RtcpEndpoint rtcp;
    private final AtomicBoolean closed;
    private final int ssrc;
    private final MediaWorker.Signal payloadSignal = new MediaWorker.Signal(this::onPayloadQueued);

    // worker only
    private int sequence = ThreadLocalRandom.current().nextInt(65536);
    private int timestamp = ThreadLocalRandom.current().nextInt();
    private boolean wasSending;
    /** Created when the session first records. */
    private RecordingTap tap;
    /** The next tick's frame was already sent: a relayed payload, sent as it came. */
    private boolean slotFilled;
    /** The last frame sent was a relayed payload: a missing next one is waited for a little (a grace). */
    private boolean relaying;
    /** A tick found no relayed payload and waits for it: the tick's end is deferred until it comes or grace ends. */
    private boolean late;
    private long lateTickTime;
    private boolean lateMarker;

    // counters: written by the worker only
    private volatile long packetsSent;
    private volatile long octetsSent;

    public FrameSender(int port, DatagramChannel rtp, MediaWorker worker, RemoteEndpoint remote, SessionFeeds feeds,
            AtomicReference<Playback> playback, AtomicReference<Recording> recording, DtmfSender dtmfSender,
            RtcpEndpoint rtcp, AtomicBoolean closed, int ssrc) {
        this.port = port;
        this.rtp = rtp;
        this.worker = worker;
        this.remote = remote;
        this.feeds = feeds;
        this.playback = playback;
        this.recording = recording;
        this.dtmfSender = dtmfSender;
        this.rtcp = rtcp;
        this.closed = closed;
        this.ssrc = ssrc;
    }

    /** Returns the RTP packets sent. Any thread. */
    public long packetsSent() {
        return packetsSent;
    }

    /** Returns whether the buffers of a recording were made (the session recorded once). Worker thread only. */
    public boolean hasRecordingTap() {
        return tap != null;
    }

    /** Returns where received audio goes for the recording, or {@code null} while the session does not record. */
    public PcmRing recordingInput() {
        return tap != null && recording.get() != null ? tap.received : null;
    }

    /** Sends this tick's frame (or waits for it, see {@link #graceExpired}); the session is open. */
    public void tick(long now) {
        if (late) {
            completeLate(null); // the worker fell behind: the grace of the previous frame ended with this tick
        }
        WorkerBuffers buffers = worker.buffers();
        InetSocketAddress target = remote.target();
        boolean sending = remote.sending();
        boolean marker = sending && !wasSending;
        wasSending = sending;
        short[] tx = buffers.txFrame;
        boolean heard;
        boolean relayed = false;
        if (slotFilled) {
            slotFilled = false;
            tx = tap != null ? tap.relayedFrame : tx;
            heard = true;
            relayed = true;
        } else if (sending && dtmfTick(buffers.payload, target)) {
            feeds.drop();
            heard = false;
        } else if (playbackTick(tx)) {
            feeds.drop();
            heard = sending && sendFrame(buffers, tx, marker, target);
        } else if (!sending) {
            feeds.drop();
            heard = false;
        } else {
            byte[] payload = feeds.relayable(remote.negotiation().codec());
            if (payload == SessionFeeds.SILENCE_MARK && relaying) {
                late = true;
                lateTickTime = now;
                lateMarker = marker;
                worker.awaitGrace(this, now);
                return;
            }
            if (payload != null && payload != SessionFeeds.SILENCE_MARK) {
                relay(payload, marker, target, tx);
                heard = true;
                relayed = true;
            } else {
                feeds.mix(buffers, tx);
                heard = sendFrame(buffers, tx, marker, target);
            }
        }
        relaying = relayed;
        endTick(now, tx, heard, sending, target);
    }

    /** Ends a tick (or a late frame): records it, moves the clock on, then relays what waits for the next frame. */
    private void endTick(long tickTime, short[] tx, boolean heard, boolean sending, InetSocketAddress target) {
        recordTick(worker.buffers(), tx, heard);
        timestamp += WorkerBuffers.FRAME;
        if (sending) {
            rtcp.maybeReport(tickTime, target, ssrc, timestamp, packetsSent, octetsSent);
        }
        relayEarly();
        feeds.trimCushion();
    }

    /** Called by a connection's source (any thread) when it queued a payload for the session to relay. */
    public void payloadQueued() {
        worker.post(payloadSignal);
    }

    private void onPayloadQueued() {
        if (closed.get()) {
            return;
        }
        if (late) {
            byte[] payload = feeds.relayable(remote.negotiation().codec());
            if (payload != null && payload != SessionFeeds.SILENCE_MARK) {
                completeLate(payload);
            }
            return;
        }
        relayEarly();
    }

    /**
     * Sends the payload waiting at the head of the only connection now, as the next tick's frame, if that frame is
     * still free and nothing else (a playback, a DTMF key) is to be sent in it.
     */
    private void relayEarly() {
        if (slotFilled || late || !remote.sending() || dtmfSender.busy()) {
            return;
        }
        Playback current = playback.get();
        if (current != null) {
            if (!current.isCompleted()) {
                return;
            }
            playback.compareAndSet(current, null); // stopped (the ringback at a bridge): the relay need not wait a tick
        }
        byte[] payload = feeds.relayable(remote.negotiation().codec());
        if (payload == null || payload == SessionFeeds.SILENCE_MARK) {
            return;
        }
        boolean marker = !wasSending;
        wasSending = true;
        relay(payload, marker, remote.target(), tap != null ? tap.relayedFrame : null);
        slotFilled = true;
        relaying = true;
    }

    /** The grace of a late frame ended: it is silence. */
    @Override
    public void graceExpired() {
        if (late && !closed.get()) {
            completeLate(null);
        }
    }

    /** Sends the late frame: {@code payload} if it came in time, else silence; then ends its tick. */
    private void completeLate(byte[] payload) {
        late = false;
        WorkerBuffers buffers = worker.buffers();
        short[] tx = buffers.txFrame;
        InetSocketAddress target = remote.target();
        boolean sending = remote.sending();
        if (sending && payload != null) {
            relay(payload, lateMarker, target, tx);
        } else {
            Arrays.fill(tx, (short) 0);
            if (sending) {
                sendFrame(buffers, tx, lateMarker, target);
            }
        }
        relaying = sending && payload != null;
        endTick(lateTickTime, tx, sending, sending, target);
    }

    private boolean dtmfTick(byte[] payload, InetSocketAddress target) {
        int eventType = remote.negotiation().telephoneEvent();
        if (eventType < 0) {
            return false;
        }
        int length = dtmfSender.next(timestamp, payload);
        if (length == 0) {
            return false;
        }
        send(payload, length, eventType, dtmfSender.firstPacket(), dtmfSender.eventTimestamp(), target);
        return true;
    }

    /** Fills {@code tx} from the playback, if one plays; returns whether it did. */
    private boolean playbackTick(short[] tx) {
        Playback current = playback.get();
        if (current == null) {
            return false;
        }
        if (current.isCompleted()) {
            playback.compareAndSet(current, null);
            return false;
        }
        if (current.nextFrame(tx) == Playback.ENDED) {
            current.complete(null);
            playback.compareAndSet(current, null);
            Arrays.fill(tx, (short) 0);
        }
        return true;
    }

    /**
     * Relays the payload at the head of the only connection feeding the session as it came (only the RTP header is
     * new), as the frame of the coming tick; decodes it into {@code pcm} if a recording needs it.
     */
    private void relay(byte[] payload, boolean marker, InetSocketAddress target, short[] pcm) {
        Negotiation negotiation = remote.negotiation();
        send(payload, WorkerBuffers.FRAME, negotiation.payloadType(), marker, timestamp, target);
        if (pcm != null && recording.get() != null) {
            G711.decode(negotiation.codec(), payload, 0, pcm, 0, WorkerBuffers.FRAME);
        }
        feeds.relayed();
    }

    /** Encodes and sends a frame; returns true. */
    private boolean sendFrame(WorkerBuffers buffers, short[] tx, boolean marker, InetSocketAddress target) {
        G711.encode(remote.negotiation().codec(), tx, 0, buffers.payload, 0, WorkerBuffers.FRAME);
        send(buffers.payload, WorkerBuffers.FRAME, remote.negotiation().payloadType(), marker, timestamp, target);
        return true;
    }

    private void recordTick(WorkerBuffers buffers, short[] tx, boolean txAudio) {
        Recording current = recording.get();
        if (current == null) {
            return;
        }
        if (current.isDone()) {
            recording.compareAndSet(current, null);
            if (tap != null) {
                tap.received.clear();
            }
            return;
        }
        if (tap == null) {
            tap = new RecordingTap(); // normally made by startTap already; never more than once per session
        }
        tap.push(current, buffers, tx, txAudio);
    }

    /** Makes what recording needs, on the worker, when the session first records: a plain bridge never does. */
    public void startTap() {
        if (tap == null && !closed.get()) {
            tap = new RecordingTap();
        }
    }

    // one writer: only the worker updates these counters; others only read them
    @SuppressWarnings("NonAtomicVolatileUpdate")
    private void send(byte[] payload, int length, int payloadType, boolean marker, int rtpTimestamp,
            InetSocketAddress target) {
        ByteBuffer out = worker.buffers().send;
        RtpPacket.writeHeader(out, marker, payloadType, sequence, rtpTimestamp, ssrc);
        sequence = (sequence + 1) & 0xFFFF;
        out.put(payload, 0, length);
        out.flip();
        SrtpStreams srtp = remote.srtp();
        if (srtp.active() && !srtp.protectRtp(out, worker.buffers().srtp)) {
            return;
        }
        try {
            if (rtp.send(out, target) > 0) {
                packetsSent++;
                octetsSent += length;
            }
        } catch (IOException e) {
            log.debug("session {}: sending RTP to {} failed", port, target, e);
        }
    }
}
