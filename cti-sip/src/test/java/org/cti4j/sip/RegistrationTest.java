package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cti4j.api.SipUri;
import org.cti4j.core.spi.LegListener;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.spi.PayloadType;
import org.cti4j.core.testing.Await;
import org.cti4j.sip.SipRegistration.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Client registration (RFC 3261 §10) against a registrar written by hand on a UDP socket, for what a real registrar
 * cannot be told to do on cue: a digest challenge checked byte by byte, the nonce reused on the refresh with its
 * count raised, {@code stale=true}, rejected credentials, 503 with Retry-After, unregistering at close, OPTIONS
 * keep-alives, and an outbound call answering its proxy's challenge with the account's credentials. The real
 * registrar (Kamailio) is in {@code KamailioRegistrationIT}.
 */
class RegistrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String REALM = "pbx.test";
    private static final String PASSWORD = "s3cret";

    private final List<SipRegistration> changes = new CopyOnWriteArrayList<>();
    private RawSipPeer registrar;
    private SipSignalingProvider sip;

    @BeforeEach
    void peer() throws IOException {
        registrar = new RawSipPeer();
    }

    @AfterEach
    void stop() {
        if (sip != null) {
            sip.close();
        }
        registrar.close();
    }

    private SipAccount.Builder account() {
        return SipAccount.builder("agent", SipUri.parse("sip:127.0.0.1:" + registrar.port()),
                SipUri.parse("sip:1001@" + REALM)).password(PASSWORD).expires(Duration.ofSeconds(60));
    }

    private void start(SipAccount account, Duration keepAlive) {
        sip = new SipSignalingProvider(SipConfig.builder().port(0).account(account).keepAlive(keepAlive)
                .closeDrain(Duration.ofSeconds(2)).build());
        sip.addRegistrationListener(changes::add);
        sip.start(leg -> {
            throw new AssertionError("no call expected");
        });
    }

    private String nextRegister() throws IOException {
        String register = registrar.receive(WAIT, m -> m.startsWith("REGISTER "));
        assertThat(register).as("a REGISTER").isNotNull();
        return register;
    }

    private void answer(String request, int status, String reason, String... headers) throws IOException {
        StringBuilder r = new StringBuilder("SIP/2.0 " + status + " " + reason + "\r\n");
        for (String line : request.split("\r\n", 0)) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("via:") || lower.startsWith("from:") || lower.startsWith("call-id:")
                    || lower.startsWith("cseq:")) {
                r.append(line).append("\r\n");
            } else if (lower.startsWith("to:")) {
                r.append(line).append(line.contains(";tag=") ? "" : ";tag=reg").append("\r\n");
            }
        }
        for (String header : headers) {
            r.append(header).append("\r\n");
        }
        registrar.send(r.append("Content-Length: 0\r\n\r\n").toString(), sip.port());
    }

    private static String challenge(String nonce, boolean stale) {
        return "WWW-Authenticate: Digest realm=\"" + REALM + "\", nonce=\"" + nonce + "\", qop=\"auth\", "
                + "algorithm=MD5" + (stale ? ", stale=true" : "");
    }

    private String granted(String register, int seconds) {
        String contact = RawSipPeer.header(register, "Contact", "m");
        return "Contact: " + contact + ";expires=" + seconds;
    }

    private SipRegistration current() {
        return sip.registrations().get(0);
    }

    @Test
    void registersWithDigestRefreshesReusingTheNonceAndUnregistersAtClose() throws IOException {
        start(account().build(), Duration.ZERO);
        String first = nextRegister();
        assertThat(RawSipPeer.header(first, "Authorization", null)).isNull();
        assertThat(RawSipPeer.header(first, "From", "f")).contains("sip:1001@" + REALM);
        assertThat(RawSipPeer.header(first, "To", "t")).contains("sip:1001@" + REALM);
        assertThat(RawSipPeer.header(first, "Contact", "m")).contains("sip:1001@127.0.0.1:" + sip.port());
        assertThat(RawSipPeer.header(first, "Expires", null)).isEqualTo("60");
        assertThat(RawSipPeer.header(first, "Via", "v")).contains(";rport");
        answer(first, 401, "Unauthorized", challenge("n-1", false));

        String second = nextRegister();
        String auth = RawSipPeer.header(second, "Authorization", null);
        assertThat(auth).as("the answer to the challenge").isNotNull();
        assertDigestValid(auth, "REGISTER", "1001", "n-1", 1);
        assertThat(callId(second)).isEqualTo(callId(first));
        assertThat(cseq(second)).isGreaterThan(cseq(first));
        Instant okSent = Instant.now();
        answer(second, 200, "OK", granted(second, 4));
        Await.until("registered", WAIT, () -> current().registered());
        assertThat(current().expiresAt()).isBetween(okSent.plusSeconds(4), Instant.now().plusSeconds(4));

        // The refresh comes at half of a short lifetime, with the nonce reused and its count raised.
        String refresh = nextRegister();
        assertDigestValid(RawSipPeer.header(refresh, "Authorization", null), "REGISTER", "1001", "n-1", 2);
        assertThat(callId(refresh)).isEqualTo(callId(first));
        answer(refresh, 200, "OK", granted(refresh, 3600));
        Await.until("refreshed", WAIT, () -> current().expiresAt() != null
                && current().expiresAt().isAfter(Instant.now().plusSeconds(3000)));

        Thread closing = new Thread(sip::close);
        closing.start();
        String unregister = nextRegister();
        assertThat(RawSipPeer.header(unregister, "Expires", null)).isEqualTo("0");
        answer(unregister, 200, "OK");
        Await.until("close returned", WAIT, () -> !closing.isAlive());
        assertThat(current().state()).isEqualTo(State.UNREGISTERED);
        assertThat(changes).extracting(SipRegistration::state)
                .containsExactly(State.REGISTERING, State.REGISTERED, State.UNREGISTERED);
    }

    /**
     * A refresh's reused nonce refused: with {@code stale=true}, or without it by a registrar that restarted and
     * knows nothing of the old nonce. Either way the new challenge is answered once, and nothing fails.
     */
    @ParameterizedTest(name = "stale={0}")
    @ValueSource(booleans = {true, false})
    void aRefusedReusedNonceIsAnsweredAfreshWithoutFailing(boolean stale) throws IOException {
        start(account().build(), Duration.ZERO);
        answer(nextRegister(), 401, "Unauthorized", challenge("n-1", false));
        String second = nextRegister();
        answer(second, 200, "OK", granted(second, 2));
        answer(nextRegister(), 401, "Unauthorized", challenge("n-2", stale));
        String again = nextRegister();
        assertDigestValid(RawSipPeer.header(again, "Authorization", null), "REGISTER", "1001", "n-2", 1);
        answer(again, 200, "OK", granted(again, 3600));
        Await.until("refreshed", WAIT, () -> current().expiresAt() != null
                && current().expiresAt().isAfter(Instant.now().plusSeconds(3000)));
        assertThat(changes).extracting(SipRegistration::state).containsExactly(State.REGISTERING, State.REGISTERED);
    }

    @Test
    void aSha256ChallengeWithoutQopIsAnswered() throws IOException {
        start(account().build(), Duration.ZERO);
        answer(nextRegister(), 401, "Unauthorized", "WWW-Authenticate: Digest realm=\"" + REALM
                + "\", nonce=\"s-1\", algorithm=SHA-256, opaque=\"op\"");
        String second = nextRegister();
        Map<String, String> p = params(RawSipPeer.header(second, "Authorization", null));
        assertThat(p).containsEntry("algorithm", "SHA-256").containsEntry("opaque", "op").doesNotContainKey("qop");
        String ha1 = hash("SHA-256", "1001:" + REALM + ":" + PASSWORD);
        String ha2 = hash("SHA-256", "REGISTER:" + p.get("uri"));
        assertThat(p.get("response")).isEqualTo(hash("SHA-256", ha1 + ":s-1:" + ha2));
        answer(second, 200, "OK", granted(second, 3600));
        Await.until("registered", WAIT, () -> current().registered());
    }

    @Test
    void rejectedCredentialsFailOnceWithAClearReasonAndNoRetryStorm() throws IOException {
        start(account().password("wrong").build(), Duration.ZERO);
        answer(nextRegister(), 401, "Unauthorized", challenge("n-1", false));
        answer(nextRegister(), 401, "Unauthorized", challenge("n-2", false));
        Await.until("failed", WAIT, () -> current().state() == State.FAILED);
        SipRegistration failed = current();
        assertThat(failed.status()).isEqualTo(401);
        assertThat(failed.reason()).contains("rejected the credentials of '1001'").contains(REALM);
        assertThat(failed.retryAt()).isAfter(Instant.now().plusSeconds(50));
        assertThat(registrar.receive(Duration.ofSeconds(3), m -> m.startsWith("REGISTER ")))
                .as("no REGISTER right after rejected credentials").isNull();
    }

    @Test
    void aRefusalWithRetryAfterIsRetriedThen() throws IOException {
        start(account().build(), Duration.ZERO);
        long refusedAt = System.nanoTime();
        answer(nextRegister(), 503, "Service Unavailable", "Retry-After: 2");
        Await.until("failed", WAIT, () -> current().state() == State.FAILED);
        assertThat(current().status()).isEqualTo(503);
        assertThat(current().reason()).isEqualTo("Service Unavailable");
        String retry = nextRegister();
        assertThat(Duration.ofNanos(System.nanoTime() - refusedAt)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        answer(retry, 200, "OK", granted(retry, 3600));
        Await.until("registered", WAIT, () -> current().registered());
        assertThat(changes).extracting(SipRegistration::state)
                .containsExactly(State.REGISTERING, State.FAILED, State.REGISTERED);
    }

    @Test
    void aRegisteredAccountSendsOptionsKeepAlivesOverUdp() throws IOException {
        start(account().build(), Duration.ofSeconds(1));
        String register = nextRegister();
        answer(register, 200, "OK", granted(register, 3600));
        for (int i = 0; i < 2; i++) {
            String options = registrar.receive(WAIT, m -> m.startsWith("OPTIONS "));
            assertThat(options).as("keep-alive " + i).isNotNull();
            assertThat(options).startsWith("OPTIONS sip:127.0.0.1:" + registrar.port() + " SIP/2.0");
            answer(options, 200, "OK");
        }
        assertThat(current().registered()).isTrue();
    }

    @Test
    void overTcpKeepAlivesAreCrlfPingsOnTheRegistrationsConnection() throws IOException {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            server.setSoTimeout((int) WAIT.toMillis());
            start(SipAccount.builder("agent", SipUri.parse("sip:127.0.0.1:" + server.getLocalPort() + ";transport=tcp"),
                    SipUri.parse("sip:1001@" + REALM)).password(PASSWORD).build(), Duration.ofSeconds(1));
            try (java.net.Socket connection = server.accept()) {
                connection.setSoTimeout((int) WAIT.toMillis());
                java.io.InputStream in = connection.getInputStream();
                String register = readHead(in);
                assertThat(register).startsWith("REGISTER sip:127.0.0.1:" + server.getLocalPort() + ";transport=tcp ");
                assertThat(RawSipPeer.header(register, "Contact", "m")).contains(";transport=tcp");
                String ok = "SIP/2.0 200 OK\r\n" + register.lines().filter(line -> line.matches("(?i)(via|from|to|"
                        + "call-id|cseq):.*")).map(line -> line + (line.regionMatches(true, 0, "to:", 0, 3)
                        ? ";tag=reg" : "") + "\r\n").collect(java.util.stream.Collectors.joining())
                        + granted(register, 3600) + "\r\nContent-Length: 0\r\n\r\n";
                connection.getOutputStream().write(ok.getBytes(StandardCharsets.US_ASCII));
                Await.until("registered", WAIT, () -> current().registered());
                // RFC 5626 4.4.1: a CRLF CRLF ping on the same connection, once a keep-alive period has passed.
                byte[] ping = in.readNBytes(4);
                assertThat(new String(ping, StandardCharsets.US_ASCII)).isEqualTo("\r\n\r\n");
                server.setSoTimeout(500);
                assertThatThrownBy(server::accept).as("no second connection")
                        .isInstanceOf(java.net.SocketTimeoutException.class);
            }
        }
    }

    /** Reads a message without a body: up to the blank line after its headers. */
    private static String readHead(java.io.InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            assertThat(c).as("the message goes on").isNotNegative();
            head.append((char) c);
        }
        return head.toString();
    }

    @Test
    void aCallFromTheAorAnswersItsProxysChallengeWithTheAccountsCredentials() throws IOException {
        SipUri proxy = SipUri.parse("sip:127.0.0.1:" + registrar.port());
        start(account().username("agent-1001").outboundProxy(proxy).build(), Duration.ZERO);
        String register = nextRegister();
        answer(register, 200, "OK", granted(register, 3600));
        Await.until("registered", WAIT, () -> current().registered());

        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        LegListener listener = new LegListener() {
            @Override
            public void onFailed(int status, String reason) {
                failed.set(status);
            }
        };
        sip.dial(SipUri.parse("sip:1001@" + REALM), SipUri.parse("sip:+3312345678@carrier.test"),
                new MediaDescription("127.0.0.1", 4000, List.of(PayloadType.PCMA), MediaDirection.SENDRECV), listener);
        String invite = registrar.receive(WAIT, m -> m.startsWith("INVITE "));
        assertThat(invite).as("the INVITE, sent to the account's outbound proxy").isNotNull();
        assertThat(RawSipPeer.header(invite, "Route", null)).contains("127.0.0.1:" + registrar.port());
        answer(invite, 407, "Proxy Authentication Required", "Proxy-Authenticate: Digest realm=\"" + REALM
                + "\", nonce=\"p-1\", qop=\"auth\"");
        String again = registrar.receive(WAIT, m -> m.startsWith("INVITE "));
        assertThat(again).isNotNull();
        String auth = RawSipPeer.header(again, "Proxy-Authorization", null);
        assertThat(auth).contains("username=\"agent-1001\"");
        assertDigestValid(auth, "INVITE", "agent-1001", "p-1", 1);
        answer(again, 486, "Busy Here");
        Await.until("the 486 reported", WAIT, () -> failed.get() == 486);
    }

    // ---- digest, checked here independently of the code under test ----

    private static void assertDigestValid(String header, String method, String username, String nonce, int count) {
        Map<String, String> p = params(header);
        assertThat(p).containsEntry("username", username).containsEntry("realm", REALM).containsEntry("nonce", nonce)
                .containsEntry("qop", "auth").containsEntry("nc", String.format("%08x", count));
        String ha1 = md5(username + ":" + REALM + ":" + PASSWORD);
        String ha2 = md5(method + ":" + p.get("uri"));
        assertThat(p.get("response")).as("digest response of " + header)
                .isEqualTo(md5(ha1 + ":" + nonce + ":" + p.get("nc") + ":" + p.get("cnonce") + ":auth:" + ha2));
    }

    private static Map<String, String> params(String header) {
        Map<String, String> p = new java.util.HashMap<>();
        Matcher m = Pattern.compile("(\\w+)=(\"([^\"]*)\"|[^,\\s]+)").matcher(header);
        while (m.find()) {
            p.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(3) != null ? m.group(3) : m.group(2));
        }
        return p;
    }

    private static String md5(String text) {
        return hash("MD5", text);
    }

    private static String hash(String algorithm, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm)
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static String callId(String message) {
        return RawSipPeer.header(message, "Call-ID", "i");
    }

    private static long cseq(String message) {
        return Long.parseLong(RawSipPeer.header(message, "CSeq", null).split(" ", 2)[0]);
    }
}
