package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;

/** Hand-written requests for a {@link RawPeer} over either transport, and a whole normal call made of them. */
final class RawCalls {

    static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private RawCalls() {
    }

    /** Returns a unique token for Call-IDs and branches. */
    static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet() + "-" + System.nanoTime();
    }

    /** A G.711 offer: {@code m=audio PORT RTP/AVP <payloadTypes>} with the given {@code rtpmaps} lines. */
    static String sdp(int port, String payloadTypes, String rtpmaps) {
        return "v=0\r\no=peer 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + port + " RTP/AVP " + payloadTypes + "\r\n" + rtpmaps;
    }

    /** A PCMU offer. */
    static String pcmu(int port) {
        return sdp(port, "0", "a=rtpmap:0 PCMU/8000\r\n");
    }

    /**
     * Returns a request from {@code peer}, its Via naming the peer's transport and port.
     *
     * @param headers the From, To, Call-ID, and any other header lines, each ending in CRLF
     */
    static String request(RawPeer peer, String method, String uri, String branch, int cseq, String headers,
            String contentType, String body) {
        return method + " " + uri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + peer.transport() + " 127.0.0.1:" + peer.port() + ";branch=z9hG4bK-" + branch
                + "\r\n"
                + "Max-Forwards: 70\r\n"
                + headers
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Contact: <sip:peer@127.0.0.1:" + peer.port() + ";transport=" + peer.transport().toLowerCase(
                        java.util.Locale.ROOT) + ">\r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    /** Returns the From, To and Call-ID lines of a new call. */
    static String dialogHeaders(String fromUser, String toUser, int sipPort, String callId) {
        return "From: <sip:" + fromUser + "@127.0.0.1>;tag=" + callId.hashCode() + "\r\n"
                + "To: <sip:" + toUser + "@127.0.0.1:" + sipPort + ">\r\n"
                + "Call-ID: " + callId + "@127.0.0.1\r\n";
    }

    /** Returns an INVITE of a new call from {@code fromUser} to {@code toUser}. */
    static String invite(RawPeer peer, int sipPort, String callId, String fromUser, String toUser,
            String contentType, String body) {
        return request(peer, "INVITE", "sip:" + toUser + "@127.0.0.1:" + sipPort, callId, 1,
                dialogHeaders(fromUser, toUser, sipPort, callId), contentType, body);
    }

    /** Returns the ACK of a non-2xx final response to {@code invite} (same branch: RFC 3261 17.1.1.3). */
    static String ackOfFailure(String invite, String response) {
        StringBuilder ack = new StringBuilder(invite.substring(0, invite.indexOf(' '))
                .replace("INVITE", "ACK")).append(invite.substring(invite.indexOf(' '), invite.indexOf("\r\n")))
                .append("\r\n");
        for (String line : invite.substring(0, invite.indexOf("\r\n\r\n")).split("\r\n", 0)) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("via:") || lower.startsWith("from:") || lower.startsWith("call-id:")
                    || lower.startsWith("max-forwards:")) {
                ack.append(line).append("\r\n");
            } else if (lower.startsWith("cseq:")) {
                ack.append(line.replace("INVITE", "ACK")).append("\r\n");
            }
        }
        ack.append("To: ").append(RawSipPeer.header(response, "To", "t")).append("\r\n");
        return ack.append("Content-Length: 0\r\n\r\n").toString();
    }

    /** Returns a listener that answers every incoming call. */
    static CallListener answering() {
        return new CallListener() {
            @Override
            public void onIncoming(Call call, CallEvent.Incoming event) {
                call.answer();
            }
        };
    }

    /**
     * Makes a whole call from {@code peer} to an engine that answers ({@link #answering()}): INVITE with SDP, 200,
     * ACK, BYE, 200 — and fails the test if any step does not happen.
     */
    static void completeNormalCall(RawPeer peer, int sipPort) throws IOException {
        String callId = unique("normal");
        String invite = invite(peer, sipPort, callId, "alice", "bob", "application/sdp", pcmu(40_000));
        peer.send(invite, sipPort);
        String ok = peer.finalResponse(WAIT);
        assertThat(ok).as("the final response to a normal INVITE over %s", peer.transport()).isNotNull();
        assertThat(RawSipPeer.status(ok)).as("a normal INVITE over %s: %s", peer.transport(), ok).isEqualTo(200);
        String to = RawSipPeer.header(ok, "To", "t");
        String contact = RawSipPeer.header(ok, "Contact", "m").replaceAll("^<|>.*$", "");
        String inDialog = dialogHeaders("alice", "bob", sipPort, callId).replaceFirst("(?m)^To: .*$",
                java.util.regex.Matcher.quoteReplacement("To: " + to));
        peer.send(request(peer, "ACK", contact, callId + "-ack", 1, inDialog, null, ""), sipPort);
        peer.send(request(peer, "BYE", contact, callId + "-bye", 2, inDialog, null, ""), sipPort);
        String byeOk = peer.receive(WAIT, m -> m.startsWith("SIP/2.0 ") && m.contains(" BYE\r\n"));
        assertThat(byeOk).as("the answer to the BYE over %s", peer.transport()).isNotNull().startsWith("SIP/2.0 200");
    }
}
