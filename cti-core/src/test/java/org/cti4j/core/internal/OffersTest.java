package org.cti4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.spi.PayloadType;
import org.cti4j.core.spi.SdesCrypto;
import org.junit.jupiter.api.Test;

class OffersTest {

    private static final SdesCrypto SHA1_80 = new SdesCrypto(1, "AES_CM_128_HMAC_SHA1_80", "inline:KEY", "");
    private static final SdesCrypto OTHER = new SdesCrypto(1, "AEAD_AES_256_GCM", "inline:KEY", "");

    private static MediaDescription media(boolean secure, SdesCrypto... crypto) {
        return new MediaDescription("127.0.0.1", 4000, List.of(PayloadType.PCMU), MediaDirection.SENDRECV)
                .withCrypto(List.of(crypto), secure);
    }

    private static Optional<String> check(MediaDescription ours, MediaDescription theirs) {
        return Offers.unanswerable(ours, Optional.of(theirs));
    }

    @Test
    void srtpThatDoesNotFitIsRefusedBeforeRinging() {
        MediaDescription off = media(false);
        MediaDescription optional = media(false, SHA1_80);
        MediaDescription mandatory = media(true, SHA1_80);
        assertThat(check(off, media(true, SHA1_80))).hasValueSatisfying(why -> assertThat(why).contains("SRTP is off"));
        assertThat(check(off, media(false, SHA1_80))).isEmpty();
        assertThat(check(optional, media(false))).isEmpty();
        assertThat(check(optional, media(true, OTHER))).hasValueSatisfying(why -> assertThat(why)
                .contains("no common SRTP crypto suite"));
        assertThat(check(optional, media(false, OTHER))).isEmpty();
        assertThat(check(mandatory, media(false))).hasValueSatisfying(why -> assertThat(why)
                .contains("SRTP is mandatory"));
        assertThat(check(mandatory, media(false, OTHER, SHA1_80))).isEmpty();
        assertThat(check(mandatory, media(true, SHA1_80))).isEmpty();
    }
}
