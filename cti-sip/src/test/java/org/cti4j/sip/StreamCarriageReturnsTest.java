package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A line of two CRs and a line end on a TCP connection ({@code \r\r\n}, {@code \r\r\r}) no longer kills the thread
 * that reads the connection: JAIN-SIP 1.3.0-91's {@code PipelinedMsgParser.readLine} keeps the CRs that start a line
 * in a two-byte array and threw {@code ArrayIndexOutOfBoundsException} out of its thread on the third, leaving the
 * connection open and unread (found by the mutation run of issue #11, line ends changed to CR). The connection goes
 * on: a request after the CRs is answered.
 */
class StreamCarriageReturnsTest {

    private UncaughtThrowables uncaught;
    private SipSignalingProvider sip;
    private CoreEngine engine;

    @BeforeEach
    void start() {
        uncaught = new UncaughtThrowables();
        sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        engine = CoreEngine.builder().signaling(sip).media(new ScriptedMedia()).build();
    }

    @AfterEach
    void stop() {
        engine.close();
        uncaught.close();
    }

    private String options(RawPeer peer, String contentType, String body) {
        String callId = RawCalls.unique("crs");
        return RawCalls.request(peer, "OPTIONS", "sip:127.0.0.1:" + sip.port(), callId, 1,
                RawCalls.dialogHeaders("crs", "engine", sip.port(), callId), contentType, body);
    }

    @Test
    void carriageReturnsStartingALineKillNoThreadAndTheConnectionGoesOn() throws Exception {
        for (String junk : new String[] {"\r\r\n", "\r\r\r\r\n", "\r\n\r\r\n", "BODY\r\r\n"}) {
            try (RawPeer peer = RawPeer.open("TCP", sip.port())) {
                // BODY: the CRs follow a request's body, where the stream parser starts a line with no LF before
                String before = junk.startsWith("BODY") ? options(peer, "text/plain", "x") : "";
                String options = options(peer, null, "");
                String callId = RawSipPeer.header(options, "Call-ID", "i");
                peer.send(before + junk.replace("BODY", "") + options, sip.port());

                String answer = peer.receive(Duration.ofSeconds(5), m -> m.startsWith("SIP/2.0 ")
                        && RawSipPeer.status(m) >= 200 && m.contains(callId));

                assertThat(answer).as("the answer to an OPTIONS after %s", junk.replace("\r", "CR")
                        .replace("\n", "LF")).isNotNull().startsWith("SIP/2.0 200");
            }
        }
        assertThat(uncaught.seen()).as("threads that died").isEmpty();
    }

    @Test
    void aConnectionResetRightAfterACarriageReturnKillsNoThread() throws Exception {
        // On a reset JAIN-SIP writes CRLF CRLF behind the last bytes it read: after a CR at a line start, that made
        // three CRs. The resets are read before the OPTIONS on a new connection is answered (most of them: the threads
        // run side by side, so a failure may show late, never falsely).
        for (int i = 0; i < 20; i++) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), sip.port())) {
                socket.getOutputStream().write("x\r\n\r".getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                socket.setSoLinger(true, 0);
            }
        }
        try (RawPeer peer = RawPeer.open("TCP", sip.port())) {
            peer.send(options(peer, null, ""), sip.port());
            assertThat(peer.finalResponse(Duration.ofSeconds(5))).as("an OPTIONS afterwards").isNotNull();
        }
        assertThat(uncaught.seen()).as("threads that died").isEmpty();
    }

}
