package org.cti4j.bench.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The far end's RTP for the probe calls: a socket in the harness that SIPp P's answers name as their media address,
 * so that the engine sends those calls' RTP here. It echoes every packet back (as SIPp's {@code -rtp_echo} does) and
 * notes, per stream: arrival times (the deviation of each interval from 20 ms), sequence gaps (loss) and, for duo
 * callbacks, the first packet that carries party 1's audio rather than the engine's silence.
 *
 * <p>One thread, blocked in {@code receive}; the arrival time is taken as the datagram is received. The deviation
 * measured is therefore the engine's send timing plus the loopback and this thread's wake-up: an upper bound of
 * the engine's own jitter, and what a far end on the same machine sees.
 */
final class RtpProbe implements AutoCloseable {

    private final DatagramChannel channel;
    private final Timelines timelines;
    private final Map<Integer, Integer> callOfPort = new ConcurrentHashMap<>();
    private final Thread thread;
    // probe thread only until close() joins it
    private final Map<Integer, RtpFlow> flows = new HashMap<>();
    private final LongSamples arrivals;
    private final LongSamples deviations;
    private long packets;
    private long retiredReceived;
    private long retiredExpected;
    private long retiredLost;
    private int flowCount;
    private long retiredAudio;
    private long retiredSilent;

    /**
     * Opens the probe's socket and starts its thread.
     *
     * @param expectedIntervals how many intervals the run will likely measure: allocated now, so that the arrays do
     *     not grow (and weigh on the heap figures) while the run is measured
     */
    RtpProbe(Timelines timelines, OwnThreads threads, int expectedIntervals) throws IOException {
        this.timelines = timelines;
        this.arrivals = new LongSamples(expectedIntervals);
        this.deviations = new LongSamples(expectedIntervals);
        channel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = threads.newThread("rtp-probe", this::run);
        thread.start();
    }

    /** Returns the probe's RTP port (its RTCP port, the next one, is not listened on). */
    int port() throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    /** Tells the probe that the engine's RTP from {@code enginePort} now belongs to call {@code callId}. */
    void expect(int enginePort, int callId) {
        callOfPort.put(enginePort, callId);
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
        while (true) {
            buffer.clear();
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) channel.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue;
            }
            long now = System.nanoTime();
            buffer.flip();
            if (from == null || buffer.remaining() < 12 || (buffer.get(0) & 0xC0) != 0x80) {
                continue;
            }
            onPacket(buffer, from.getPort(), now);
            try {
                channel.send(buffer, from);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // lost, as on a network
            }
        }
    }

    private void onPacket(ByteBuffer packet, int port, long now) {
        packets++;
        int sequence = packet.getShort(2) & 0xFFFF;
        int ssrc = packet.getInt(8);
        RtpFlow flow = flows.get(port);
        if (flow == null || flow.ssrc != ssrc) {
            if (flow != null) {
                retire(flow);
            }
            flow = new RtpFlow(ssrc, callOfPort.getOrDefault(port, -1));
            flows.put(port, flow);
            flowCount++;
        }
        long deviation = flow.onPacket(sequence, now);
        if (deviation >= 0) {
            arrivals.add(now);
            deviations.add(deviation);
        }
        if (flow.callId >= 0 && flow.audio(carriesAudio(packet))) {
            Timelines.first(timelines.audio2, flow.callId, now);
        }
    }

    private void retire(RtpFlow flow) {
        retiredAudio += flow.audioFrames();
        retiredSilent += flow.silentAfterAudio();
        retiredReceived += flow.received();
        retiredExpected += flow.expected();
        retiredLost += flow.lost();
    }

    /**
     * Returns whether a G.711 packet carries sound: more than a tenth of its bytes are not the codes of silence
     * (A-law 0xD5/0x55, µ-law 0xFF/0x7F) that the engine sends while nothing feeds a session.
     */
    static boolean carriesAudio(ByteBuffer packet) {
        int payloadType = packet.get(1) & 0x7F;
        if (payloadType != 0 && payloadType != 8) {
            return false;
        }
        int offset = 12 + 4 * (packet.get(0) & 0x0F);
        int length = packet.limit() - offset;
        if (length <= 0) {
            return false;
        }
        int sound = 0;
        for (int i = offset; i < packet.limit(); i++) {
            int b = packet.get(i) & 0xFF;
            boolean silence = payloadType == 8 ? (b == 0xD5 || b == 0x55) : (b == 0xFF || b == 0x7F);
            if (!silence) {
                sound++;
            }
        }
        return sound * 10 > length;
    }

    /** Stops the probe's thread; call before reading the results. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The probe's results, after {@link #close()}. */
    record Result(long packets, int flows, long received, long expected, long lost, long audioFrames,
            long silentAfterAudio, LongSamples arrivals, LongSamples deviations) {

        /** Returns the share of packets lost, in per cent (NaN when none was expected). */
        double lossPercent() {
            return expected == 0 ? Double.NaN : 100.0 * lost / expected;
        }
    }

    /** Returns the results; only after {@link #close()}. */
    Result result() {
        long received = retiredReceived;
        long expected = retiredExpected;
        long lost = retiredLost;
        long audio = retiredAudio;
        long silent = retiredSilent;
        for (RtpFlow flow : flows.values()) {
            audio += flow.audioFrames();
            silent += flow.silentAfterAudio();
            received += flow.received();
            expected += flow.expected();
            lost += flow.lost();
        }
        return new Result(packets, flowCount, received, expected, lost, audio, silent, arrivals, deviations);
    }
}
