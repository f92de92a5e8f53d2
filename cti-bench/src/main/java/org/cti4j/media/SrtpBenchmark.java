package org.cti4j.media;

import java.util.concurrent.TimeUnit;
import org.cti4j.media.internal.Codec;
import org.cti4j.media.internal.G711;
import org.cti4j.media.internal.RtpPacket;
import org.cti4j.media.internal.SdesKeys;
import org.cti4j.media.internal.SrtpContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SRTP on one 20 ms PCMU packet (12-byte header, 160-byte payload): {@link #protect} encrypts and authenticates it
 * as a session does before sending; {@link #protectAndUnprotect} then verifies, replay-checks and decrypts it as the
 * receiving session does. Each operation uses the next sequence number, so the replay window and the rollover
 * counter do their real work. Unprotect alone costs the difference of the two.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SrtpBenchmark {

    private static final int LENGTH = RtpPacket.HEADER + 160;

    @Param({"AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"})
    public String suite;

    private final byte[] packet = new byte[LENGTH + SrtpContext.MAX_OVERHEAD];
    private final byte[] payload = new byte[160];
    private SrtpContext sender;
    private SrtpContext receiver;
    private int sequence;

    /** Builds the packet's header and a speech-like payload, and two contexts sharing one random key. */
    @Setup
    public void setUp() {
        G711.encode(Codec.PCMU, BenchSignals.speechLike(8000, 160, 3), 0, payload, 0, 160);
        packet[0] = (byte) 0x80;
        packet[8] = 0x5E;
        packet[9] = (byte) 0xED;
        byte[] keyAndSalt = SdesKeys.random30();
        SrtpContext.Suite chosen = SrtpContext.Suite.valueOf(suite);
        sender = SdesKeys.context(chosen, keyAndSalt);
        receiver = SdesKeys.context(chosen, keyAndSalt);
    }

    private void nextPacket() {
        int seq = sequence++ & 0xFFFF;
        packet[2] = (byte) (seq >>> 8);
        packet[3] = (byte) seq;
        System.arraycopy(payload, 0, packet, RtpPacket.HEADER, payload.length);
    }

    /** Protects the next packet; returns its SRTP length. */
    @Benchmark
    public int protect() {
        nextPacket();
        return sender.protectRtp(packet, 0, LENGTH);
    }

    /** Protects the next packet and unprotects it again; returns the RTP length (negative if refused). */
    @Benchmark
    public int protectAndUnprotect() {
        nextPacket();
        return receiver.unprotectRtp(packet, 0, sender.protectRtp(packet, 0, LENGTH));
    }
}
