package org.cti4j.media.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;
import org.cti4j.core.spi.MediaListener;
import org.cti4j.media.RtpStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving half of an {@link RtpSessionImpl}: reads its RTP socket, checks and counts each packet, latches
 * onto the far end's real address, and hands DTMF events to the listener, raw payloads to the session's outgoing
 * connections, decoded PCM to mixers and the recording; watches for RTP inactivity.
 *
 * <p>Runs on the session's worker thread only. The counters are written there and read by {@link #stats} from any
 * thread.
 */
public final class RtpReceiver implements MediaWorker.Reader {

    private static final Logger log = LoggerFactory.getLogger(RtpReceiver.class);

    private final int port;
    private final DatagramChannel rtp;
    private final MediaWorker worker;
    private final RemoteEndpoint remote;
    private final SessionFeeds feeds;
    private final FrameSender sender;
    private final MediaContext context;
    private final MediaListener listener;
    private final DtmfDetector dtmfDetector = new DtmfDetector();

    /** A jump of more sequence numbers than this starts a new stream rather than losing packets (RFC 3550 A.1). */
    static final int MAX_DROPOUT = 3000;
    /** A packet at most this many sequence numbers behind the highest is late; further behind, a new stream. */
    static final int MAX_MISORDER = 100;

    // worker only
    private long lastReceived;
    private boolean inactivityReported;
    /** The far end's stream: its SSRC and highest sequence number so far; -1 before its first packet. */
    private int streamSsrc;
    private int highestSequence = -1;

    private final AtomicLong packetsReceived = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong unknownPayloadType = new AtomicLong();
    private final AtomicLong unknownSource = new AtomicLong();
    private final AtomicLong dtmfReceived = new AtomicLong();
    private final AtomicLong oversized = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong late = new AtomicLong();

    public RtpReceiver(int port, DatagramChannel rtp, MediaWorker worker, RemoteEndpoint remote, SessionFeeds feeds,
            FrameSender sender, MediaContext context, MediaListener listener) {
        this.port = port;
        this.rtp = rtp;
        this.worker = worker;
        this.remote = remote;
        this.feeds = feeds;
        this.sender = sender;
        this.context = context;
        this.listener = listener;
    }

    /** Restarts the inactivity clock, as if a packet came now (a new far end was applied). */
    public void expectFromNow() {
        lastReceived = System.nanoTime();
        inactivityReported = false;
    }

    /** Returns the session's counters, with the sender's and the RTCP endpoint's. Any thread. */
    public RtpStats stats(long packetsSent, RtcpEndpoint rtcp) {
        SrtpStreams srtp = remote.srtp();
        return new RtpStats(packetsReceived.get(), packetsSent, malformed.get() + srtp.malformed,
                unknownPayloadType.get(), unknownSource.get(), rtcp.received, rtcp.malformed, rtcp.sent,
                dtmfReceived.get(), oversized.get(), srtp.authFailures, srtp.replays, lost.get(), late.get());
    }

    @Override
    public void onReadable() {
        ByteBuffer buffer = worker.buffers().receive;
        long now = System.nanoTime();
        for (int i = 0; i < 64; i++) {
            buffer.clear();
            SocketAddress from;
            try {
                from = rtp.receive(buffer);
            } catch (IOException e) {
                log.debug("session {}: reading RTP failed", port, e);
                return;
            }
            if (from == null) {
                return;
            }
            buffer.flip();
            onPacket(buffer, (InetSocketAddress) from, now);
        }
    }

    private void onPacket(ByteBuffer packet, InetSocketAddress from, long now) {
        int offset = RtpPacket.payloadOffset(packet);
        if (offset < 0) {
            malformed.incrementAndGet();
            return;
        }
        byte kind = remote.kindOf(RtpPacket.payloadType(packet));
        if (kind == RemoteEndpoint.NONE) {
            unknownPayloadType.incrementAndGet();
            return;
        }
        SrtpStreams srtp = remote.srtp();
        if (srtp.active()) {
            if (!srtp.unprotectRtp(packet, worker.buffers().srtp)) {
                return;
            }
            offset = RtpPacket.payloadOffset(packet);
            if (offset < 0) {
                malformed.incrementAndGet();
                return;
            }
        }
        if (!remote.accept(from)) {
            unknownSource.incrementAndGet();
            return;
        }
        if (packetsReceived.get() == 0 && remote.moved()) {
            log.info("session {}: the far end sends from {}, not {}; answering there", port, from,
                    remote.signalled());
        }
        packetsReceived.incrementAndGet();
        onSequence(RtpPacket.ssrc(packet), RtpPacket.sequence(packet));
        lastReceived = now;
        inactivityReported = false;
        int length = packet.limit() - offset - RtpPacket.payloadPadding(packet);
        if (kind == RemoteEndpoint.EVENT) {
            char key = dtmfDetector.onPayload(packet, offset, length, RtpPacket.timestamp(packet));
            if (key != 0) {
                dtmfReceived.incrementAndGet();
                notifyDtmf(key);
            }
            return;
        }
        Codec codec = kind == RemoteEndpoint.PCMA ? Codec.PCMA : Codec.PCMU;
        if (length > PacketRing.MAX_PAYLOAD) {
            oversized.incrementAndGet();
        } else {
            feeds.offerReceived(packet, offset, length, codec, now);
            feeds.wakeSinks();
        }
        PcmRing received = sender.recordingInput();
        if (received == null && !feeds.needsDecoded()) {
            return;
        }
        WorkerBuffers buffers = worker.buffers();
        for (int done = 0; done < length; ) {
            int n = Math.min(length - done, buffers.payload.length);
            packet.get(offset + done, buffers.payload, 0, n);
            G711.decode(codec, buffers.payload, 0, buffers.decoded, 0, n);
            if (received != null) {
                received.write(buffers.decoded, 0, n);
            }
            feeds.offerDecoded(buffers.decoded, n);
            done += n;
        }
    }

    /**
     * Counts the packets the far end's sequence skipped, and those that came after a later one (or twice). A new
     * SSRC, a jump of more than {@link #MAX_DROPOUT} or a step back of more than {@link #MAX_MISORDER} is a new
     * stream (a re-INVITE to another source, a restarted phone): counting starts again from it, with nothing lost.
     */
    private void onSequence(int ssrc, int sequence) {
        if (highestSequence < 0 || ssrc != streamSsrc) {
            streamSsrc = ssrc;
            highestSequence = sequence;
            return;
        }
        int ahead = (sequence - highestSequence) & 0xFFFF;
        int behind = (highestSequence - sequence) & 0xFFFF;
        if (behind <= MAX_MISORDER) {
            late.incrementAndGet();
            return;
        }
        if (ahead > 1 && ahead <= MAX_DROPOUT) {
            lost.addAndGet(ahead - 1);
        }
        highestSequence = sequence;
    }

    private void notifyDtmf(char key) {
        try {
            listener.onDtmf(key);
        } catch (RuntimeException e) {
            log.warn("session {}: a media listener threw on DTMF", port, e);
        }
    }

    /** Tells the listener once when no packet came for the inactivity time while media is expected. */
    public void checkInactivity(long now) {
        if (!remote.expectingMedia() || inactivityReported || now - lastReceived < context.inactivityNanos()) {
            return;
        }
        inactivityReported = true;
        log.info("session {}: no RTP from {} for {} ms", port, remote.signalled(), (now - lastReceived) / 1_000_000);
        try {
            listener.onInactivity();
        } catch (RuntimeException e) {
            log.warn("session {}: a media listener threw on inactivity", port, e);
        }
    }
}
