package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class RtpPacketTest {

    private static ByteBuffer packet(int... bytes) {
        ByteBuffer buffer = ByteBuffer.allocate(bytes.length);
        for (int b : bytes) {
            buffer.put((byte) b);
        }
        return buffer.flip();
    }

    @Test
    void aWrittenHeaderReadsBack() {
        ByteBuffer buffer = ByteBuffer.allocate(200);
        RtpPacket.writeHeader(buffer, true, 8, 65535, -5, 0x12345678);
        buffer.put(new byte[160]).flip();
        assertThat(RtpPacket.payloadOffset(buffer)).isEqualTo(12);
        assertThat(RtpPacket.marker(buffer)).isTrue();
        assertThat(RtpPacket.payloadType(buffer)).isEqualTo(8);
        assertThat(RtpPacket.sequence(buffer)).isEqualTo(65535);
        assertThat(RtpPacket.timestamp(buffer)).isEqualTo(0xFFFFFFFBL);
        assertThat(RtpPacket.ssrc(buffer)).isEqualTo(0x12345678);
    }

    @Test
    void csrcsExtensionAndPaddingAreSkipped() {
        ByteBuffer withAll = packet(0xB1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 9, 9, 9, 9, 0xBE, 0xDE, 0, 1, 7, 7, 7, 7,
                0x55, 0x55, 0, 2);
        assertThat(RtpPacket.payloadOffset(withAll)).isEqualTo(24);
        assertThat(RtpPacket.payloadPadding(withAll)).isEqualTo(2);
    }

    @Test
    void malformedPacketsAreRecognised() {
        assertThat(RtpPacket.payloadOffset(packet(0x80, 0, 0))).isEqualTo(-1);
        assertThat(RtpPacket.payloadOffset(packet(0x40, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1))).isEqualTo(-1);
        assertThat(RtpPacket.payloadOffset(packet(0x8F, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 2))).isEqualTo(-1);
        assertThat(RtpPacket.payloadOffset(packet(0x90, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xBE, 0xDE, 0, 9)))
                .isEqualTo(-1);
        assertThat(RtpPacket.payloadOffset(packet(0xA0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 40))).isEqualTo(-1);
        assertThat(RtpPacket.payloadOffset(packet(0xA0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0))).isEqualTo(-1);
        assertThat(RtpPacket.payloadOffset(packet(0x80, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1))).isEqualTo(12);
    }

    @Test
    void rtcpCompoundsAreCheckedForVersionTypeAndLength() {
        assertThat(RtcpEndpoint.wellFormed(packet(0x80, 200, 0, 1, 0, 0, 0, 1))).isTrue();
        assertThat(RtcpEndpoint.wellFormed(packet(0x80, 200, 0, 6, 0, 0, 0, 1))).isFalse();
        assertThat(RtcpEndpoint.wellFormed(packet(0x80, 96, 0, 1, 0, 0, 0, 1))).isFalse();
        assertThat(RtcpEndpoint.wellFormed(packet(0x40, 201, 0, 1, 0, 0, 0, 1))).isFalse();
        assertThat(RtcpEndpoint.wellFormed(packet(0x80, 201))).isFalse();
    }
}
