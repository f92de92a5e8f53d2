package org.cti4j.sip.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.spi.PayloadType;
import org.cti4j.core.spi.SdesCrypto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SdpTest {

    private static MediaDescription parse(String text) {
        return Sdp.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void whatIsWrittenIsReadBack() {
        MediaDescription offer = new MediaDescription("127.0.0.1", 20000,
                List.of(PayloadType.PCMU, PayloadType.PCMA, PayloadType.TELEPHONE_EVENT), MediaDirection.SENDRECV);
        String text = new String(Sdp.write(offer, 7, 3), StandardCharsets.US_ASCII);
        assertThat(text).startsWith("v=0\r\no=cti4j 7 3 IN IP4 127.0.0.1\r\n")
                .contains("m=audio 20000 RTP/AVP 0 8 101\r\n")
                .contains("a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n")
                .endsWith("a=sendrecv\r\n");
        assertThat(Sdp.parse(text.getBytes(StandardCharsets.US_ASCII))).isEqualTo(offer);
    }

    @Test
    void aBaresipOfferIsRead() {
        MediaDescription media = parse("""
                v=0
                o=- 1 2 IN IP4 127.0.0.1
                s=-
                c=IN IP4 127.0.0.1
                t=0 0
                m=audio 30004 RTP/AVP 0 8 101
                b=AS:64
                a=rtpmap:0 PCMU/8000
                a=rtpmap:8 PCMA/8000
                a=rtpmap:101 telephone-event/8000
                a=fmtp:101 0-15
                a=sendrecv
                a=label:1
                """.replace("\n", "\r\n"));
        assertThat(media.address()).isEqualTo("127.0.0.1");
        assertThat(media.port()).isEqualTo(30004);
        assertThat(media.payloadTypes()).extracting(PayloadType::encoding)
                .containsExactly("PCMU", "PCMA", "telephone-event");
        assertThat(media.telephoneEvent()).contains(PayloadType.TELEPHONE_EVENT);
    }

    @Test
    void staticPayloadTypesNeedNoRtpmapAndLfLineEndsAreFine() {
        MediaDescription media = parse("v=0\nc=IN IP4 10.0.0.1\nm=audio 4000 RTP/AVP 8 0 18\n");
        assertThat(media.payloadTypes()).containsExactly(PayloadType.PCMA, PayloadType.PCMU,
                new PayloadType(18, "G729", 8000));
        assertThat(media.direction()).isEqualTo(MediaDirection.SENDRECV);
    }

    @Test
    void theMediaLevelAddressAndDirectionWinOverTheSessionLevel() {
        MediaDescription media = parse("""
                v=0
                c=IN IP4 10.0.0.1
                a=sendonly
                m=video 5000 RTP/AVP 96
                c=IN IP4 10.0.0.9
                m=audio 4000 RTP/AVP 0
                c=IN IP4 10.0.0.2
                a=recvonly
                """.replace("\n", "\r\n"));
        assertThat(media.address()).isEqualTo("10.0.0.2");
        assertThat(media.direction()).isEqualTo(MediaDirection.RECVONLY);
        MediaDescription sessionLevel = parse("v=0\r\nc=IN IP4 10.0.0.1\r\na=inactive\r\nm=audio 4000 RTP/AVP 0\r\n");
        assertThat(sessionLevel.direction()).isEqualTo(MediaDirection.INACTIVE);
    }

    @Test
    void theOldZeroAddressHoldReadsAsInactive() {
        assertThat(parse("v=0\r\nc=IN IP4 0.0.0.0\r\nm=audio 4000 RTP/AVP 0\r\n").direction())
                .isEqualTo(MediaDirection.INACTIVE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "v=0\r\nc=IN IP4 10.0.0.1\r\nm=video 4000 RTP/AVP 96\r\n",
        "v=0\r\nm=audio 4000 RTP/AVP 0\r\n",
        "v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio port RTP/AVP 0\r\n",
        "v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 70000 RTP/AVP 0\r\n",
        "v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP x\r\n",
        "v=0\r\nc=IN\r\nm=audio 4000 RTP/AVP 0\r\n",
        "this is not sdp",
        "v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:0\r\n",
        "v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 4000 UDP/TLS/RTP/SAVP 0\r\na=fingerprint:sha-256 AB:CD\r\n",
        "v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 4000 UDP/TLS/RTP/SAVPF 0\r\n",
    })
    void unusableBodiesAreRejectedWithAClearMessage(String body) {
        assertThatThrownBy(() -> parse(body)).isInstanceOf(Sdp.SdpException.class).hasMessageContaining("SDP");
    }

    @Test
    void aSecureStreamWithItsCryptoLinesIsWrittenAndReadBack() {
        List<SdesCrypto> crypto = List.of(
                new SdesCrypto(1, "AES_CM_128_HMAC_SHA1_80", "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz", ""),
                new SdesCrypto(2, "AES_CM_128_HMAC_SHA1_32", "inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^20|1:4",
                        "UNENCRYPTED_SRTCP"));
        MediaDescription offer = new MediaDescription("127.0.0.1", 20000, List.of(PayloadType.PCMU),
                MediaDirection.SENDRECV).withCrypto(crypto, true);
        String text = new String(Sdp.write(offer, 7, 3), StandardCharsets.US_ASCII);
        assertThat(text).contains("m=audio 20000 RTP/SAVP 0\r\n")
                .contains("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n")
                .contains("a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^20|1:4"
                        + " UNENCRYPTED_SRTCP\r\n");
        assertThat(Sdp.parse(text.getBytes(StandardCharsets.US_ASCII))).isEqualTo(offer);
    }

    @Test
    void cryptoLinesInAnAvpOfferAreKeptAsAnOptionAndUnreadableOnesSkipped() {
        MediaDescription media = parse("""
                v=0
                c=IN IP4 10.0.0.1
                m=audio 4000 RTP/AVP 0
                a=crypto:x AES_CM_128_HMAC_SHA1_80 inline:AAAA
                a=crypto:3 AES_CM_128_HMAC_SHA1_80
                a=crypto:4 AES_CM_128_HMAC_SHA1_32 inline:BBBB
                """);
        assertThat(media.secureProfile()).isFalse();
        assertThat(media.crypto()).containsExactly(new SdesCrypto(4, "AES_CM_128_HMAC_SHA1_32", "inline:BBBB", ""));
        assertThat(parse("v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 0\r\n").crypto()).isEmpty();
    }
}
