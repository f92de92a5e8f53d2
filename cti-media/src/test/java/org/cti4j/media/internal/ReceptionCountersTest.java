package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.cti4j.api.EngineStatistics;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.spi.PayloadType;
import org.cti4j.core.testing.Await;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.media.RtpSession;
import org.cti4j.media.RtpStats;
import org.junit.jupiter.api.Test;

/**
 * Loss and late packets as the far end's sequence numbers tell them, per session and summed by the provider over its
 * whole life: a far end that skips, reorders, repeats, changes its SSRC, jumps and wraps around.
 */
class ReceptionCountersTest {

    private static final int SSRC = 0x1234;

    @Test
    void skippedSequenceNumbersAreLostAndOldOnesLateWhileNewStreamsStartAfresh() throws IOException {
        try (RtpMediaProvider media = Fixture.provider(21640, 21659);
                DatagramSocket far = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            RtpSession session = media.createSession(new Fixture.Events());
            session.setRemote(new MediaDescription("127.0.0.1", far.getLocalPort(), List.of(PayloadType.PCMU),
                    MediaDirection.SENDRECV));
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), session.localPort());
            int[][] packets = {
                {SSRC, 100}, {SSRC, 101}, {SSRC, 104}, // 102 and 103 skipped: 2 lost
                {SSRC, 103}, // came after 104: late (and stays lost)
                {SSRC, 105}, {SSRC, 105}, // twice: the second is late
                {SSRC + 1, 5000}, {SSRC + 1, 5001}, // another SSRC: a new stream, nothing lost
                {SSRC + 1, 9000}, {SSRC + 1, 9001}, // a jump of 3,999: a new stream, nothing lost
                {SSRC + 1, 65535}, {SSRC + 1, 0}, {SSRC + 1, 2}, // a jump, then a wrap-around: 1 lost (number 1)
                {SSRC + 1, 60000}, {SSRC + 1, 60001}, // 5,538 back: a new stream, not late
            };
            for (int[] packet : packets) {
                far.send(new DatagramPacket(rtp(packet[0], packet[1]), RtpPacket.HEADER + 160, target));
            }
            Await.until("every packet received", Fixture.DEADLINE,
                    () -> session.stats().packetsReceived() == packets.length);
            RtpStats stats = session.stats();
            assertThat(stats.packetsLost()).as("lost").isEqualTo(3);
            assertThat(stats.packetsLate()).as("late").isEqualTo(2);
            assertThat(stats.dropped()).isZero();

            EngineStatistics.Media open = media.statistics();
            assertThat(open.sessionsOpen()).isEqualTo(1);
            assertThat(open.sessionsOpened()).isEqualTo(1);
            assertThat(open.packetsReceived()).isEqualTo(packets.length);
            assertThat(open.packetsLost()).isEqualTo(3);
            assertThat(open.packetsLate()).isEqualTo(2);

            long sent = session.stats().packetsSent();
            session.close();
            Await.until("the session's sockets closed", Fixture.DEADLINE,
                    () -> media.statistics().sessionsOpen() == 0);
            EngineStatistics.Media closed = media.statistics();
            assertThat(closed.sessionsOpened()).isEqualTo(1);
            assertThat(closed.packetsReceived()).as("a closed session's packets still count")
                    .isEqualTo(packets.length);
            assertThat(closed.packetsLost()).isEqualTo(3);
            assertThat(closed.packetsLate()).isEqualTo(2);
            assertThat(closed.packetsSent()).isGreaterThanOrEqualTo(sent);
            assertThat(closed.packetsDropped()).isZero();
        }
    }

    @Test
    void theProviderSumsEverySessionAndItsCountersNeverGoBackWhileSessionsClose() throws IOException {
        try (RtpMediaProvider media = Fixture.provider(21660, 21699)) {
            long before = 0;
            for (int round = 0; round < 5; round++) {
                RtpSession a = media.createSession(new Fixture.Events());
                RtpSession b = media.createSession(new Fixture.Events());
                Fixture.pair(a, b);
                Fixture.awaitPackets(b, 5);
                a.close();
                b.close();
                for (int read = 0; read < 20; read++) {
                    long received = media.statistics().packetsReceived();
                    assertThat(received).as("round %d, read %d", round, read).isGreaterThanOrEqualTo(before);
                    before = received;
                }
            }
            Await.until("every session closed", Fixture.DEADLINE, () -> media.statistics().sessionsOpen() == 0);
            assertThat(media.statistics().sessionsOpened()).isEqualTo(10);
            assertThat(media.statistics().packetsReceived()).isGreaterThanOrEqualTo(before).isGreaterThanOrEqualTo(25);
        }
    }

    private static byte[] rtp(int ssrc, int sequence) {
        ByteBuffer packet = ByteBuffer.allocate(RtpPacket.HEADER + 160);
        packet.put((byte) 0x80).put((byte) 0).putShort((short) sequence).putInt(sequence * 160).putInt(ssrc);
        while (packet.hasRemaining()) {
            packet.put((byte) 0xFF);
        }
        return packet.array();
    }
}
