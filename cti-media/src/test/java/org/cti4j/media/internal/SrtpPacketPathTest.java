package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.cti4j.core.spi.MediaConnection;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.spi.MediaListener;
import org.cti4j.core.spi.PayloadType;
import org.cti4j.core.spi.PlaySource;
import org.cti4j.core.spi.SdesCrypto;
import org.cti4j.core.testing.Await;
import org.cti4j.media.RtpMediaConfig;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.media.RtpSession;
import org.cti4j.media.SrtpMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What SRTP does to packets: a peer holding the key is heard, a forged or damaged packet and a replayed one are
 * dropped and counted while the call goes on, a bridge joins an SRTP leg to a plain one, and protecting and
 * unprotecting allocate nothing.
 */
class SrtpPacketPathTest {

    @TempDir
    Path dir;

    private RtpMediaProvider mandatory;
    private RtpMediaProvider optional;
    private RtpMediaProvider plain;

    @BeforeEach
    void start() {
        mandatory = provider(21900, SrtpMode.MANDATORY);
        optional = provider(21950, SrtpMode.OPTIONAL);
        plain = provider(21850, SrtpMode.OFF);
    }

    @AfterEach
    void stop() {
        mandatory.close();
        optional.close();
        plain.close();
    }

    private static RtpMediaProvider provider(int first, SrtpMode mode) {
        return new RtpMediaProvider(RtpMediaConfig.builder().rtpPorts(first, first + 49).workers(1).srtp(mode)
                .build());
    }

    private static RtpSession session(RtpMediaProvider provider) {
        return provider.createSession(new MediaListener() { });
    }

    private Path tone(double frequency) throws IOException {
        return Audio.writePcmWav(dir.resolve(frequency + ".wav"), Audio.tone(frequency, 8000, 1.0, 9000), 8000, 1,
                16);
    }

    private short[] record(RtpSession session, int packets) throws IOException {
        short[] all = SrtpSessionTest.record(dir, session, packets);
        return Arrays.copyOfRange(all, Math.min(all.length, 1600), all.length);
    }

    private static byte[] rtp(int sequence, int timestamp, int ssrc, byte fill) {
        byte[] packet = new byte[RtpPacket.HEADER + 160 + SrtpContext.MAX_OVERHEAD];
        ByteBuffer header = ByteBuffer.wrap(packet);
        RtpPacket.writeHeader(header, false, 0, sequence, timestamp, ssrc);
        Arrays.fill(packet, RtpPacket.HEADER, RtpPacket.HEADER + 160, fill);
        return packet;
    }

    @Test
    void aForgedOrDamagedPacketAndAReplayedOneAreDroppedAndCounted() throws IOException {
        RtpSession engine = session(mandatory);
        byte[] key = SdesKeys.random30();
        SrtpContext peer = SdesKeys.context(SrtpContext.Suite.AES_CM_128_HMAC_SHA1_80, key);
        try (DatagramSocket raw = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            MediaDescription offer = new MediaDescription("127.0.0.1", raw.getLocalPort(),
                    List.of(PayloadType.PCMU), MediaDirection.SENDRECV).withCrypto(List.of(
                            new SdesCrypto(3, "AES_CM_128_HMAC_SHA1_80", SdesKeys.inline(key), "")), true);
            assertThat(engine.answer(offer).crypto()).singleElement()
                    .satisfies(line -> assertThat(line.tag()).isEqualTo(3));
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), engine.localPort());
            // The answer's keys are applied on the media worker, after answer() returns: packets sent before then
            // cannot be authenticated. The engine's first packet to this peer (silence) shows they are in place.
            raw.setSoTimeout((int) Fixture.DEADLINE.toMillis());
            raw.receive(new DatagramPacket(new byte[2048], 2048));
            byte[][] sent = new byte[5][];
            for (int i = 0; i < 5; i++) {
                byte[] packet = rtp(100 + i, 160 * i, 0x1234, (byte) 0xFF);
                int length = peer.protectRtp(packet, 0, RtpPacket.HEADER + 160);
                sent[i] = Arrays.copyOf(packet, length);
                raw.send(new DatagramPacket(sent[i], length, target));
            }
            Await.until("five authentic packets", Fixture.DEADLINE, () -> engine.stats().packetsReceived() == 5);

            raw.send(new DatagramPacket(sent[2], sent[2].length, target));
            Await.until("the replay counted", Fixture.DEADLINE, () -> engine.stats().srtpReplays() == 1);

            byte[] damaged = rtp(105, 800, 0x1234, (byte) 0xFF);
            int length = peer.protectRtp(damaged, 0, RtpPacket.HEADER + 160);
            damaged[length - 1] ^= 1;
            raw.send(new DatagramPacket(damaged, length, target));
            byte[] forged = Arrays.copyOf(rtp(106, 960, 0x1234, (byte) 0xFF), RtpPacket.HEADER + 170);
            raw.send(new DatagramPacket(forged, forged.length, target));
            Await.until("both bad tags counted", Fixture.DEADLINE, () -> engine.stats().srtpAuthFailures() == 2);

