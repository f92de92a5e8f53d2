package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class RingsTest {

    @Test
    void aPcmRingKeepsOrderAcrossTheWrapAndDropsWhatDoesNotFit() {
        PcmRing ring = new PcmRing(8);
        short[] out = new short[8];
        for (int round = 0; round < 5; round++) {
            assertThat(ring.write(new short[] {1, 2, 3, 4, 5}, 0, 5)).isEqualTo(5);
            assertThat(ring.read(out, 0, 5)).isEqualTo(5);
            assertThat(out).startsWith((short) 1, (short) 2, (short) 3, (short) 4, (short) 5);
        }
        assertThat(ring.write(new short[10], 0, 10)).isEqualTo(8);
        assertThat(ring.free()).isZero();
    }

    @Test
    void aJitterFrameWaitsForACushionAndTheBacklogIsBounded() {
        PcmRing ring = new PcmRing(64);
        short[] frame = {9, 9, 9, 9};
        ring.write(new short[] {1, 2, 3}, 0, 3);
        assertThat(ring.readJitterFrame(frame, 0, 4, 5)).isFalse();
        assertThat(frame).containsOnly((short) 0);
        ring.write(new short[] {4, 5, 6, 7, 8}, 0, 5);
        assertThat(ring.readJitterFrame(frame, 0, 4, 5)).isTrue();
        assertThat(frame).containsExactly((short) 1, (short) 2, (short) 3, (short) 4);
        assertThat(ring.readJitterFrame(frame, 0, 4, 5)).as("primed: one frame is enough").isTrue();
        assertThat(frame).containsExactly((short) 5, (short) 6, (short) 7, (short) 8);
        assertThat(ring.readJitterFrame(frame, 0, 4, 5)).isFalse();
        ring.write(new short[] {1, 2, 3, 4}, 0, 4);
        assertThat(ring.readJitterFrame(frame, 0, 4, 5)).as("after an underrun: a cushion again").isFalse();
        short[] many = new short[30];
        for (int i = 0; i < many.length; i++) {
            many[i] = (short) (i + 10);
        }
        ring.write(many, 0, many.length);
        assertThat(ring.readJitterFrame(frame, 0, 4, 5)).isTrue();
        assertThat(frame).containsExactly((short) 28, (short) 29, (short) 30, (short) 31);
        assertThat(ring.available()).isEqualTo(8);
    }

    @Test
    void aPacketRingCarriesPayloadsAndTheirTypesAndRefusesWhenFull() {
        PacketRing ring = new PacketRing(2);
        ByteBuffer packet = ByteBuffer.wrap(new byte[] {0, 0, 7, 8, 9});
        assertThat(ring.offer(packet, 2, 3, 1, 100)).isTrue();
        assertThat(ring.offer(packet, 3, 2, 0, 120)).isTrue();
        assertThat(ring.offer(packet, 2, 3, 1, 140)).isFalse();
        assertThat(ring.size()).isEqualTo(2);
        assertThat(ring.headLength()).isEqualTo(3);
        assertThat(ring.headPayloadType()).isEqualTo(1);
        assertThat(ring.headPayload()).startsWith((byte) 7, (byte) 8, (byte) 9);
        assertThat(ring.headReceivedAt()).isEqualTo(100);
        ring.remove();
        assertThat(ring.headPayload()).startsWith((byte) 8, (byte) 9);
        assertThat(ring.headReceivedAt()).isEqualTo(120);
        assertThat(ring.offer(ByteBuffer.allocate(2000), 0, 1500, 0, 160)).isFalse();
    }

    @Test
    void thePortPoolHandsOutEvenPortsAndReusesGivenBackOnesLast() {
        PortPool pool = new PortPool(30001, 30008);
        assertThat(pool.capacity()).isEqualTo(3);
        assertThat(pool.take()).isEqualTo(30002);
        assertThat(pool.take()).isEqualTo(30004);
        pool.give(30002);
        assertThat(pool.take()).isEqualTo(30006);
        assertThat(pool.take()).isEqualTo(30002);
        assertThat(pool.take()).isEqualTo(-1);
        assertThat(pool.freeCount()).isZero();
    }
}
