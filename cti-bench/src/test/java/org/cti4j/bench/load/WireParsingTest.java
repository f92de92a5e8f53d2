package org.cti4j.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** What the relays read of SIP, what the probe reads of RTP, and the GC log lines. */
class WireParsingTest {

    private static final String INVITE = """
            INVITE sip:p1-42@127.0.0.1:40001 SIP/2.0
            Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1
            To: <sip:p1-42@127.0.0.1:40001>
            CSeq: 1 INVITE
            Content-Type: application/sdp

            v=0
            c=IN IP4 127.0.0.1
            m=audio 30010 RTP/AVP 0 8 101
            """.replace("\n", "\r\n");

    @Test
    void anInviteGivesItsCallTagAndAudioPort() {
        assertThat(SipText.isInvite(INVITE)).isTrue();
        assertThat(SipText.requestUser(INVITE)).isEqualTo("p1-42");
        assertThat(SipText.callId(SipText.requestUser(INVITE))).isEqualTo(42);
        assertThat(SipText.audioPort(INVITE)).isEqualTo(30010);
    }

    @Test
    void onlyA200ToAnInviteCounts() {
        String ok = "SIP/2.0 200 OK\r\nt: \"x\" <sip:p2-7@127.0.0.1:5>;tag=1\r\nCSeq: 1 INVITE\r\n\r\n";
        String byeOk = "SIP/2.0 200 OK\r\nTo: <sip:p2-7@127.0.0.1:5>;tag=1\r\nCSeq: 2 BYE\r\n\r\n";
        String ringing = "SIP/2.0 180 Ringing\r\nTo: <sip:p2-7@127.0.0.1:5>\r\nCSeq: 1 INVITE\r\n\r\n";
        assertThat(SipText.isInviteOk(ok)).isTrue();
        assertThat(SipText.toUser(ok)).isEqualTo("p2-7");
        assertThat(SipText.isInviteOk(byeOk)).isFalse();
        assertThat(SipText.isInviteOk(ringing)).isFalse();
    }

    @Test
    void theTopViaOfAResponseNamesThePortItsRequestCameFrom() {
        String ok = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:40123;branch=z9hG4bK1;rport=50000;received=127.0.0.1"
                + "\r\nVia: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK2\r\nCSeq: 1 INVITE\r\n\r\nv=0\r\n";
        assertThat(SipText.topViaPort(bytes(ok), ok.length())).as("sent-by, not rport").isEqualTo(40123);
        String compact = "SIP/2.0 180 Ringing\r\nCall-ID: a\r\nv : SIP/2.0/UDP  127.0.0.1:6001 ;branch=z\r\n\r\n";
        assertThat(SipText.topViaPort(bytes(compact), compact.length())).isEqualTo(6001);
        String lower = "SIP/2.0 200 OK\nvia: SIP/2.0/UDP [::1]:7002;branch=z\n\n";
        assertThat(SipText.topViaPort(bytes(lower), lower.length())).as("IPv6, bare line feeds").isEqualTo(7002);
        String noPort = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP host.example;branch=z\r\n\r\n";
        assertThat(SipText.topViaPort(bytes(noPort), noPort.length())).isEqualTo(5060);
        String viaInBody = "SIP/2.0 200 OK\r\nVary: x\r\nVersion: 1\r\n\r\nVia: SIP/2.0/UDP 127.0.0.1:9\r\n";
        assertThat(SipText.topViaPort(bytes(viaInBody), viaInBody.length())).isEqualTo(-1);
        String badPort = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:99999\r\n\r\n";
        assertThat(SipText.topViaPort(bytes(badPort), badPort.length())).isEqualTo(-1);
        ByteBuffer buffer = bytes(ok);
        buffer.position(3);
        SipText.topViaPort(buffer, ok.length());
        assertThat(buffer.position()).as("the buffer is left as it was").isEqualTo(3);
    }

