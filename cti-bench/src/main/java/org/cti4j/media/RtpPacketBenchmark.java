package org.cti4j.media;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.cti4j.media.internal.Codec;
import org.cti4j.media.internal.G711;
import org.cti4j.media.internal.RtpConnection;
import org.cti4j.media.internal.RtpPacket;
import org.cti4j.media.internal.RtpSessionImpl;
import org.cti4j.media.internal.SessionFeeds;
import org.cti4j.media.internal.WorkerBuffers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-packet RTP work, without sockets, on the direct buffers a worker uses ({@link WorkerBuffers}): reading and
 * checking a received header, writing the new header of a relayed packet, and the whole hand-off of one relayed
 * payload from the receiving session to the sending one.
 *
 * <p>cti4j does not rewrite a relayed packet in place: the sending session writes a fresh header (its own SSRC,
 * sequence number and timestamp) into its send buffer and copies the payload after it; that is what
 * {@link #writeRelayPacket} measures.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RtpPacketBenchmark {

    private static final int PCMU = 0;

    private final WorkerBuffers receiving = new WorkerBuffers();
    private final WorkerBuffers sending = new WorkerBuffers();
    private final SessionFeeds source = new SessionFeeds();
    private final SessionFeeds sink = new SessionFeeds();
    private final byte[] payload = new byte[WorkerBuffers.FRAME];
    private int sequence = 4711;
    private int timestamp = 123_456_789;
    private final int ssrc = 0x5EED_CAFE;

    /** Builds a received 20 ms PCMU packet, and connects two socket-less sessions' feeds with a relay cushion. */
    @Setup
    public void setUp() {
        short[] pcm = BenchSignals.speechLike(8000, WorkerBuffers.FRAME, 3);
        G711.encode(Codec.PCMU, pcm, 0, payload, 0, WorkerBuffers.FRAME);
        ByteBuffer packet = receiving.receive;
        RtpPacket.writeHeader(packet, true, PCMU, 65535, -1, 0x1234_5678);
        packet.put(payload);
        packet.flip();

        RtpConnection connection = new RtpConnection(null, null);
        source.addOutgoing(connection);
        sink.addIncoming(connection);
        // the relay's cushion: one payload waits in the ring between ticks
        source.offerReceived(packet, RtpPacket.HEADER, WorkerBuffers.FRAME, Codec.PCMU, 0L);
        for (int i = 0; i < 10; i++) {
            if (relayOnePacket() != RtpPacket.HEADER + WorkerBuffers.FRAME) {
                throw new IllegalStateException("the payload was not relayed");
            }
        }
    }

    /** Checks a received packet and reads its header fields, as {@code RtpSessionImpl.onPacket} does. */
    @Benchmark
    public void parseHeader(Blackhole blackhole) {
        ByteBuffer packet = receiving.receive;
        int offset = RtpPacket.payloadOffset(packet);
        blackhole.consume(offset);
        blackhole.consume(RtpPacket.payloadType(packet));
        blackhole.consume(RtpPacket.marker(packet));
        blackhole.consume(RtpPacket.sequence(packet));
        blackhole.consume(RtpPacket.timestamp(packet));
        blackhole.consume(RtpPacket.ssrc(packet));
        blackhole.consume(packet.limit() - offset - RtpPacket.payloadPadding(packet));
    }

    /** Writes a relayed packet: a new header with this session's SSRC, sequence and timestamp, then the payload. */
    @Benchmark
    public int writeRelayPacket() {
        ByteBuffer out = sending.send;
        RtpPacket.writeHeader(out, false, PCMU, sequence, timestamp, ssrc);
        sequence = (sequence + 1) & 0xFFFF;
        timestamp += WorkerBuffers.FRAME;
        out.put(payload, 0, WorkerBuffers.FRAME);
        out.flip();
        return out.limit();
    }

    /**
     * The whole relay of one packet short of the sockets: the receiving session checks it and offers the payload to
     * its outgoing connection's ring; the sending session takes it from the ring ({@link SessionFeeds#relayable}),
     * writes it behind a new header, and drops it from the ring. Returns the length of the packet to send.
     */
    @Benchmark
    public int relayOnePacket() {
        ByteBuffer packet = receiving.receive;
        int offset = RtpPacket.payloadOffset(packet);
        if (offset < 0 || RtpPacket.payloadType(packet) != PCMU) {
            return -1;
        }
        int length = packet.limit() - offset - RtpPacket.payloadPadding(packet);
        // the worker reads the clock once per batch of packets it receives, outside what is measured here
        source.offerReceived(packet, offset, length, Codec.PCMU, 0L);

        byte[] relayed = sink.relayable(Codec.PCMU);
        if (relayed == null || relayed == SessionFeeds.SILENCE_MARK) {
            return -1;
        }
        ByteBuffer out = sending.send;
        RtpPacket.writeHeader(out, false, PCMU, sequence, timestamp, ssrc);
        sequence = (sequence + 1) & 0xFFFF;
        timestamp += WorkerBuffers.FRAME;
        out.put(relayed, 0, WorkerBuffers.FRAME);
        out.flip();
        sink.relayed();
        return out.limit();
    }
}
