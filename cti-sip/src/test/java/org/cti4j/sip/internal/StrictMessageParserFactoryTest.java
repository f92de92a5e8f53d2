package org.cti4j.sip.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StrictMessageParserFactoryTest {

    /** The raw checks as first written, on a String of the whole message: what the byte scanner must agree with. */
    private static Optional<Refusal> asFirstWritten(byte[] bytes) {
        Map<String, String> singleValued = Map.ofEntries(
                Map.entry("from", "From"), Map.entry("f", "From"), Map.entry("to", "To"), Map.entry("t", "To"),
                Map.entry("call-id", "Call-ID"), Map.entry("i", "Call-ID"), Map.entry("cseq", "CSeq"),
                Map.entry("max-forwards", "Max-Forwards"), Map.entry("content-length", "Content-Length"),
                Map.entry("l", "Content-Length"), Map.entry("content-type", "Content-Type"),
                Map.entry("c", "Content-Type"));
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int headerEnd = text.indexOf("\r\n\r\n");
        String head = headerEnd < 0 ? text : text.substring(0, headerEnd);
        String[] lines = head.split("\r?\n", 0);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first == lines.length) {
            return Optional.empty();
        }
        String[] requestLine = lines[first].trim().split("\\s+", 0);
        String version = requestLine[requestLine.length - 1];
        if (version.regionMatches(true, 0, "SIP/", 0, 4) && !version.equals("SIP/2.0")) {
            return Optional.of(new Refusal(505, "Version Not Supported"));
        }
        Map<String, Integer> counts = new HashMap<>();
        for (int i = first + 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0 || Character.isWhitespace(line.charAt(0))) {
                continue;
            }
            String name = singleValued.get(line.substring(0, colon).trim().toLowerCase(Locale.ROOT));
            if (name != null && counts.merge(name, 1, Integer::sum) > 1) {
                return Optional.of(new Refusal(400, "Bad Request: more than one " + name + " header"));
            }
        }
        return Optional.empty();
    }

    @Test
    void theByteScannerAgreesWithTheChecksAsFirstWrittenOnRandomMessages() {
        String[] firstLines = {"INVITE sip:a@b SIP/2.0", "OPTIONS sip:a@b sip/2.0", "BYE sip:a@b SIP/3.0",
            "ACK sip:a@b  SIP/2.0  ", "\u0001INVITE sip:a@b SIP/2.1", "INVITE\tsip:a@b\tSIP/2.0\u0001",
            "REGISTER sip:b SIP/", "X SIP/2.0x", "SIP/7.0", "\u001cSIP/7.0", "INVITE sip:a@b Sip/2.0", "", " ",
            "\t", "INFO sip:x SIP/2.0\r", "\u00c0 SIP/2.0"};
        String[] names = {"From", "f", "TO", "t", "Call-ID", "i", "cseq", "Max-Forwards", "content-length", "L",
            "Content-Type", "c", "Via", "v", "Contact", "m", "X-Other", " From", "\u0001To", "To ", "To\t",
            "\u00c0to", "call-id\u0001", "", "\tFrom", "CSeq\u001f"};
        String[] separators = {"\r\n", "\n", "\r\r\n", "\r"};
        SplittableRandom random = new SplittableRandom(4475);
        Map<Integer, Integer> outcomes = new HashMap<>();
        for (int n = 0; n < 20_000; n++) {
            StringBuilder message = new StringBuilder();
            for (int blank = random.nextInt(3); blank > 0; blank--) {
                message.append(random.nextBoolean() ? "" : " ").append(pick(random, separators));
            }
            message.append(pick(random, firstLines));
            for (int h = random.nextInt(7); h > 0; h--) {
                message.append(pick(random, separators)).append(pick(random, names))
                        .append(random.nextInt(8) == 0 ? "" : ":").append(" value");
            }
            if (random.nextBoolean()) {
                message.append("\r\n\r\n");
                for (int h = random.nextInt(3); h > 0; h--) {
                    message.append(pick(random, names)).append(": in the body\r\n");
                }
            } else if (random.nextBoolean()) {
                message.append(pick(random, separators));
            }
            byte[] bytes = bytes(message.toString());
            Optional<Refusal> refusal = StrictMessageParserFactory.refusal(bytes);
            assertThat(refusal).as("%s", message).isEqualTo(asFirstWritten(bytes));
            outcomes.merge(refusal.map(Refusal::status).orElse(0), 1, Integer::sum);
        }
        assertThat(outcomes).as("accepted, 400 and 505 each drawn often").containsOnlyKeys(0, 400, 505)
                .allSatisfy((status, count) -> assertThat(count).isGreaterThan(1000));
    }

    private static String pick(SplittableRandom random, String[] choices) {
        return choices[random.nextInt(choices.length)];
    }

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
