package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The relay's decisions, without sockets: two sessions' feeds joined by one connection, as the benchmark does. */
class SessionFeedsTest {

    private final SessionFeeds source = new SessionFeeds();
    private final SessionFeeds sink = new SessionFeeds();
    private final RtpConnection connection = new RtpConnection(null, null);

    SessionFeedsTest() {
        source.addOutgoing(connection);
        sink.addIncoming(connection);
    }

    private void receive(int length, byte fill) {
        byte[] payload = new byte[length];
        Arrays.fill(payload, fill);
        source.offerReceived(ByteBuffer.wrap(payload), 0, length, Codec.PCMU, System.nanoTime());
    }

    @Test
    void theFirstPayloadOfANewConnectionIsRelayableAtOnce() {
        assertThat(sink.relayable(Codec.PCMU)).as("nothing yet").isSameAs(SessionFeeds.SILENCE_MARK);
        receive(WorkerBuffers.FRAME, (byte) 0x11);
        byte[] payload = sink.relayable(Codec.PCMU);
        assertThat(payload).as("no cushion of two payloads is waited for").isNotSameAs(SessionFeeds.SILENCE_MARK);
        assertThat(payload).startsWith((byte) 0x11, (byte) 0x11);
        sink.relayed();
        assertThat(sink.relayable(Codec.PCMU)).isSameAs(SessionFeeds.SILENCE_MARK);
        receive(WorkerBuffers.FRAME, (byte) 0x22);
        assertThat(sink.relayable(Codec.PCMU)).as("nor after an underrun").startsWith((byte) 0x22);
    }

    @Test
    void aPlainRelayNeverMakesTheTranscodingBuffer() {
        short[] tx = new short[WorkerBuffers.FRAME];
        WorkerBuffers buffers = new WorkerBuffers();
        for (int i = 0; i < 20; i++) {
            receive(WorkerBuffers.FRAME, (byte) i);
            assertThat(sink.relayable(Codec.PCMU)).isNotNull().isNotSameAs(SessionFeeds.SILENCE_MARK);
            sink.relayed();
            sink.trimCushion();
        }
        sink.mix(buffers, tx); // an idle frame (nothing queued) must not make it either
        assertThat(connection.sinkFifo).isNull();
        assertThat(connection.wakeSink).isTrue();

        receive(WorkerBuffers.FRAME, (byte) 0x33);
        assertThat(sink.relayable(Codec.PCMA)).as("another codec: transcoded, not relayed").isNull();
        assertThat(connection.wakeSink).as("no wake-ups for what is decoded at the tick").isFalse();
        sink.mix(buffers, tx);
        assertThat(connection.sinkFifo).as("made when transcoding starts").isNotNull();
        sink.drop();
    }

    @Test
    void aCushionLeftByABurstIsCutBackAfterASecond() {
        receive(WorkerBuffers.FRAME, (byte) 1);
        receive(WorkerBuffers.FRAME, (byte) 2);
        receive(WorkerBuffers.FRAME, (byte) 3);
        // one payload relayed and one received per tick: two keep waiting
        for (int tick = 0; tick < RtpConnection.CUSHION_TICKS - 1; tick++) {
            assertThat(sink.relayable(Codec.PCMU)).isNotSameAs(SessionFeeds.SILENCE_MARK);
            sink.relayed();
            sink.trimCushion();
            assertThat(connection.ring.size()).isEqualTo(2);
            receive(WorkerBuffers.FRAME, (byte) 4);
        }
        sink.relayable(Codec.PCMU);
        sink.relayed();
        sink.trimCushion();
        assertThat(connection.ring.size()).as("one payload dropped: one frame less delay").isEqualTo(1);
    }

    @Test
    void aPacketRingSlotHoldsSixtyMillisecondsOfG711AndRefusesMore() {
        PacketRing ring = new PacketRing(2);
        ByteBuffer big = ByteBuffer.allocate(2048);
        assertThat(PacketRing.MAX_PAYLOAD).isEqualTo(3 * WorkerBuffers.FRAME);
        assertThat(ring.offer(big, 0, PacketRing.MAX_PAYLOAD, 0, 0)).isTrue();
        assertThat(ring.offer(big, 0, PacketRing.MAX_PAYLOAD + 1, 0, 0)).isFalse();
        assertThat(ring.size()).isEqualTo(1);
        assertThat(ring.headLength()).isEqualTo(PacketRing.MAX_PAYLOAD);
    }
}
