package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SdesKeysTest {

    private static final String KEY = "inline:AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0e";

    @Test
    void aRandomKeyRoundTripsThroughItsInlineForm() {
        byte[] keyAndSalt = SdesKeys.random30();
        assertThat(keyAndSalt).hasSize(30);
        assertThat(SdesKeys.random30()).isNotEqualTo(keyAndSalt);
        String inline = SdesKeys.inline(keyAndSalt);
        assertThat(inline).startsWith("inline:").hasSize(7 + 40);
        assertThat(SdesKeys.parse(inline)).isEqualTo(keyAndSalt);
        assertThat(SdesKeys.key(keyAndSalt)).hasSize(16);
        assertThat(SdesKeys.salt(keyAndSalt)).hasSize(14);
    }

    @Test
    void anInlineKeyParsesWithOrWithoutALongLifetime() {
        byte[] keyAndSalt = SdesKeys.parse(KEY);
        assertThat(keyAndSalt).isEqualTo(Base64.getDecoder().decode(KEY.substring(7)));
        assertThat(SdesKeys.parse(KEY + "|2^31")).isEqualTo(keyAndSalt);
        assertThat(SdesKeys.parse(KEY + "|4294967296")).isEqualTo(keyAndSalt);
        assertThat(SdesKeys.parse("INLINE:" + KEY.substring(7) + "|2^48")).isEqualTo(keyAndSalt);
    }

    @Test
    void keysThatCannotBeHonouredAreRefusedClearly() {
        assertThatThrownBy(() -> SdesKeys.parse(KEY + "|2^20")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lifetime");
        assertThatThrownBy(() -> SdesKeys.parse(KEY + "|2^20|1:4")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lifetime");
        assertThatThrownBy(() -> SdesKeys.parse(KEY + "|1:4")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MKI");
        assertThatThrownBy(() -> SdesKeys.parse(KEY + "|2^31|1:4")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MKI");
        assertThatThrownBy(() -> SdesKeys.parse("inline:QUJD")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 bytes");
        assertThatThrownBy(() -> SdesKeys.parse("inline:***")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("base64");
        assertThatThrownBy(() -> SdesKeys.parse("uri:" + KEY.substring(7))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not inline").hasMessageNotContaining(KEY.substring(7));
        assertThatThrownBy(() -> SdesKeys.parse(KEY + "|x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a number");
    }

    @Test
    void aContextBuiltFromKeyParametersTalksToOneBuiltFromTheSameKey() {
        byte[] keyAndSalt = SdesKeys.random30();
        SrtpContext sender = SdesKeys.context(SrtpContext.Suite.AES_CM_128_HMAC_SHA1_80, keyAndSalt);
        SrtpContext receiver = SdesKeys.context(SrtpContext.Suite.AES_CM_128_HMAC_SHA1_80,
                SdesKeys.parse(SdesKeys.inline(keyAndSalt)));
        byte[] packet = new byte[12 + 20 + 10];
        packet[0] = (byte) 0x80;
        int length = sender.protectRtp(packet, 0, 32);
        assertThat(receiver.unprotectRtp(packet, 0, length)).isEqualTo(32);
    }
}