            byte[] next = rtp(105, 800, 0x1234, (byte) 0xFF);
            raw.send(new DatagramPacket(next, peer.protectRtp(next, 0, RtpPacket.HEADER + 160), target));
            Await.until("the call goes on", Fixture.DEADLINE, () -> engine.stats().packetsReceived() == 6);
            assertThat(engine.stats().srtpReplays()).isEqualTo(1);
            assertThat(engine.stats().srtpAuthFailures()).isEqualTo(2);
            assertThat(engine.stats().dropped()).isZero();
        } finally {
            engine.close();
        }
    }

    @Test
    void aToneKeepsCrossingWhileForgedPacketsAreDropped() throws IOException {
        RtpSession a = session(mandatory);
        RtpSession b = session(optional);
        Fixture.pair(a, b);
        a.play(new PlaySource.File(tone(440).toString(), true), new Fixture.Completion());
        Fixture.awaitPackets(b, 10);
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), b.localPort());
        try (DatagramSocket raw = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 20; i++) {
                byte[] forged = rtp(i, i * 160, 0x4321, (byte) 0x7F);
                raw.send(new DatagramPacket(forged, RtpPacket.HEADER + 170, target));
            }
        }
        // A forged packet whose index looks older than the replay window is refused as such before its tag is checked.
        Await.until("every forged packet counted", Fixture.DEADLINE,
                () -> b.stats().srtpAuthFailures() + b.stats().srtpReplays() == 20);
        long received = b.stats().packetsReceived();
        short[] heard = record(b, 50);
        assertThat(Audio.toneFraction(heard, 440, 0.8)).isGreaterThan(0.8);
        assertThat(b.stats().packetsReceived()).isGreaterThan(received);
        assertThat(b.stats().dropped()).isZero();
    }

    @Test
    void aBridgeJoinsAnSrtpLegToAPlainLegAndTwoSrtpLegs() throws IOException {
        RtpSession srtpPhone = session(mandatory);
        RtpSession plainPhone = session(plain);
        RtpSession otherSrtpPhone = session(mandatory);
        RtpSession leg1 = session(optional);
        RtpSession leg2 = session(optional);
        RtpSession leg3 = session(optional);
        Fixture.pair(leg1, srtpPhone);
        Fixture.pair(leg2, plainPhone);
        Fixture.pair(leg3, otherSrtpPhone);
        srtpPhone.play(new PlaySource.File(tone(440).toString(), true), new Fixture.Completion());
        plainPhone.play(new PlaySource.File(tone(1000).toString(), true), new Fixture.Completion());
        List<MediaConnection> connections = List.of(optional.connect(leg1, leg2), optional.connect(leg2, leg1),
                optional.connect(leg1, leg3));
        try {
            Fixture.awaitPackets(srtpPhone, 25);
            assertThat(Audio.toneFraction(record(srtpPhone, 50), 1000, 0.25)).as("the SRTP phone hears the plain one")
                    .isGreaterThan(0.8);
            assertThat(Audio.toneFraction(record(plainPhone, 50), 440, 0.25)).as("the plain phone hears the SRTP one")
                    .isGreaterThan(0.8);
            assertThat(Audio.toneFraction(record(otherSrtpPhone, 50), 440, 0.25))
                    .as("another SRTP phone, with other keys, hears it too").isGreaterThan(0.8);
        } finally {
            connections.forEach(MediaConnection::close);
        }
        for (RtpSession session : List.of(srtpPhone, plainPhone, otherSrtpPhone, leg1, leg2, leg3)) {
            assertThat(session.stats().srtpAuthFailures()).as("%s", session).isZero();
        }
    }

    @Test
    void protectingAndUnprotectingAllocateNothing() {
        byte[] key = SdesKeys.random30();
        SrtpStreams sender = new SrtpStreams();
        SrtpStreams receiver = new SrtpStreams();
        sender.apply(new SdesNegotiation.Keys(SrtpContext.Suite.AES_CM_128_HMAC_SHA1_80, key, key));
        receiver.apply(new SdesNegotiation.Keys(SrtpContext.Suite.AES_CM_128_HMAC_SHA1_80, key, key));
        WorkerBuffers buffers = new WorkerBuffers();
        byte[] payload = new byte[160];
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long threadId = Thread.currentThread().getId();
        threads.getThreadAllocatedBytes(threadId);
        // Warming up (class loading, the JIT's first compilations) may allocate once; a steady window of 10000 packets
        // must then allocate nothing at all: one of five, so that a one-off lazy allocation is not counted per packet.
        int failures = 0;
        int sequence = 0;
        long[] windows = new long[5];
        for (int window = -1; window < windows.length; window++) {
            threads.getThreadAllocatedBytes(threadId);
            long before = threads.getThreadAllocatedBytes(threadId);
            for (int i = 0; i < 10_000; i++, sequence++) {
                ByteBuffer out = buffers.send;
                RtpPacket.writeHeader(out, false, 0, sequence & 0xFFFF, sequence * 160, 0x5555);
                out.put(payload);
                out.flip();
                if (!sender.protectRtp(out, buffers.srtp)) {
                    failures++;
                }
                ByteBuffer in = buffers.receive;
                in.clear();
                in.put(out);
                in.flip();
                if (!receiver.unprotectRtp(in, buffers.srtp) || in.limit() != RtpPacket.HEADER + 160) {
                    failures++;
                }
            }
            if (window >= 0) {
                windows[window] = threads.getThreadAllocatedBytes(threadId) - before;
            }
        }
        assertThat(failures).isZero();
        assertThat(windows).as("bytes allocated by each window of 10000 protect + unprotect").contains(0L);
        assertThat(Arrays.stream(windows).max().orElseThrow()).as("far below one allocation per packet")
                .isLessThan(10_000L);
    }
}
