package org.cti4j.media.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTCP side of a session (RFC 3550), on the port above its RTP port: sends a compound sender report (SR and an
 * SDES CNAME) about every 5 s while the session sends, and reads what arrives, counting well-formed and malformed
 * packets and otherwise ignoring them. Like RTP, it answers to where the far end's reports really come from once one
 * arrived. Worker thread only, apart from the counters.
 */
public final class RtcpEndpoint implements MediaWorker.Reader {

    private static final Logger log = LoggerFactory.getLogger(RtcpEndpoint.class);
    private static final long INTERVAL_NANOS = 5_000_000_000L;
    private static final long NTP_OFFSET_SECONDS = 2_208_988_800L;

    private final DatagramChannel channel;
    private final MediaWorker worker;
    private final byte[] sdes;
    private final SrtpStreams srtp;
    private InetSocketAddress latched;
    private InetSocketAddress derivedFrom;
    private InetSocketAddress derived;
    private long nextReport;

    public volatile long received;
    public volatile long malformed;
    public volatile long sent;

    public RtcpEndpoint(DatagramChannel channel, MediaWorker worker, int ssrc, String cname, RemoteEndpoint remote) {
        this.channel = channel;
        this.worker = worker;
        this.srtp = remote.srtp();
        this.sdes = sdes(ssrc, cname);
    }

    private static byte[] sdes(int ssrc, String cname) {
        byte[] text = cname.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(text.length, 255);
        int chunk = 4 + 2 + length + 1;
        int padded = (chunk + 3) & ~3;
        ByteBuffer sdes = ByteBuffer.allocate(4 + padded);
        sdes.put((byte) 0x81).put((byte) 202).putShort((short) (padded / 4));
        sdes.putInt(ssrc).put((byte) 1).put((byte) length).put(text, 0, length);
        return sdes.array();
    }

    /** Forgets the address reports came from (the far end changed). */
    public void resetRemote() {
        latched = null;
    }

    @Override
    // one writer: only the worker updates these counters; others only read them
    @SuppressWarnings("NonAtomicVolatileUpdate")
    public void onReadable() {
        ByteBuffer buffer = worker.buffers().receive;
        for (int i = 0; i < 16; i++) {
            buffer.clear();
            SocketAddress from;
            try {
                from = channel.receive(buffer);
            } catch (IOException e) {
                log.debug("reading RTCP failed", e);
                return;
            }
            if (from == null) {
                return;
            }
            buffer.flip();
            if (srtp.active() && !srtp.unprotectRtcp(buffer, worker.buffers().srtp)) {
                continue;
            }
            if (wellFormed(buffer)) {
                received++;
                if (latched == null) {
                    latched = (InetSocketAddress) from;
                }
            } else {
                malformed++;
            }
        }
    }

    /** Returns whether the first packet of the compound has version 2, an RTCP type and a length that fits. */
    public static boolean wellFormed(ByteBuffer packet) {
        if (packet.limit() < 8 || (packet.get(0) & 0xC0) != 0x80) {
            return false;
        }
        int type = packet.get(1) & 0xFF;
        int length = ((packet.getShort(2) & 0xFFFF) + 1) * 4;
        return type >= 200 && type <= 206 && length <= packet.limit();
    }

    /**
     * Sends a sender report if one is due.
     *
     * @param rtpTarget where RTP goes (RTCP goes to its port + 1 until reports arrive from elsewhere)
     */
    // one writer: only the worker updates these counters; others only read them
    @SuppressWarnings("NonAtomicVolatileUpdate")
    public void maybeReport(long now, InetSocketAddress rtpTarget, int ssrc, int rtpTimestamp, long packets,
            long octets) {
        if (nextReport == 0) {
            nextReport = now + INTERVAL_NANOS / 2 + (ssrc & 0x3FF) * 1_000_000L;
            return;
        }
        if (now - nextReport < 0) {
            return;
        }
        nextReport = now + INTERVAL_NANOS;
        InetSocketAddress target = latched != null ? latched : derived(rtpTarget);
        long millis = System.currentTimeMillis();
        long seconds = millis / 1000 + NTP_OFFSET_SECONDS;
        long fraction = ((millis % 1000) << 32) / 1000;
        ByteBuffer out = worker.buffers().send;
        out.clear();
        out.put((byte) 0x80).put((byte) 200).putShort((short) 6).putInt(ssrc);
        out.putInt((int) seconds).putInt((int) fraction).putInt(rtpTimestamp);
        out.putInt((int) packets).putInt((int) octets);
        out.put(sdes);
        out.flip();
        if (srtp.active() && !srtp.protectRtcp(out, worker.buffers().srtp)) {
            return;
        }
        try {
            if (channel.send(out, target) > 0) {
                sent++;
            }
        } catch (IOException e) {
            log.debug("sending RTCP to {} failed", target, e);
        }
    }

    private InetSocketAddress derived(InetSocketAddress rtpTarget) {
        if (!rtpTarget.equals(derivedFrom)) {
            derivedFrom = rtpTarget;
            derived = new InetSocketAddress(rtpTarget.getAddress(), rtpTarget.getPort() + 1);
        }
        return derived;
    }
}
