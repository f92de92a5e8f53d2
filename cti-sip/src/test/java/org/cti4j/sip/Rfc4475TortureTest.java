package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cti4j.api.CallEvent;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 4475's torture messages, sent over a raw UDP socket at a live engine: each gets the answer the RFC asks for
 * (or none where it cannot be answered), and the engine goes on serving calls. Every Via is pointed at the test's
 * own loopback socket first, so that no answer leaves the machine.
 */
class Rfc4475TortureTest {

    private static final Pattern VIA = Pattern.compile(
            "(?im)^((?:Via|v)[ \\t]*:[ \\t]*)SIP[ \\t]*/[ \\t]*(\\d+\\.\\d+)[ \\t]*/[ \\t]*[A-Z]+[ \\t]+[^;,\\r\\n]+");
    private static final Duration ANSWER = Duration.ofMillis(1500);

    private SipSignalingProvider sip;
    private CoreEngine engine;
    private final Events events = new Events();

    @BeforeEach
    void start() {
        sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        engine = CoreEngine.builder().signaling(sip).media(new ScriptedMedia()).build();
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private static String torture(String name, int replyPort) throws IOException {
        String text;
        try (var in = Rfc4475TortureTest.class.getResourceAsStream("/rfc4475/" + name + ".dat")) {
            if (in == null) {
                throw new IOException("no torture message " + name + " among the test resources");
            }
            text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        Matcher m = VIA.matcher(text);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + "SIP/" + r.group(2) + "/UDP 127.0.0.1:"
                + replyPort));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "clerr, 400", "ncl, 400", "scalar02, 400", "quotbal, 400", "ltgtruri, 400", "lwsruri, 400",
        "mismatch01, 400", "multi01, 400", "mcl01, 400", "badvers, 505", "unkscm, 416",
        "badinv01, 400|none", "insuf, 400|none", "mismatch02, 501|400",
        "lwsstart, 400|480", "escruri, 400|480", "baddate, 400|480",
        "trws, 400|200", "badaspec, 400|200", "baddn, 400|200", "regbadct, 400|405",
    })
    void aTortureMessageGetsTheAnswerTheRfcAsksFor(String name, String allowed) throws IOException {
        try (RawSipPeer peer = new RawSipPeer()) {
            peer.send(torture(name, peer.port()), sip.port());
            String response = peer.finalResponse(ANSWER);
            String got = response == null ? "none" : String.valueOf(RawSipPeer.status(response));
            assertThat(Set.of(allowed.split("\\|"))).as("%s answered %s", name, got).contains(got);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"scalarlg", "bigcode"})
    void aMalformedResponseIsDroppedSilently(String name) throws IOException {
        try (RawSipPeer peer = new RawSipPeer()) {
            peer.send(torture(name, peer.port()), sip.port());
            assertThat(peer.receive(ANSWER, m -> true)).isNull();
        }
    }

    @Test
    void theEngineGoesOnServingAfterEveryTortureMessage() throws IOException {
        try (RawSipPeer peer = new RawSipPeer()) {
            for (String name : new String[] {"clerr", "ncl", "badinv01", "insuf", "multi01", "mcl01", "badvers",
                    "scalarlg", "bigcode", "lwsstart", "escruri"}) {
                peer.send(torture(name, peer.port()), sip.port());
            }
            String options = "OPTIONS sip:probe@127.0.0.1:" + sip.port() + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + peer.port() + ";branch=z9hG4bK-probe-1\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:probe@127.0.0.1>;tag=p1\r\n"
                    + "To: <sip:probe@127.0.0.1>\r\n"
                    + "Call-ID: probe-1@127.0.0.1\r\n"
                    + "CSeq: 1 OPTIONS\r\n"
                    + "Content-Length: 0\r\n\r\n";
            peer.send(options, sip.port());
            String answer = peer.receive(Duration.ofSeconds(5),
                    m -> m.startsWith("SIP/2.0 200") && m.contains("probe-1@127.0.0.1"));
            assertThat(answer).as("200 to OPTIONS after the torture").isNotNull();
            assertThat(RawSipPeer.header(answer, "Allow", null)).contains("INVITE");
        }
        org.cti4j.core.testing.Await.until("no call or SIP leg left from the torture", Duration.ofSeconds(10),
                () -> sip.liveLegs() == 0 && engine.resources().isEmpty());
        engine.setIncomingCallListener(events);
        try {
            SipSignalingProvider callerSip = new SipSignalingProvider(SipConfig.builder().port(0).build());
            try (CoreEngine caller = CoreEngine.builder().nodeId("0.0.9").signaling(callerSip)
                    .media(new ScriptedMedia()).build()) {
                caller.dial(org.cti4j.api.DialOptions.builder().fromUri("sip:1@127.0.0.1")
                        .toUri("sip:2@127.0.0.1:" + sip.port()).maxAnswerSeconds(10).build(), events);
                events.next(CallEvent.Incoming.class);
            }
        } finally {
            engine.setIncomingCallListener(null);
        }
    }
}
