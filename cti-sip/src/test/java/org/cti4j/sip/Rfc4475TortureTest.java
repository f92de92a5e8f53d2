package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cti4j.api.CallEvent;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 4475's 49 torture messages, each sent over a raw UDP socket and over a raw TCP connection at a live engine:
 * each gets the answer the RFC asks for (or none where none is right), and the engine goes on serving calls. Every
 * Via (folded ones too) is pointed at the test's own loopback socket first, so that no answer leaves the machine.
 *
 * <p>{@link #EXPECTED} is the one table both transports are checked against: per message, the status codes allowed
 * (several where the RFC allows a liberal reading), {@code none} where no answer is right, and, for TCP,
 * {@code +closed} where the engine must also end the connection because the stream's framing can no longer be
 * trusted. Where TCP differs from UDP the table says why.
 */
class Rfc4475TortureTest {

    private static final String LWS = "(?:[ \\t]|\\r\\n[ \\t])";
    private static final Pattern VIA = Pattern.compile("(?im)^((?:Via|v)" + LWS + "*:" + LWS + "*)SIP" + LWS
            + "*/" + LWS + "*(\\d+\\.\\d+)" + LWS + "*/" + LWS + "*[A-Z]+" + LWS + "+[^;,\\r\\n]+");
    private static final Duration ANSWER = Duration.ofMillis(1500);
    /** Longer than the stack's TCP read timeout (5 s): a connection left waiting for bytes is closed by then. */
    private static final Duration CLOSE = Duration.ofSeconds(15);

    /** Message name, then the answers allowed over UDP, then over TCP. */
    private static final String[][] EXPECTED = {
        // 3.1.1: valid, parsed and processed (no application listens: INVITEs get 480; REGISTER and MESSAGE are
        // not served: 405; responses matching no request are dropped).
        {"wsinv", "481", "481"}, // its To has a tag: a re-INVITE of a dialog that does not exist
        {"intmeth", "501", "501"}, {"esc01", "480", "480"}, {"escnull", "405", "405"}, {"esc02", "501", "501"},
        {"lwsdisp", "200", "200"}, {"longreq", "480", "480"}, {"semiuri", "200", "200"},
        {"transports", "200", "200"}, {"mpart01", "405", "405"}, {"unreason", "none", "none"},
        {"noreason", "none", "none"},
        // Over TCP the bytes after the REGISTER are the next message of the stream (RFC 3261 18.3), not ignored:
        // an INVITE whose body is longer than its Content-Length, and the stray bytes after it are skipped.
        {"dblreq", "405", "405"},
        // 3.1.2: invalid, 400; over TCP the connection is closed after it.
        {"badinv01", "400", "400+closed"}, {"ncl", "400", "400+closed"}, {"scalar02", "400", "400+closed"},
        {"quotbal", "400", "400+closed"}, {"ltgtruri", "400", "400+closed"}, {"lwsruri", "400", "400+closed"},
        {"mismatch01", "400", "400+closed"},
        // Content-Length 9999 over a stream announces bytes that never come: nothing can be known to be wrong,
        // so nothing is answered; the connection is closed when the read times out.
        {"clerr", "400", "none+closed"},
        // 400, or accepted liberally.
        {"lwsstart", "400|480", "400|480"}, {"trws", "400|200", "400|200"}, {"escruri", "400|480", "400|480"},
        {"baddate", "400|480", "400|480"}, {"regbadct", "400|405", "400|405"}, {"badaspec", "400|200", "400|200"},
        // The RFC's archive ends baddn without the empty line that ends a head: over TCP it never ends.
        {"baddn", "400|200", "none"},
        {"badvers", "505", "505"}, {"mismatch02", "501|400", "501|400"},
        {"scalarlg", "none", "none"}, {"bigcode", "none", "none"},
        // 3.2, 3.3, 3.4.
        {"badbranch", "400|200", "400|200"}, {"insuf", "400", "400"}, {"unkscm", "416", "416"},
        {"novelsc", "416", "416"}, {"unksm2", "405", "405"}, {"bext01", "420", "420"}, {"invut", "415", "415"},
        {"regaut01", "405", "405"}, {"multi01", "400", "400"}, {"mcl01", "400", "400"}, {"bcast", "none", "none"},
        {"zeromf", "200", "200"}, {"cparam01", "405", "405"}, {"cparam02", "405", "405"},
        {"regescrt", "405", "405"}, {"sdp01", "406", "406"}, {"inv2543", "480", "480"},
    };

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

    private static String torture(String name, RawPeer peer) throws IOException {
        String text;
        try (var in = Rfc4475TortureTest.class.getResourceAsStream("/rfc4475/" + name + ".dat")) {
            if (in == null) {
                throw new IOException("no torture message " + name + " among the test resources");
            }
            text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        Matcher m = VIA.matcher(text);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + "SIP/" + r.group(2) + "/" + peer.transport()
                + " 127.0.0.1:" + peer.port()));
    }

    static Stream<Arguments> messages() {
        return Stream.of("UDP", "TCP").flatMap(transport -> Arrays.stream(EXPECTED)
                .map(row -> Arguments.of(transport, row[0], transport.equals("UDP") ? row[1] : row[2])));
    }

    @Test
    void theTableHoldsEveryMessageOfTheRfc() throws IOException {
        Set<String> tabled = new TreeSet<>();
        Arrays.stream(EXPECTED).forEach(row -> tabled.add(row[0]));
        assertThat(tabled).hasSize(49).hasSize(EXPECTED.length);
        for (String name : tabled) {
            assertThat(Rfc4475TortureTest.class.getResource("/rfc4475/" + name + ".dat")).as(name).isNotNull();
        }
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("messages")
    void aTortureMessageGetsTheAnswerTheRfcAsksFor(String transport, String name, String expected)
            throws IOException {
        boolean closes = expected.endsWith("+closed");
        Set<String> allowed = Set.of(expected.replace("+closed", "").split("\\|"));
        try (RawPeer peer = RawPeer.open(transport, sip.port())) {
            peer.send(torture(name, peer), sip.port());
            String response = peer.finalResponse(ANSWER);
            String got = response == null ? "none" : String.valueOf(RawSipPeer.status(response));
            assertThat(allowed).as("%s over %s answered %s", name, transport, got).contains(got);
            if (response != null) {
                assertThat(response.substring(0, response.indexOf("\r\n"))).as("the status line of %s's answer", name)
                        .doesNotContain("\n");
            }
            if (closes) {
                assertThat(((RawTcpSipPeer) peer).closedByServer(CLOSE)).as("%s ends the TCP connection", name)
                        .isTrue();
            }
        }
        assertThat(sip.handlingFailures()).isZero();
    }

    @Test
    void theEngineGoesOnServingAfterEveryTortureMessage() throws IOException {
        try (RawSipPeer peer = new RawSipPeer()) {
            for (String name : new String[] {"clerr", "ncl", "badinv01", "insuf", "multi01", "mcl01", "badvers",
                    "scalarlg", "bigcode", "lwsstart", "escruri"}) {
                peer.send(torture(name, peer), sip.port());
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
