package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HexFormat;
import org.cti4j.media.internal.SrtpContext.Suite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SrtpContextTest {

    private static final HexFormat HEX = HexFormat.of();
    /** RFC 3711 Appendix B.3's master key and salt, also used by libsrtp's reference packet. */
    private static final byte[] MASTER_KEY = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] MASTER_SALT = hex("0EC675AD498AFEEBB6960B3AABE6");
    private static final int SSRC = 0x12345678;

    private static byte[] hex(String hex) {
        return HEX.parseHex(hex.toLowerCase(java.util.Locale.ROOT));
    }

    private static SrtpContext context(Suite suite) {
        return SrtpContext.create(suite, MASTER_KEY, MASTER_SALT);
    }

    /** A PCMU packet (12-byte header, 160-byte payload) in a buffer with room for the tag. */
    private static byte[] rtp(int seq) {
        byte[] packet = new byte[RtpPacket.HEADER + 160 + SrtpContext.MAX_OVERHEAD];
        packet[0] = (byte) 0x80;
        packet[2] = (byte) (seq >>> 8);
        packet[3] = (byte) seq;
        packet[4] = (byte) ((seq * 160) >>> 24);
        packet[7] = (byte) (seq * 160);
        for (int i = 0; i < 4; i++) {
            packet[8 + i] = (byte) (SSRC >>> (24 - 8 * i));
        }
        for (int i = RtpPacket.HEADER; i < RtpPacket.HEADER + 160; i++) {
            packet[i] = (byte) (i * 7 + seq);
        }
        return packet;
    }

    /** A receiver report with one block, 32 bytes. */
    private static byte[] rtcp() {
        byte[] packet = new byte[32 + SrtpContext.MAX_OVERHEAD];
        packet[0] = (byte) 0x81;
        packet[1] = (byte) 201;
        packet[3] = 7;
        for (int i = 4; i < 32; i++) {
            packet[i] = (byte) (i * 13);
        }
        return packet;
    }

    @Test
    void keystreamMatchesRfc3711AppendixB2() {
        AesCounterMode aes = new AesCounterMode(hex("2B7E151628AED2A6ABF7158809CF4F3C"));
        byte[] stream = new byte[0xFF02 * 16];
        aes.xor(hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), stream, 0, stream.length);
        assertThat(HEX.formatHex(stream, 0, 48)).isEqualToIgnoringCase("E03EAD0935C95E80E166B16DD92B4EB4"
                + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0A2E8DD477901E4FCA894C0");
        assertThat(HEX.formatHex(stream, 0xFEFF * 16, stream.length)).isEqualToIgnoringCase(
                "EC8CDF7398607CB0F2D21675EA9EA1E4" + "362B7C3C6773516318A077D7FC5073AE"
                        + "6A2CC3787889374FBEB4C81B17BA6C44");
    }

    @Test
    void sessionKeysMatchRfc3711AppendixB3() {
        AesCounterMode master = new AesCounterMode(MASTER_KEY);
        assertThat(SrtpContext.derive(master, MASTER_SALT, 0, 16))
                .isEqualTo(hex("C61E7A93744F39EE10734AFE3FF7A087"));
        assertThat(SrtpContext.derive(master, MASTER_SALT, 1, 20))
                .isEqualTo(hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"));
        assertThat(SrtpContext.derive(master, MASTER_SALT, 2, 14)).isEqualTo(hex("30CBBC08863D8C85D49DB34A9AE1"));
    }

    @Test
    void aProtectedPacketMatchesLibsrtpsReferencePacket() {
        byte[] packet = Arrays.copyOf(hex("800F1234DECAFBADCAFEBABE" + "AB".repeat(16)), 38);
        int length = context(Suite.AES_CM_128_HMAC_SHA1_80).protectRtp(packet, 0, 28);
        assertThat(length).isEqualTo(38);
        assertThat(HEX.formatHex(packet)).isEqualToIgnoringCase("800F1234DECAFBADCAFEBABE"
                + "4E55DC4CE79978D88CA4D215949D2402" + "B78D6ACC99EA179B8DBB");
    }

    @Test
    void hmacMatchesTheJdksMac() throws Exception {
        byte[] key = hex("0102030405060708090A0B0C0D0E0F1011121314");
        byte[] data = rtp(5);
        javax.crypto.Mac jdk = javax.crypto.Mac.getInstance("HmacSHA1");
        jdk.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA1"));
        HmacSha1 hmac = new HmacSha1(key);
        byte[] out = new byte[HmacSha1.LENGTH];
        for (int round = 0; round < 2; round++) {
            hmac.update(data, 3, 100);
            hmac.updateInt(0x01020304);
            hmac.finish(out);
            jdk.update(data, 3, 100);
            jdk.update(new byte[] {1, 2, 3, 4});
            assertThat(out).isEqualTo(jdk.doFinal());
        }
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void rtpRoundTripsAndIsEncrypted(Suite suite) {
        SrtpContext sender = context(suite);
        SrtpContext receiver = context(suite);
        for (int seq = 100; seq < 110; seq++) {
            byte[] packet = rtp(seq);
            byte[] plain = packet.clone();
            int length = sender.protectRtp(packet, 0, 172);
            assertThat(length).isEqualTo(172 + suite.tagLength());
            assertThat(Arrays.copyOfRange(packet, 0, 12)).isEqualTo(Arrays.copyOfRange(plain, 0, 12));
            assertThat(Arrays.copyOfRange(packet, 12, 172)).isNotEqualTo(Arrays.copyOfRange(plain, 12, 172));
            assertThat(receiver.unprotectRtp(packet, 0, length)).isEqualTo(172);
            assertThat(Arrays.copyOf(packet, 172)).isEqualTo(Arrays.copyOf(plain, 172));
        }
    }

    @Test
    void aPacketAtAnOffsetWithCsrcsAndAnExtensionRoundTrips() {
        byte[] buf = new byte[300];
        byte[] packet = hex("920012340000000100000002" + "0000000A0000000B" + "BEDE0001" + "11223344" + "CAFE".repeat(40));
        System.arraycopy(packet, 0, buf, 50, packet.length);
        SrtpContext sender = context(Suite.AES_CM_128_HMAC_SHA1_80);
        int length = sender.protectRtp(buf, 50, packet.length);
        assertThat(Arrays.copyOfRange(buf, 50, 78)).isEqualTo(Arrays.copyOf(packet, 28));
        assertThat(context(Suite.AES_CM_128_HMAC_SHA1_80).unprotectRtp(buf, 50, length)).isEqualTo(packet.length);
        assertThat(Arrays.copyOfRange(buf, 50, 50 + packet.length)).isEqualTo(packet);
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void rtcpRoundTripsWithTheEncryptedFlagAndIndex(Suite suite) {
        SrtpContext sender = context(suite);
        SrtpContext receiver = context(suite);
        for (int i = 0; i < 3; i++) {
            byte[] packet = rtcp();
            byte[] plain = packet.clone();
            int length = sender.protectRtcp(packet, 0, 32);
            assertThat(length).isEqualTo(32 + 14);
            assertThat(HEX.formatHex(packet, 32, 36)).isEqualTo(String.format("8000000%d", i));
            assertThat(Arrays.copyOfRange(packet, 8, 32)).isNotEqualTo(Arrays.copyOfRange(plain, 8, 32));
            assertThat(receiver.unprotectRtcp(packet, 0, length)).isEqualTo(32);
            assertThat(Arrays.copyOf(packet, 32)).isEqualTo(Arrays.copyOf(plain, 32));
        }
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void aFlippedBitAnywhereFailsAuthenticationAndLeavesTheBufferAlone(Suite suite) {
        SrtpContext sender = context(suite);
        byte[] good = rtp(1);
        int length = sender.protectRtp(good, 0, 172);
        for (int at : new int[] {1, 3, 9, 20, 171, 172, length - 1}) {
            SrtpContext receiver = context(suite);
            byte[] bad = good.clone();
            bad[at] ^= 0x10;
            byte[] before = bad.clone();
            assertThat(receiver.unprotectRtp(bad, 0, length)).as("bit flipped at %d", at)
                    .isEqualTo(SrtpContext.AUTH_FAILED);
            assertThat(bad).isEqualTo(before);
            byte[] copy = good.clone();
            assertThat(receiver.unprotectRtp(copy, 0, length)).as("the good packet after a forgery").isEqualTo(172);
        }
        SrtpContext receiver = context(suite);
        byte[] rtcp = rtcp();
        int rtcpLength = sender.protectRtcp(rtcp, 0, 32);
        for (int at : new int[] {0, 5, 12, 33, rtcpLength - 1}) {
            byte[] bad = rtcp.clone();
            bad[at] ^= 0x01;
            assertThat(receiver.unprotectRtcp(bad, 0, rtcpLength)).as("RTCP bit flipped at %d", at)
                    .isIn(SrtpContext.AUTH_FAILED, SrtpContext.MALFORMED);
        }
        assertThat(receiver.unprotectRtcp(rtcp, 0, rtcpLength)).isEqualTo(32);
    }

    @Test
    void aReplayedPacketIsRefused() {
        SrtpContext sender = context(Suite.AES_CM_128_HMAC_SHA1_80);
        SrtpContext receiver = context(Suite.AES_CM_128_HMAC_SHA1_80);
        byte[] packet = rtp(7);
        int length = sender.protectRtp(packet, 0, 172);
        byte[] replay = packet.clone();
        assertThat(receiver.unprotectRtp(packet, 0, length)).isEqualTo(172);
        assertThat(receiver.unprotectRtp(replay, 0, length)).isEqualTo(SrtpContext.REPLAYED);

        byte[] rtcp = rtcp();
        int rtcpLength = sender.protectRtcp(rtcp, 0, 32);
        byte[] rtcpReplay = rtcp.clone();
        assertThat(receiver.unprotectRtcp(rtcp, 0, rtcpLength)).isEqualTo(32);
        assertThat(receiver.unprotectRtcp(rtcpReplay, 0, rtcpLength)).isEqualTo(SrtpContext.REPLAYED);
    }

    @Test
    void reorderedPacketsWithinTheWindowAreAcceptedAndOlderOnesRefused() {
        SrtpContext sender = context(Suite.AES_CM_128_HMAC_SHA1_32);
        SrtpContext receiver = context(Suite.AES_CM_128_HMAC_SHA1_32);
        byte[][] sent = new byte[300][];
        for (int seq = 0; seq < sent.length; seq++) {
            sent[seq] = rtp(seq);
            sender.protectRtp(sent[seq], 0, 172);
        }
        int length = 176;
        assertThat(receiver.unprotectRtp(sent[10].clone(), 0, length)).isEqualTo(172);
        assertThat(receiver.unprotectRtp(sent[200].clone(), 0, length)).isEqualTo(172);
        assertThat(receiver.unprotectRtp(sent[199].clone(), 0, length)).isEqualTo(172);
        assertThat(receiver.unprotectRtp(sent[200 - 127].clone(), 0, length)).isEqualTo(172);
        assertThat(receiver.unprotectRtp(sent[150].clone(), 0, length)).isEqualTo(172);
        assertThat(receiver.unprotectRtp(sent[150].clone(), 0, length)).isEqualTo(SrtpContext.REPLAYED);
        assertThat(receiver.unprotectRtp(sent[200 - 128].clone(), 0, length)).isEqualTo(SrtpContext.REPLAYED);
        assertThat(receiver.unprotectRtp(sent[11].clone(), 0, length)).isEqualTo(SrtpContext.REPLAYED);
        assertThat(receiver.unprotectRtp(sent[299].clone(), 0, length)).isEqualTo(172);
        assertThat(receiver.unprotectRtp(sent[201].clone(), 0, length)).isEqualTo(172);
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void theRolloverCounterAdvancesWhenTheSequenceNumberWraps(Suite suite) {
        SrtpContext sender = context(suite);
        SrtpContext receiver = context(suite);
        int[] order = {65530, 65531, 65532, 65534, 65533, 65535, 0, 1, 65535, 3, 2, 4};
        byte[][] sent = new byte[65536][];
        for (int seq = 65530; seq <= 65535 + 6; seq++) {
            int s = seq & 0xFFFF;
            sent[s] = rtp(s);
            sender.protectRtp(sent[s], 0, 172);
        }
        int length = 172 + suite.tagLength();
        for (int i = 0; i < order.length; i++) {
            int seq = order[i];
            byte[] packet = sent[seq].clone();
            int expected = i == 8 ? SrtpContext.REPLAYED : 172;
            assertThat(receiver.unprotectRtp(packet, 0, length)).as("seq %d", seq).isEqualTo(expected);
            if (expected > 0) {
                assertThat(Arrays.copyOf(packet, 172)).isEqualTo(Arrays.copyOf(rtp(seq), 172));
            }
        }
        SrtpContext unaware = context(suite);
        byte[] wrapped = sent[5].clone();
        assertThat(unaware.unprotectRtp(wrapped, 0, length)).as("index 65541 is not index 5")
                .isEqualTo(SrtpContext.AUTH_FAILED);
    }

    @Test
    void packetsTooShortAreMalformed() {
        SrtpContext receiver = context(Suite.AES_CM_128_HMAC_SHA1_80);
        byte[] tiny = new byte[21];
        tiny[0] = (byte) 0x80;
        assertThat(receiver.unprotectRtp(tiny, 0, 21)).isEqualTo(SrtpContext.MALFORMED);
        assertThat(receiver.unprotectRtcp(tiny, 0, 21)).isEqualTo(SrtpContext.MALFORMED);
        assertThat(receiver.unprotectRtp(new byte[40], 0, 40)).as("version 0").isEqualTo(SrtpContext.MALFORMED);
    }

    @Test
    void suitesAreFoundByTheirSdesNames() {
        assertThat(Suite.of("AES_CM_128_HMAC_SHA1_32")).contains(Suite.AES_CM_128_HMAC_SHA1_32);
        assertThat(Suite.of("aes_cm_128_hmac_sha1_80")).contains(Suite.AES_CM_128_HMAC_SHA1_80);
        assertThat(Suite.of("AEAD_AES_128_GCM")).isEmpty();
        assertThat(Suite.AES_CM_128_HMAC_SHA1_80.tagLength()).isEqualTo(10);
        assertThat(Suite.AES_CM_128_HMAC_SHA1_32.tagLength()).isEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void protectingAndUnprotectingAllocateNothing(Suite suite) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SrtpContext sender = context(suite);
        SrtpContext receiver = context(suite);
        byte[] packet = rtp(0);
        byte[] rtcp = rtcp();
        int[] seq = {0};
        Runnable round = () -> {
            for (int i = 0; i < 10_000; i++) {
                int s = seq[0]++ & 0xFFFF;
                packet[2] = (byte) (s >>> 8);
                packet[3] = (byte) s;
                int length = sender.protectRtp(packet, 0, 172);
                if (receiver.unprotectRtp(packet, 0, length) != 172) {
                    throw new AssertionError("round trip failed at " + s);
                }
                if (receiver.unprotectRtcp(rtcp, 0, sender.protectRtcp(rtcp, 0, 32)) != 32) {
                    throw new AssertionError("RTCP round trip failed");
                }
            }
        };
        for (int warm = 0; warm < 5; warm++) {
            round.run();
        }
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        round.run();
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertThat(allocated / 10_000).as("bytes allocated per packet (%d in all)", allocated).isZero();
    }
}
