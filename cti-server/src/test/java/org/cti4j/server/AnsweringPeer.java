package org.cti4j.server;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A SIP callee made of a UDP socket on 127.0.0.1 and hand-written responses: answers every INVITE with 200 OK and
 * SDP, answers BYE with 200 and counts the calls whose BYE arrived, echoes the RTP it gets back to its sender. With
 * {@link #challenge}, it plays an outbound proxy that demands digest credentials (407) before it answers. Each
 * socket is served by one thread of its own, ended by {@link #close()}.
 */
final class AnsweringPeer implements AutoCloseable {

    private final DatagramSocket sip;
    private final DatagramSocket rtp;
    private final Thread sipThread;
    private final Thread rtpThread;
    private final Map<String, String> toTags = new ConcurrentHashMap<>();
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final Set<String> byes = ConcurrentHashMap.newKeySet();
    private final List<String> invites = new CopyOnWriteArrayList<>();
    private final AtomicLong tags = new AtomicLong();
    private volatile String[] credentials;
    private final AtomicInteger challenges = new AtomicInteger();

    AnsweringPeer() throws IOException {
        sip = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        rtp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        sipThread = new Thread(this::serveSip, "answering-peer-sip");
        rtpThread = new Thread(this::echoRtp, "answering-peer-rtp");
        sipThread.setDaemon(true);
        rtpThread.setDaemon(true);
        sipThread.start();
        rtpThread.start();
    }

    /** Demands credentials (407, realm {@code realm}, no qop) before answering an INVITE. */
    AnsweringPeer challenge(String realm, String username, String password) {
        credentials = new String[] {realm, username, password};
        return this;
    }

    int port() {
        return sip.getLocalPort();
    }

    /** Returns how many calls were acknowledged (ACK of the 200). */
    int acked() {
        return acked.size();
    }

    /** Returns how many calls got a BYE. */
    int byes() {
        return byes.size();
    }

    /** Returns how many INVITEs were refused with 407. */
    int challenges() {
        return challenges.get();
    }

    /** Returns every INVITE received, as it arrived. */
    List<String> invites() {
        return List.copyOf(invites);
    }

    private void serveSip() {
        byte[] buffer = new byte[65536];
        while (!sip.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                sip.receive(packet);
                String message = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                handle(message, packet.getSocketAddress());
            } catch (SocketException closed) {
                return;
            } catch (IOException | RuntimeException e) {
                System.out.println("answering peer: " + e);
            }
        }
    }

    private void handle(String message, SocketAddress from) throws IOException {
        String method = message.substring(0, Math.max(0, message.indexOf(' ')));
        String callId = header(message, "Call-ID");
        switch (method) {
            case "INVITE" -> {
                invites.add(message);
                String[] demanded = credentials;
                if (demanded != null && !authorized(message, demanded)) {
                    challenges.incrementAndGet();
                    send(response(message, "407 Proxy Authentication Required", "Proxy-Authenticate: Digest realm=\""
                            + demanded[0] + "\", nonce=\"" + Long.toHexString(System.nanoTime()) + "\"\r\n", ""),
                            from);
                    return;
                }
                String tag = toTags.computeIfAbsent(callId, id -> "peer" + tags.incrementAndGet());
                String sdp = "v=0\r\no=peer 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                        + "m=audio " + rtp.getLocalPort() + " RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
                        + "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n";
                send(response(message.replaceFirst("(?m)^(To:[^\r\n]*?)\r\n", "$1;tag=" + tag + "\r\n"),
                        "200 OK", "Contact: <sip:peer@127.0.0.1:" + port() + ">\r\nContent-Type: application/sdp\r\n",
                        sdp), from);
            }
            case "ACK" -> {
                if (toTags.containsKey(callId)) {
                    acked.add(callId);
                }
            }
            case "BYE" -> {
                byes.add(callId);
                send(response(message, "200 OK", "", ""), from);
            }
            case "CANCEL", "OPTIONS" -> send(response(message, "200 OK", "", ""), from);
            default -> {
                // Responses and anything else: nothing to do.
            }
        }
    }

    /** Checks the INVITE's Proxy-Authorization against the demanded credentials (RFC 2617 without qop). */
    private static boolean authorized(String invite, String[] demanded) {
        String authorization = header(invite, "Proxy-Authorization");
        if (authorization == null) {
            return false;
        }
        String ha1 = md5(demanded[1] + ":" + demanded[0] + ":" + demanded[2]);
        String ha2 = md5("INVITE:" + param(authorization, "uri"));
        String expected = md5(ha1 + ":" + param(authorization, "nonce") + ":" + ha2);
        return demanded[1].equals(param(authorization, "username")) && expected.equals(param(authorization,
                "response"));
    }

    private static String param(String header, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\\b" + name + "=\"?([^\",]*)\"?")
                .matcher(header);
        return m.find() ? m.group(1) : "";
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A response to {@code request}: its Via, From, To, Call-ID and CSeq, then {@code extra} headers and body. */
    private static String response(String request, String status, String extra, String body) {
        StringBuilder out = new StringBuilder("SIP/2.0 ").append(status).append("\r\n");
        for (String line : request.split("\r\n", 0)) {
            if (line.isEmpty()) {
                break;
            }
            String name = line.substring(0, Math.max(0, line.indexOf(':'))).trim().toLowerCase(Locale.ROOT);
            if (List.of("via", "from", "to", "call-id", "cseq").contains(name)) {
                out.append(line).append("\r\n");
            }
        }
        out.append(extra).append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length)
                .append("\r\n\r\n").append(body);
        return out.toString();
    }

    /** Returns the value of the first header named {@code name}, or {@code null}. */
    static String header(String message, String name) {
        for (String line : message.split("\r\n", 0)) {
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private void send(String message, SocketAddress to) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        sip.send(new DatagramPacket(bytes, bytes.length, to));
    }

    private void echoRtp() {
        byte[] buffer = new byte[2048];
        while (!rtp.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                rtp.receive(packet);
                rtp.send(packet);
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                System.out.println("answering peer, RTP: " + e);
            }
        }
    }

    @Override
    public void close() {
        sip.close();
        rtp.close();
        try {
            sipThread.join(5000);
            rtpThread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
