package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaListener;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.media.RtpSession;
import org.junit.jupiter.api.Test;

/**
 * Well-formed RTP from a stranger that reaches a session before its far end's first packet (a port scanner, an
 * RTP-bleed attempt, a previous call's late packets) does not take the session away from its far end: packets from
 * the address the far end signalled are always its own, so the session hears the far end and answers there as soon as
 * they come.
 */
class EarlyStrangerTest {

    @Test
    void aStrangerWhoSpeaksFirstDoesNotKeepTheSessionFromItsFarEnd() throws Exception {
        try (RtpMediaProvider media = Fixture.provider(21620, 21639);
                DatagramSocket stranger = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            RtpSession a = media.createSession(new MediaListener() { });
            RtpSession b = media.createSession(new MediaListener() { });
            // b knows a and sends to it; a does not know b yet, so it stays silent
            MediaDescription answer = b.answer(a.localOffer());
            // b takes the answer on its worker thread: until then a packet is nobody's. The stranger sends until b
            // has taken one of its packets, as it would take the far end's first one.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            for (int i = 0; b.stats().packetsReceived() == 0; i++) {
                assertThat(System.nanoTime() - deadline).as("the stranger's packets taken by %s", b).isNegative();
                byte[] packet = ByteBuffer.allocate(172).put((byte) 0x80).put((byte) 0).putShort((short) i)
                        .putInt(160 * i).putInt(0x5eed).array();
                stranger.send(new DatagramPacket(packet, packet.length, InetAddress.getLoopbackAddress(),
                        b.localPort()));
                LockSupport.parkNanos(5_000_000L);
            }
            long strangersRefused = b.stats().unknownSource();

            a.setRemote(answer);

            Fixture.awaitPackets(b, 50);
            Fixture.awaitPackets(a, 50);
            // At most the stranger's packets still on their way when it stopped: none of the far end's.
            assertThat(b.stats().unknownSource() - strangersRefused).as("packets refused once the far end spoke")
                    .isLessThan(5);
        }
    }
}
