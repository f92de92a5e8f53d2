package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.spi.MediaException;
import org.cti4j.core.spi.PayloadType;
import org.junit.jupiter.api.Test;

class NegotiationTest {

    private static MediaDescription offer(MediaDirection direction, PayloadType... types) {
        return new MediaDescription("127.0.0.1", 40000, List.of(types), direction);
    }

    @Test
    void picksTheFirstCodecOfTheFarEndThatTheEngineSpeaksAndKeepsItsEventNumber() {
        PayloadType opus = new PayloadType(111, "opus", 48000);
        PayloadType event = new PayloadType(96, "telephone-event", 8000);
        Negotiation chosen = Negotiation.of(offer(MediaDirection.SENDRECV, opus, PayloadType.PCMA, PayloadType.PCMU,
                event));
        assertThat(chosen.codec()).isEqualTo(Codec.PCMA);
        assertThat(chosen.payloadType()).isEqualTo(8);
        assertThat(chosen.telephoneEvent()).isEqualTo(96);
        assertThat(chosen.answerTypes()).containsExactly(PayloadType.PCMA, event);
    }

    @Test
    void acceptsADynamicNumberForG711AndNoTelephoneEvent() {
        Negotiation chosen = Negotiation.of(offer(MediaDirection.SENDRECV, new PayloadType(97, "pcmu", 8000)));
        assertThat(chosen.codec()).isEqualTo(Codec.PCMU);
        assertThat(chosen.payloadType()).isEqualTo(97);
        assertThat(chosen.telephoneEvent()).isEqualTo(-1);
        assertThat(chosen.answerTypes()).containsExactly(new PayloadType(97, "PCMU", 8000));
    }

    @Test
    void noCommonCodecIsRefusedWith488() {
        assertThatThrownBy(() -> Negotiation.of(offer(MediaDirection.SENDRECV, new PayloadType(18, "G729", 8000),
                PayloadType.TELEPHONE_EVENT)))
                .isInstanceOfSatisfying(MediaException.class, e -> assertThat(e.sipStatus()).isEqualTo(488))
                .hasMessageContaining("no common codec");
    }

    @Test
    void theDirectionDecidesWhoSendsAndWhoListens() {
        assertThat(Negotiation.of(offer(MediaDirection.SENDRECV, PayloadType.PCMU)).sends()).isTrue();
        assertThat(Negotiation.of(offer(MediaDirection.SENDONLY, PayloadType.PCMU)).sends()).isFalse();
        assertThat(Negotiation.of(offer(MediaDirection.SENDONLY, PayloadType.PCMU)).receives()).isTrue();
        assertThat(Negotiation.of(offer(MediaDirection.RECVONLY, PayloadType.PCMU)).sends()).isTrue();
        assertThat(Negotiation.of(offer(MediaDirection.RECVONLY, PayloadType.PCMU)).receives()).isFalse();
        assertThat(Negotiation.of(offer(MediaDirection.INACTIVE, PayloadType.PCMU)).sends()).isFalse();
        assertThat(Negotiation.of(offer(MediaDirection.INACTIVE, PayloadType.PCMU)).receives()).isFalse();
    }
}