    private static ByteBuffer bytes(String text) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(text.length() + 16);
        buffer.put(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).flip();
        return buffer;
    }

    @Test
    void foreignUsersAreNotCallTags() {
        assertThat(SipText.callId("alice")).isEqualTo(-1);
        assertThat(SipText.callId("p1-")).isEqualTo(-1);
        assertThat(SipText.callId(null)).isEqualTo(-1);
        assertThat(SipText.audioPort("OPTIONS sip:x SIP/2.0\r\n\r\n")).isEqualTo(-1);
    }

    @Test
    void aFlowMeasuresIntervalsAndCountsGaps() {
        RtpFlow flow = new RtpFlow(1, 3);
        long ms = 1_000_000;
        assertThat(flow.onPacket(65534, 0)).isEqualTo(-1);
        assertThat(flow.onPacket(65535, 21 * ms)).isEqualTo(ms);
        assertThat(flow.onPacket(0, 40 * ms)).as("wraps around").isEqualTo(ms);
        assertThat(flow.onPacket(3, 100 * ms)).as("after a gap").isEqualTo(-1);
        assertThat(flow.onPacket(1, 101 * ms)).as("late").isEqualTo(-1);
        assertThat(flow.expected()).isEqualTo(6);
        assertThat(flow.received()).isEqualTo(5);
        assertThat(flow.lost()).as("the late packet 1 does not make up for the lost 2").isEqualTo(2);
        assertThat(flow.audio(false)).as("silence before the audio").isFalse();
        assertThat(flow.audio(true)).as("the first audio").isTrue();
        assertThat(flow.audio(true)).isFalse();
        assertThat(flow.audio(false)).isFalse();
        assertThat(flow.audioFrames()).isEqualTo(2);
        assertThat(flow.silentAfterAudio()).isEqualTo(1);
    }

    @Test
    void silenceIsToldFromSound() {
        assertThat(RtpProbe.carriesAudio(packet(8, (byte) 0xD5))).isFalse();
        assertThat(RtpProbe.carriesAudio(packet(0, (byte) 0xFF))).isFalse();
        ByteBuffer tone = packet(8, (byte) 0xD5);
        byte[] alaw = Alaw.tone(440, 0.02);
        for (int i = 0; i < 160; i++) {
            tone.put(12 + i, alaw[i]);
        }
        assertThat(RtpProbe.carriesAudio(tone)).isTrue();
        assertThat(RtpProbe.carriesAudio(packet(101, (byte) 1))).as("not G.711").isFalse();
    }

    @Test
    void aLawEncodesSilenceAndFullScaleAsG711Does() {
        assertThat(Alaw.encode((short) 0)).isEqualTo((byte) 0xD5);
        assertThat(Alaw.encode((short) -1)).isEqualTo((byte) 0x55);
        assertThat(Alaw.encode(Short.MAX_VALUE)).isEqualTo((byte) 0xAA);
        assertThat(Alaw.encode(Short.MIN_VALUE)).isEqualTo((byte) 0x2A);
        assertThat(Alaw.tone(440, 1.0)).hasSize(8000);
    }

    @Test
    void gcLogPausesAreReadInMicrosecondsButNotTheHarnessesOwn() {
        assertThat(GcLog.parsePause("[3.285s] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 36M->15M(388M) 7.741ms"))
                .isEqualTo(7741L);
        assertThat(GcLog.parsePause("[1.2s] GC(4) Pause Mark End 0.020ms")).isEqualTo(20L);
        assertThat(GcLog.parsePause("[9.100s] GC(0) Y: Pause Mark Start (Major) 0.068ms")).isEqualTo(68L);
        assertThat(GcLog.parsePause("[10.099s] GC(0) O: Pause Mark End 0.064ms")).isEqualTo(64L);
        assertThat(GcLog.parsePause("[16.7s] GC(11) Pause Full (System.gc()) 110M->50M(188M) 109.328ms")).isNull();
        assertThat(GcLog.parsePause("[9.1s] GC(5) Concurrent Mark Cycle 12.345ms")).isNull();
        assertThat(GcMonitor.isPause("G1 Young Generation")).isTrue();
        assertThat(GcMonitor.isPause("ZGC Cycles")).isFalse();
        assertThat(GcMonitor.isPause("ZGC Pauses")).isTrue();
        assertThat(GcMonitor.isPause("G1 Concurrent GC")).isFalse();
    }

    @Test
    void threadsAreGroupedWithoutTheirNumbers() {
        assertThat(ThreadCpu.group("cti-media-worker-2")).isEqualTo("cti-media-worker-N");
        assertThat(ThreadCpu.group("cti4j-12-UDPMessageChannelThread-7"))
                .isEqualTo("cti4j-N-UDPMessageChannelThread-N");
        assertThat(ThreadCpu.group("MessageProcessorThread-UDP-127.0.0.1/5060"))
                .isEqualTo("MessageProcessorThread-UDP-N.N.N.N/N");
    }

    @Test
    void gcLogCpuLinesAreRead(@org.junit.jupiter.api.io.TempDir java.nio.file.Path temp) throws Exception {
        java.nio.file.Path file = temp.resolve("gc.log");
        java.nio.file.Files.writeString(file, """
                [1.000s] GC(1) User=0.02s Sys=0.01s Real=0.01s
                [5.000s] GC(2) User=0.10s Sys=0.00s Real=0.05s
                """);
        GcLog log = GcLog.existing(file);
        assertThat(log.cpuSeconds(0, 2000)).isCloseTo(0.03, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(log.cpuSeconds(0, 9000)).isCloseTo(0.13, org.assertj.core.data.Offset.offset(1e-9));
    }

    private static ByteBuffer packet(int payloadType, byte fill) {
        ByteBuffer packet = ByteBuffer.allocate(172);
        packet.put(0, (byte) 0x80).put(1, (byte) payloadType);
        for (int i = 12; i < 172; i++) {
            packet.put(i, fill);
        }
        return packet;
    }
}
