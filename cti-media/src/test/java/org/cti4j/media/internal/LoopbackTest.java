package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.cti4j.api.RecordFormat;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.spi.MediaListener;
import org.cti4j.core.spi.MediaOperation;
import org.cti4j.core.spi.PayloadType;
import org.cti4j.core.spi.PlaySource;
import org.cti4j.core.testing.Await;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.media.RtpSession;
import org.cti4j.media.RtpStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoopbackTest {

    @TempDir
    Path dir;

    private RtpMediaProvider provider;
    private Path tone440;

    @BeforeEach
    void start() throws IOException {
        provider = Fixture.provider(22000, 22999, Duration.ofSeconds(1));
        tone440 = Audio.writePcmWav(dir.resolve("440.wav"), Audio.tone(440, 8000, 1.0, 12000), 8000, 1, 16);
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    private short[] recordWhile(RtpSession session, Runnable during) throws IOException {
        Path file = dir.resolve("rec-" + System.nanoTime() + ".wav");
        Fixture.Completion done = new Fixture.Completion();
        MediaOperation recording = session.record(file.toString(), RecordFormat.PCM_16BIT, done);
        during.run();
        recording.stop();
        done.await("the recording to end");
        assertThat(done.error()).isNull();
        return Audio.readPcm16(file);
    }

    @Test
    void aToneFilePlayedOnOneSessionIsHeardOnTheOther() throws IOException {
        Fixture.Events events = new Fixture.Events();
        RtpSession a = provider.createSession(events);
        RtpSession b = provider.createSession(events);
        Fixture.pair(a, b);
        Fixture.Completion played = new Fixture.Completion();
        short[] heard = recordWhile(b, () -> {
            a.play(new PlaySource.File(tone440.toString(), false), played);
            played.await("the playback to end");
        });
        assertThat(played.error()).isNull();
        assertThat(played.calls()).isEqualTo(1);
        assertThat(heard.length).isGreaterThan(7600);
        short[] middle = Arrays.copyOfRange(heard, 1200, 7200);
        assertThat(Audio.toneFraction(middle, 440, 0.8)).isGreaterThan(0.8);
        assertThat(b.stats().packetsReceived()).isGreaterThan(40);
        assertThat(b.stats().dropped()).isZero();
        assertThat(events.inactivity).hasValue(0);
    }

    @Test
    void theToneCheckRejectsSilenceNoiseAndAnotherTone() {
        assertThat(Audio.toneFraction(new short[8000], 440, 0.8)).isZero();
        assertThat(Audio.toneFraction(Audio.noise(8000, 12000, 1), 440, 0.8)).isZero();
        assertThat(Audio.toneFraction(Audio.tone(1000, 8000, 1, 12000), 440, 0.8)).isZero();
        assertThat(Audio.toneFraction(Audio.tone(440, 8000, 1, 12000), 440, 0.8)).isEqualTo(1.0);
    }

    @Test
    void anAlawPairCarriesTheToneToo() throws IOException {
        RtpSession a = provider.createSession(new MediaListener() { });
        RtpSession b = provider.createSession(new MediaListener() { });
        Fixture.pairAlaw(a, b);
        Fixture.Completion played = new Fixture.Completion();
        short[] heard = recordWhile(b, () -> {
            a.play(new PlaySource.File(tone440.toString(), false), played);
            played.await("the playback to end");
        });
        assertThat(Audio.toneFraction(Arrays.copyOfRange(heard, 1200, 7200), 440, 0.8)).isGreaterThan(0.8);
    }

    @Test
    void dtmfKeysSentByOneSessionReachTheOtherOnceEach() {
        Fixture.Events heard = new Fixture.Events();
        RtpSession a = provider.createSession(new MediaListener() { });
        RtpSession b = provider.createSession(heard);
        Fixture.pair(a, b);
        for (char key : "19*#A0".toCharArray()) {
            a.sendDtmf(key);
        }
        Await.until("six keys", Fixture.DEADLINE, () -> heard.digits.size() >= 6);
        a.sendDtmf('d');
        Await.until("the last key", Fixture.DEADLINE, () -> heard.digits.contains('D'));
        assertThat(heard.digits).containsExactly('1', '9', '*', '#', 'A', '0', 'D');
        assertThat(b.stats().dtmfReceived()).isEqualTo(7);
        assertThatThrownBy(() -> a.sendDtmf('x')).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dtmfCannotBeSentWithoutTelephoneEvent() {
        RtpSession a = provider.createSession(new MediaListener() { });
        RtpSession b = provider.createSession(new MediaListener() { });
        MediaDescription offer = a.localOffer();
        a.setRemote(b.answer(new MediaDescription(offer.address(), offer.port(), List.of(PayloadType.PCMU),
                offer.direction())));
        assertThatThrownBy(() -> a.sendDtmf('1')).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("telephone-event");
    }

    @Test
    void garbageTruncatedUnknownAndStrayPacketsAreCountedAndDroppedWhileAudioGoesOn() throws IOException {
        RtpSession a = provider.createSession(new MediaListener() { });
        RtpSession b = provider.createSession(new MediaListener() { });
        Fixture.pair(a, b);
        Fixture.Completion played = new Fixture.Completion();
        a.play(new PlaySource.File(tone440.toString(), true), played);
        Fixture.awaitPackets(b, 10);
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), b.localPort());
        try (DatagramSocket raw = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 5; i++) {
                send(raw, target, new byte[] {(byte) 0x80, 0, 1});
                send(raw, target, new byte[0]);
                send(raw, target, rtp(0x00, 0, 172));
                send(raw, target, rtp(0x80, 99, 172));
                send(raw, target, rtp(0x80, 0, 172));
                send(raw, target, rtp(0xA0, 0, 12));
                send(raw, target, "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
        Await.until("every bad datagram counted", Fixture.DEADLINE, () -> b.stats().dropped() >= 35);
        RtpStats stats = b.stats();
        assertThat(stats.malformed()).isEqualTo(25);
        assertThat(stats.unknownPayloadType()).isEqualTo(5);
        assertThat(stats.unknownSource()).isEqualTo(5);
        short[] heard = recordWhile(b, () -> Fixture.awaitPackets(b, 50));
        assertThat(Audio.toneFraction(Arrays.copyOfRange(heard, 800, heard.length - 400), 440, 0.8))
                .isGreaterThan(0.8);
    }

    private static byte[] rtp(int first, int payloadType, int length) {
        ByteBuffer packet = ByteBuffer.allocate(length);
        packet.put((byte) first).put((byte) payloadType).putShort((short) 7).putInt(160).putInt(0x1234);
        while (packet.hasRemaining()) {
            packet.put((byte) 0xFF);
        }
        return packet.array();
    }

    private static void send(DatagramSocket socket, InetSocketAddress target, byte[] bytes) throws IOException {
        socket.send(new DatagramPacket(bytes, bytes.length, target));
    }

    @Test
    void inactivityIsReportedOnceWhenNothingArrivesButNotWhileTheFarEndHolds() throws IOException {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Fixture.Events quiet = new Fixture.Events();
            Fixture.Events held = new Fixture.Events();
            RtpSession a = provider.createSession(quiet);
            RtpSession c = provider.createSession(held);
            MediaDescription far = new MediaDescription("127.0.0.1", silent.getLocalPort(),
                    List.of(PayloadType.PCMU), MediaDirection.SENDRECV);
            a.setRemote(far);
            c.setRemote(far.withDirection(MediaDirection.RECVONLY));
            Await.until("inactivity", Fixture.DEADLINE, () -> quiet.inactivity.get() == 1);
            long sent = a.stats().packetsSent();
            Await.until("two more seconds of sending", Fixture.DEADLINE,
                    () -> a.stats().packetsSent() >= sent + 100);
            assertThat(quiet.inactivity).hasValue(1);
            assertThat(held.inactivity).hasValue(0);
            assertThat(c.stats().packetsSent()).isGreaterThan(100);
        }
    }

    @Test
    void holdStopsSendingAndResumeStartsAgain() {
        RtpSession a = provider.createSession(new MediaListener() { });
        RtpSession b = provider.createSession(new MediaListener() { });
        MediaDescription answer = b.answer(a.localOffer());
        a.setRemote(answer);
        Fixture.awaitPackets(b, 10);
        a.setRemote(answer.withDirection(MediaDirection.SENDONLY));
        Fixture.awaitPackets(a, 5);
        long before = b.stats().packetsReceived();
        Fixture.awaitPackets(a, 50);
        assertThat(b.stats().packetsReceived()).isLessThanOrEqualTo(before + 2);
        a.setRemote(answer.withDirection(MediaDirection.INACTIVE));
        Fixture.awaitPackets(a, 10);
        assertThat(b.stats().packetsReceived()).isLessThanOrEqualTo(before + 2);
        a.setRemote(answer);
        Fixture.awaitPackets(b, 20);
    }

    @Test
    void symmetricRtpAnswersWherePacketsReallyComeFrom() throws IOException {
        try (DatagramSocket signalled = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                DatagramSocket real = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            RtpSession a = provider.createSession(new MediaListener() { });
            a.setRemote(new MediaDescription("127.0.0.1", signalled.getLocalPort(), List.of(PayloadType.PCMU),
                    MediaDirection.SENDRECV));
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), a.localPort());
            // Send as a real peer does, a packet every 20 ms, until the session answers at the real address: a
            // single packet could reach the worker before it applied setRemote, and be dropped.
            real.setSoTimeout(20);
            DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            boolean answered = false;
            while (!answered) {
                assertThat(System.nanoTime()).as("the session answers at the real address within 10 s")
                        .isLessThan(deadline);
                send(real, target, rtp(0x80, 0, 172));
                try {
                    real.receive(packet);
                    answered = true;
                } catch (java.net.SocketTimeoutException notYet) {
                    // Send the next packet.
                }
            }
            assertThat(packet.getLength()).isEqualTo(172);
            assertThat(packet.getData()[1] & 0x7F).isZero();
            assertThat(a.stats().packetsReceived()).isPositive();
        }
    }

    @Test
    void senderReportsGoToTheRtcpPortAndIncomingReportsAreCounted() throws IOException {
        try (DatagramSocket rtp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = rtp.getLocalPort();
            try (DatagramSocket reports = new DatagramSocket(port + 1, InetAddress.getLoopbackAddress())) {
                RtpSession a = provider.createSession(new MediaListener() { });
                a.setRemote(new MediaDescription("127.0.0.1", port, List.of(PayloadType.PCMU),
                        MediaDirection.SENDRECV));
                reports.setSoTimeout(15_000);
                DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
                reports.receive(packet);
                ByteBuffer report = ByteBuffer.wrap(packet.getData(), 0, packet.getLength());
                assertThat(report.get(0) & 0xC0).isEqualTo(0x80);
                assertThat(report.get(1) & 0xFF).isEqualTo(200);
                assertThat(report.get(28) & 0xFF).as("SDES after the SR").isEqualTo(0x81);
                assertThat(report.get(29) & 0xFF).isEqualTo(202);
                InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), a.localPort() + 1);
                byte[] receiverReport = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 9};
                reports.send(new DatagramPacket(receiverReport, receiverReport.length, target));
                reports.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, target));
                Await.until("the reports counted", Fixture.DEADLINE,
                        () -> a.stats().rtcpReceived() == 1 && a.stats().rtcpMalformed() == 1);
                assertThat(a.stats().rtcpSent()).isGreaterThanOrEqualTo(1);
            }
        }
    }
}
