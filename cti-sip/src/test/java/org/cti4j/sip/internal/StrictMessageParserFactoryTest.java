package org.cti4j.sip.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StrictMessageParserFactoryTest {

    @Test
    void theRawChecksFindWhatTheStockParserHides() {
        assertThat(StrictMessageParserFactory.refusal(bytes("OPTIONS sip:a@b SIP/7.0\r\nTo: <sip:a@b>\r\n\r\n")))
                .contains(new Refusal(505, "Version Not Supported"));
        assertThat(StrictMessageParserFactory.refusal(bytes(
                "INVITE sip:a@b SIP/2.0\r\nTo: <sip:a@b>\r\nt: <sip:c@d>\r\n\r\n"))).get()
                .extracting(Refusal::status).isEqualTo(400);
        assertThat(StrictMessageParserFactory.refusal(bytes(
                "INVITE sip:a@b SIP/2.0\r\nl: 0\r\nContent-Length: 0\r\n\r\n"))).get()
                .extracting(Refusal::status).isEqualTo(400);
        assertThat(StrictMessageParserFactory.refusal(bytes(
                "INVITE sip:a@b SIP/2.0\r\nTo: <sip:a@b>\r\nVia: x\r\nVia: y\r\n\r\nTo: in the body\r\n")))
                .isEmpty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
