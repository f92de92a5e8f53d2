package org.cti4j.sip.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Request;
import org.cti4j.core.testing.Await;
import org.cti4j.sip.SipConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A response no transaction, call or registration waits for is dropped before JAIN-SIP compares it with every client
 * transaction ({@link StrayResponses}); a response to a request still in a transaction, and one of a known call, reach
 * the listener as before.
 */
class StrayResponsesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String KNOWN = "known-call";

    private final BlockingQueue<ResponseEvent> heard = new LinkedBlockingQueue<>();
    private StackHost host;
    private StrayResponses strays;
    private DatagramSocket peer;

    @BeforeEach
    void start() throws Exception {
        host = StackHost.start(SipConfig.builder().port(0).build(), new ResponseRecorder(heard),
                (transaction, realm) -> null, null);
        strays = host.valve(StrayResponses.class);
        assertThat(strays).as("the stack's stray-response valve").isNotNull();
        strays.admit(KNOWN::equals);
        peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() {
        if (peer != null) {
            peer.close();
        }
        if (host != null) {
            host.stop();
        }
    }

    @Test
    void aResponseNothingWaitsForIsDroppedAndOneOfAKnownCallGoesThrough() throws Exception {
        send(response(180, "Ringing", "z9hG4bK-stray-1", "nobody-knows-this", "INVITE"));
        send(response(200, "OK", "z9hG4bK-stray-2", "nobody-knows-this-either", "INVITE"));
        send(response(200, "OK", "no-cookie", "nor-this", "BYE"));
        Await.until("three responses dropped", WAIT, () -> strays.dropped() == 3);

        // A 200 OK sent again after its INVITE's transaction ended: no transaction, but the call is known.
        send(response(200, "OK", "z9hG4bK-ended", KNOWN, "INVITE"));
        ResponseEvent known = heard.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(known).as("the known call's response").isNotNull();
        assertThat(known.getClientTransaction()).isNull();
        assertThat(callId(known)).isEqualTo(KNOWN);
        assertThat(heard).as("nothing else reached the listener").isEmpty();
        assertThat(strays.dropped()).isEqualTo(3);
    }

    @Test
    void aResponseToARequestInATransactionGoesThroughWhateverItsCallId() throws Exception {
        String callId = "options-of-no-call";
        Request options = host.messages().createRequest("OPTIONS sip:probe@127.0.0.1:" + peer.getLocalPort()
                + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + host.port() + ";branch=z9hG4bK-options-1\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:engine@127.0.0.1>;tag=engine\r\n"
                + "To: <sip:probe@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n");
        ClientTransaction transaction = host.provider().getNewClientTransaction(options);
        transaction.sendRequest();
        byte[] buffer = new byte[65_536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        peer.setSoTimeout((int) WAIT.toMillis());
        peer.receive(packet);
        String received = new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8);
        assertThat(received).startsWith("OPTIONS ");
        String branch = received.substring(received.indexOf(";branch=") + 8, received.indexOf("\r\n",
                received.indexOf(";branch=")));

        send(response(200, "OK", branch, callId, "OPTIONS"));
        ResponseEvent answer = heard.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(answer).as("the answer to the engine's OPTIONS").isNotNull();
        assertThat(answer.getClientTransaction()).isSameAs(transaction);
        assertThat(strays.dropped()).isZero();
    }

    private void send(String message) throws Exception {
        byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        peer.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), host.port()));
    }

    /** A response as the engine's own request would get it: the engine's Via on top. */
    private String response(int status, String reason, String branch, String callId, String method) {
        return "SIP/2.0 " + status + " " + reason + "\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + host.port() + ";branch=" + branch + "\r\n"
                + "From: <sip:engine@127.0.0.1>;tag=engine\r\n"
                + "To: <sip:probe@127.0.0.1>;tag=probe\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private static String callId(ResponseEvent event) {
        return ((CallIdHeader) event.getResponse().getHeader(CallIdHeader.NAME)).getCallId();
    }

    /** Keeps the responses the stack hands on; hears nothing else. */
    private static final class ResponseRecorder extends QuietListener {
        private final BlockingQueue<ResponseEvent> heard;

        ResponseRecorder(BlockingQueue<ResponseEvent> heard) {
            this.heard = heard;
        }

        @Override
        public void processResponse(ResponseEvent event) {
            heard.add(event);
        }
    }
}
