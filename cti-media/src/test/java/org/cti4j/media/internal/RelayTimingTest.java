package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.cti4j.api.RecordFormat;
import org.cti4j.core.spi.MediaConnection;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.spi.MediaListener;
import org.cti4j.core.spi.MediaOperation;
import org.cti4j.core.spi.PayloadType;
import org.cti4j.core.testing.Await;
import org.cti4j.media.RtpMediaProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bridge between two raw RTP phones (plain sockets, so that each packet's header can be checked): phone 1 sends to
 * leg 1, leg 1 is connected to leg 2, phone 2 hears leg 2. How soon a payload is relayed is measured by cti-bench's
 * {@code RelayLatencyBenchmark}, not asserted here.
 */
class RelayTimingTest {

    private static final byte AUDIO = 0x2A;

    @TempDir
    Path dir;

    private RtpMediaProvider engine;
    private DatagramSocket phone1;
    private DatagramSocket phone2;
    private RtpSessionImpl leg1;
    private RtpSessionImpl leg2;
    private int sequence = 100;

    @BeforeEach
    void start() throws IOException {
        engine = Fixture.provider(25000, 25499);
        phone1 = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        phone2 = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        phone2.setSoTimeout(2000);
        leg1 = leg(phone1, PayloadType.PCMU);
    }

    @AfterEach
    void stop() {
        engine.close();
        phone1.close();
        phone2.close();
    }

    private RtpSessionImpl leg(DatagramSocket phone, PayloadType codec) {
        RtpSessionImpl leg = (RtpSessionImpl) engine.createSession(new MediaListener() { });
        leg.answer(new MediaDescription("127.0.0.1", phone.getLocalPort(), List.of(codec), MediaDirection.SENDRECV));
        return leg;
    }

    /** Connects leg 1 to leg 2 and waits until both workers have attached the connection. */
    private RtpConnection bridge() {
        RtpConnection connection = (RtpConnection) engine.connect(leg1, leg2);
        onWorker(leg1, () -> true);
        onWorker(leg2, () -> true);
        return connection;
    }

    private static boolean onWorker(RtpSessionImpl session, BooleanSupplier check) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        session.worker().execute(() -> result.complete(check.getAsBoolean()));
        return result.orTimeout(Fixture.DEADLINE.toSeconds(), TimeUnit.SECONDS).join();
    }

    private void send(int length, byte fill) throws IOException {
        ByteBuffer packet = ByteBuffer.allocate(RtpPacket.HEADER + length);
        RtpPacket.writeHeader(packet, false, 0, sequence++, sequence * 160, 0x1234);
        byte[] payload = new byte[length];
        Arrays.fill(payload, fill);
        packet.put(payload);
        phone1.send(new DatagramPacket(packet.array(), packet.position(), InetAddress.getLoopbackAddress(),
                leg1.localPort()));
    }

    /** One packet phone 2 received: its header fields and its first payload byte. */
    private record Heard(int sequence, long timestamp, byte first) {
        boolean audio() {
            return first == AUDIO;
        }
    }

    private Heard hear() throws IOException {
        DatagramPacket datagram = new DatagramPacket(new byte[2048], 2048);
        try {
            phone2.receive(datagram);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("phone 2 heard nothing for 2 s", e);
        }
        ByteBuffer packet = ByteBuffer.wrap(datagram.getData(), 0, datagram.getLength()).slice();
        return new Heard(RtpPacket.sequence(packet), RtpPacket.timestamp(packet),
                packet.get(RtpPacket.payloadOffset(packet)));
    }

    @Test
    void aPayloadSentMidFrameIsRelayedWithTheNextSequenceNumberAndTimestamp() throws IOException {
        leg2 = leg(phone2, PayloadType.PCMU);
        bridge();
        for (int trial = 0; trial < 7; trial++) {
            Heard previous = hear();
            for (int quiet = 0; quiet < 3; quiet++) { // back on the tick's phase: silence, one per tick
                previous = hear();
                assertThat(previous.audio()).isFalse();
            }
            LockSupport.parkNanos(7_000_000L); // mid-frame, between two ticks
            send(WorkerBuffers.FRAME, AUDIO);
            Heard heard = hear();
            while (!heard.audio()) {
                previous = heard;
                heard = hear();
            }
            assertThat(heard.sequence()).as("no gap in the sequence numbers").isEqualTo((previous.sequence() + 1)
                    & 0xFFFF);
            assertThat(heard.timestamp()).as("one frame after the previous packet")
                    .isEqualTo((previous.timestamp() + WorkerBuffers.FRAME) & 0xFFFFFFFFL);
        }
    }

    @Test
    void aPlainBridgeMakesNeitherTheTranscodingNorTheRecordingBuffers() throws IOException {
        leg2 = leg(phone2, PayloadType.PCMU);
        RtpConnection connection = bridge();
        for (int i = 0; i < 10; i++) {
            send(WorkerBuffers.FRAME, AUDIO);
            LockSupport.parkNanos(20_000_000L);
        }
        Heard heard = hear();
        while (!heard.audio()) {
            heard = hear();
        }
        assertThat(onWorker(leg2, () -> connection.sinkFifo == null)).as("no transcoding buffer").isTrue();
        assertThat(onWorker(leg1, () -> !leg1.hasRecordingBuffers())).as("no recording buffers").isTrue();
        assertThat(onWorker(leg2, () -> !leg2.hasRecordingBuffers())).isTrue();

        MediaOperation recording = leg1.record(dir.resolve("leg1.wav").toString(), RecordFormat.PCM_16BIT,
                new Fixture.Completion());
        assertThat(onWorker(leg1, leg1::hasRecordingBuffers)).as("made when recording starts").isTrue();
        recording.stop();
    }

    @Test
    void aTranscodingBridgeMakesItsBufferWhenTheFirstPayloadIsDecoded() throws IOException {
        leg2 = leg(phone2, PayloadType.PCMA);
        RtpConnection connection = bridge();
        assertThat(onWorker(leg2, () -> connection.sinkFifo == null)).isTrue();
        for (int i = 0; i < 5; i++) {
            send(WorkerBuffers.FRAME, AUDIO);
            LockSupport.parkNanos(20_000_000L);
        }
        for (int i = 0; i < 5; i++) {
            hear();
        }
        assertThat(onWorker(leg2, () -> connection.sinkFifo != null)).isTrue();
    }

    @Test
    void anOversizePayloadIsCountedAndNotRelayedAndTheNextOneIs() throws IOException {
        leg2 = leg(phone2, PayloadType.PCMU);
        MediaConnection connection = bridge();
        send(PacketRing.MAX_PAYLOAD + 160, AUDIO);
        send(WorkerBuffers.FRAME, AUDIO);
        Heard heard = hear();
        while (!heard.audio()) {
            heard = hear();
        }
        Heard next = hear();
        assertThat(next.audio()).as("only the 20 ms payload was relayed").isFalse();
        assertThat(leg1.stats().oversized()).isEqualTo(1);
        assertThat(leg1.stats().packetsReceived()).isEqualTo(2);
        connection.close();
    }

    @Test
    void theFirstPayloadAConnectionRelaysIsToldToTheFlightRecorderOnce() throws IOException {
        leg2 = leg(phone2, PayloadType.PCMU);
        List<RecordedEvent> recorded;
        try (Recording recording = new Recording()) {
            recording.enable(FirstRelayedPacketEvent.NAME).withThreshold(Duration.ZERO);
            recording.start();
            bridge();
            LockSupport.parkNanos(30_000_000L); // connected 30 ms before the far end sends
            for (int i = 0; i < 3; i++) {
                send(WorkerBuffers.FRAME, AUDIO);
                Heard heard = hear();
                while (!heard.audio()) {
                    heard = hear();
                }
            }
            recording.stop();
            Path file = dir.resolve("relayed.jfr");
            recording.dump(file);
            recorded = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals(FirstRelayedPacketEvent.NAME)
                            && e.getInt("sinkPort") == leg2.localPort())
                    .toList();
        }
        assertThat(recorded).as("one event, for the first payload only").hasSize(1);
        RecordedEvent first = recorded.get(0);
        assertThat(first.getInt("sourcePort")).isEqualTo(leg1.localPort());
        long sinceConnect = first.getLong("sinceConnect");
        long sinceArmed = first.getLong("sinceArmed");
        long sinceReceived = first.getLong("sinceReceived");
        assertThat(sinceConnect).isGreaterThanOrEqualTo(30_000_000L);
        assertThat(sinceArmed).as("armed after the connection was asked for, 30 ms before a payload came")
                .isBetween(30_000_000L, sinceConnect);
        assertThat(sinceReceived).as("received after the connection was armed").isBetween(0L, sinceArmed);
    }

    @Test
    void theMediaClocksTicksAreToldToTheFlightRecorderOnlyWhenAskedForByName() throws Exception {
        leg2 = leg(phone2, PayloadType.PCMU);
        List<RecordedEvent> byDefault;
        try (Recording defaults = new Recording(Configuration.getConfiguration("default"))) {
            defaults.start();
            awaitFramesSent(5); // leg 2 sends a frame (silence) at each tick of its worker
            defaults.stop();
            byDefault = ticks(defaults, "default.jfr");
        }
        List<RecordedEvent> asked;
        try (Recording named = new Recording()) {
            named.enable(MediaTickEvent.NAME);
            named.start();
            awaitFramesSent(10);
            named.stop();
            asked = ticks(named, "named.jfr");
        }
        assertThat(asked).as("ticks while leg 2 sent 10 frames, one a tick").hasSizeGreaterThanOrEqualTo(9);
        assertThat(asked).allSatisfy(tick -> {
            assertThat(tick.getThread().getJavaName()).startsWith("cti-media-worker");
            assertThat(tick.getLong("lateness")).isBetween(0L, Fixture.DEADLINE.toNanos());
            assertThat(tick.getLong("work")).isBetween(0L, Fixture.DEADLINE.toNanos());
        });
        assertThat(asked).anySatisfy(tick -> assertThat(tick.getInt("ticking")).isPositive());
        assertThat(byDefault).as("50 events a second per media thread: off in the JDK's default settings").isEmpty();
    }

    private void awaitFramesSent(int frames) {
        long target = leg2.stats().packetsSent() + frames;
        Await.until("leg 2 sending " + frames + " frames", Fixture.DEADLINE,
                () -> leg2.stats().packetsSent() >= target);
    }

    private List<RecordedEvent> ticks(Recording recording, String name) throws IOException {
        Path file = dir.resolve(name);
        recording.dump(file);
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals(MediaTickEvent.NAME)).toList();
    }
}
