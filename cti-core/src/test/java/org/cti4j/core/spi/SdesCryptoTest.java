package org.cti4j.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SdesCryptoTest {

    private static final SdesCrypto CRYPTO = new SdesCrypto(1, "AES_CM_128_HMAC_SHA1_80",
            "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32", "");

    @Test
    void theAttributeValueIsTheLineAsWrittenAndTheStringHidesTheKey() {
        assertThat(CRYPTO.toAttributeValue())
                .isEqualTo("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32");
        assertThat(new SdesCrypto(2, "AES_CM_128_HMAC_SHA1_32", "inline:x", "UNENCRYPTED_SRTCP").toAttributeValue())
                .isEqualTo("2 AES_CM_128_HMAC_SHA1_32 inline:x UNENCRYPTED_SRTCP");
        assertThat(CRYPTO.toString()).doesNotContain("PS1uQ").contains("AES_CM_128_HMAC_SHA1_80");
        MediaDescription description = new MediaDescription("127.0.0.1", 20000, List.of(PayloadType.PCMU),
                MediaDirection.SENDRECV, List.of(CRYPTO), true);
        assertThat(description.toString()).doesNotContain("PS1uQ");
    }

    @Test
    void aPlainDescriptionHasNoCryptoAndKeepsItsKeysThroughADirectionChange() {
        MediaDescription plain = new MediaDescription("127.0.0.1", 20000, List.of(PayloadType.PCMU),
                MediaDirection.SENDRECV);
        MediaDescription secure = plain.withCrypto(List.of(CRYPTO), true);

        assertThat(plain.crypto()).isEmpty();
        assertThat(plain.secureProfile()).isFalse();
        assertThat(secure.withDirection(MediaDirection.SENDONLY).crypto()).containsExactly(CRYPTO);
        assertThat(secure.withDirection(MediaDirection.SENDONLY).secureProfile()).isTrue();
    }

    @Test
    void aTagOutOfRangeIsRefused() {
        assertThatThrownBy(() -> new SdesCrypto(1_000_000_000, "AES_CM_128_HMAC_SHA1_80", "inline:x", ""))
                .hasMessageContaining("1000000000");
    }
}
