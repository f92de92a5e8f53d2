package org.cti4j.media;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.spi.MediaListener;
import org.cti4j.core.spi.PayloadType;
import org.cti4j.media.internal.RtpPacket;
import org.cti4j.media.internal.RtpSessionImpl;
import org.cti4j.media.internal.WorkerBuffers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long a payload waits in a bridge, over real sockets on loopback: phone 1 sends one audio packet to leg 1 7 ms
 * after the workers' 20 ms tick, leg 1 is connected to leg 2, and the operation ends when phone 2 hears it. A
 * payload relayed as soon as it arrives takes well under a millisecond; one held for the next tick would wait about
 * 13 ms. Read the median ({@code p0.50}) of the sample-time report: this used to be a timed assertion in cti-media's
 * {@code RelayTimingTest} (median under 10 ms), which a loaded machine could fail; a benchmark reports it instead.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class RelayLatencyBenchmark {

    private static final byte AUDIO = 0x2A;

    private RtpMediaProvider provider;
    private DatagramSocket phone1;
    private DatagramSocket phone2;
    private RtpSessionImpl leg1;
    private RtpSessionImpl leg2;
    private final byte[] received = new byte[2048];
    private final ByteBuffer packet = ByteBuffer.allocate(RtpPacket.HEADER + WorkerBuffers.FRAME);
    private final byte[] payload = new byte[WorkerBuffers.FRAME];
    private int sequence;

    /** Starts a provider with two workers, two plain-socket phones, their legs and the bridge between them. */
    @Setup(Level.Trial)
    public void start() throws IOException {
        provider = new RtpMediaProvider(RtpMediaConfig.builder().bindAddress("127.0.0.1").rtpPorts(26000, 26099)
                .workers(2).build());
        phone1 = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        phone2 = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        phone2.setSoTimeout(2000);
        Arrays.fill(payload, AUDIO);
        leg1 = leg(phone1);
        leg2 = leg(phone2);
        provider.connect(leg1, leg2);
    }

    private RtpSessionImpl leg(DatagramSocket phone) {
        RtpSessionImpl leg = (RtpSessionImpl) provider.createSession(new MediaListener() { });
        leg.answer(new MediaDescription("127.0.0.1", phone.getLocalPort(), List.of(PayloadType.PCMU),
                MediaDirection.SENDRECV));
        return leg;
    }

    /**
     * Waits until leg 2 sends silence twice (the second arrives on a tick, not from the socket's backlog), then 7 ms
     * more: mid-frame. Not measured.
     */
    @Setup(Level.Invocation)
    public void midFrame() throws IOException {
        for (int quiet = 0; quiet < 2; ) {
            quiet = hear() == AUDIO ? 0 : quiet + 1;
        }
        LockSupport.parkNanos(7_000_000L);
    }

    /** Sends one audio payload to leg 1 and returns when phone 2 hears it from leg 2. */
    @Benchmark
    public byte relayOnePayload() throws IOException {
        RtpPacket.writeHeader(packet, false, 0, sequence, sequence * 160, 0x1234);
        sequence = (sequence + 1) & 0xFFFF;
        packet.put(payload);
        phone1.send(new DatagramPacket(packet.array(), packet.position(), InetAddress.getLoopbackAddress(),
                leg1.localPort()));
        byte first;
        do {
            first = hear();
        } while (first != AUDIO);
        return first;
    }

    private byte hear() throws IOException {
        DatagramPacket datagram = new DatagramPacket(received, received.length);
        phone2.receive(datagram);
        ByteBuffer heard = ByteBuffer.wrap(received, 0, datagram.getLength()).slice();
        return heard.get(RtpPacket.payloadOffset(heard));
    }

    /** Closes the provider and the phones. */
    @TearDown(Level.Trial)
    public void stop() {
        provider.close();
        phone1.close();
        phone2.close();
    }
}
