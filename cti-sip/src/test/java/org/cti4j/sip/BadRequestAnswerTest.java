package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The 400 that answers a request with a malformed mandatory header is itself well formed, whatever bare CRs, LFs or
 * NULs the request held: each line ends in CRLF and holds no other control character, so that the sender reads the
 * status line and the headers it expects (found by the random mutation run, seed 11, case 177: JAIN-SIP's own UDP
 * 400 copied raw request bytes, bare CRs included, after its status line).
 */
class BadRequestAnswerTest {

    private SipSignalingProvider sip;
    private CoreEngine engine;

    @BeforeEach
    void start() {
        sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        engine = CoreEngine.builder().signaling(sip).media(new ScriptedMedia()).build();
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"UDP", "TCP"})
    void aBadRequestWithBareCarriageReturnsGetsAWellFormed400(String transport) throws Exception {
        try (RawPeer peer = RawPeer.open(transport, sip.port())) {
            String request = "OPTIONS sip:127.0.0.1:" + sip.port() + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/" + transport + " 127.0.0.1:" + peer.port() + ";branch=z9hG4bK-cr1\r\n"
                    + "X-Junk: 1\rMax-Forwards: 70\r\n"
                    + "From: <sip:a@127.0.0.1>;tag=cr1\r\n"
                    + "To: <sip:b@127.0.0.1>\r\n"
                    + "Call-ID: cr1\u0000x\r@127.0.0.1\r\n"
                    + "CSeq: x1 OPTIONS\r\n"
                    + "Content-Length: 0\r\n\r\n";
            peer.send(request, sip.port());
            String answer = peer.finalResponse(Duration.ofSeconds(5));

            assertThat(answer).as("the answer").isNotNull().startsWith("SIP/2.0 400 ");
            String head = answer.substring(0, answer.indexOf("\r\n\r\n"));
            for (String line : head.split("\r\n", 0)) {
                assertThat(line).as("a line of the answer").doesNotContainPattern("[\\x00-\\x08\\x0a-\\x1f\\x7f]");
            }
            assertThat(head.split("\r\n", 0)[0]).matches("SIP/2\\.0 400 Bad Request: [^\\p{Cntrl}]*")
                    .doesNotContain("Bad Request: 400");
            assertThat(head).contains("\r\nVia: SIP/2.0/" + transport + " 127.0.0.1:" + peer.port()
                    + ";branch=z9hG4bK-cr1");
        }
    }
}
