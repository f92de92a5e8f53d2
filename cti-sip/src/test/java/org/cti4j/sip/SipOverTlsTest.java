package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.DialOptions;
import org.cti4j.api.EngineFailureException;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.api.SipUri;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIP over TLS between two engines in one JVM and with raw TLS peers on loopback (media scripted): calls each way,
 * TLS in the Via and Contact, certificates checked (trust, host name), handshakes bounded in time, stores that
 * cannot be read. The certificates are made by {@code keytool} for the class.
 */
class SipOverTlsTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static TestCertificates certificates;

    private final Events aEvents = new Events();
    private final Events bEvents = new Events();
    private SipSignalingProvider aSip;
    private SipSignalingProvider bSip;
    private CoreEngine a;
    private CoreEngine b;

    @BeforeAll
    static void makeCertificates() throws IOException {
        certificates = TestCertificates.create();
    }

    @AfterAll
    static void deleteCertificates() {
        if (certificates != null) {
            certificates.close();
        }
    }

    @AfterEach
    void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    /** TLS with the server certificate signed by the test CA, trusting that CA only. */
    private static SipTls.Builder tls() {
        return SipTls.builder().port(0).keyStore(certificates.serverKeyStore, TestCertificates.PASSWORD)
                .trustStore(certificates.trustStore, TestCertificates.PASSWORD);
    }

    private void start(SipConfig.Builder aConfig, SipConfig.Builder bConfig) {
        aSip = new SipSignalingProvider(aConfig.port(0).build());
        bSip = new SipSignalingProvider(bConfig.port(0).build());
        a = CoreEngine.builder().nodeId("0.0.1").signaling(aSip).media(new ScriptedMedia()).cdrListener(aEvents)
                .incomingCallListener(aEvents).build();
        b = CoreEngine.builder().nodeId("0.0.2").signaling(bSip).media(new ScriptedMedia()).cdrListener(bEvents)
                .incomingCallListener(bEvents).build();
    }

    private static Call dial(CoreEngine engine, Events events, String from, String to) {
        return engine.dial(DialOptions.builder().fromUri(from).toUri(to).maxAnswerSeconds(30).maxRingSeconds(15)
                .build(), events);
    }

    /** Dials {@code to} from {@code from}, answers at the far end, hangs up from the caller. */
    private static void callAndHangUp(CoreEngine caller, Events callerEvents, Events calleeEvents, String to) {
        int before = calleeEvents.calls.size();
        Call outbound = dial(caller, callerEvents, "sip:1000@127.0.0.1", to);
        calleeEvents.next(CallEvent.Incoming.class);
        Call inbound = calleeEvents.calls.get(before);
        inbound.answer();
        assertThat(callerEvents.next(CallEvent.DialCompleted.class).error()).isNull();
        callerEvents.next(CallEvent.Answered.class);
        outbound.drop();
        assertThat(calleeEvents.next(CallEvent.Released.class).cause()).isEqualTo(200);
        callerEvents.next(CallEvent.Released.class);
    }

    @Test
    void twoEnginesCallEachOtherOverTlsBySipsUriAndByTransportParameter() {
        start(SipConfig.builder().tls(tls().build()), SipConfig.builder().tls(tls().build()));
        assertThat(aSip.tlsPort()).isPositive().isNotEqualTo(aSip.port());

        callAndHangUp(a, aEvents, bEvents, "sips:2000@127.0.0.1:" + bSip.tlsPort());
        callAndHangUp(b, bEvents, aEvents, "sip:2000@127.0.0.1:" + aSip.tlsPort() + ";transport=tls");

        Await.until("no SIP leg left", WAIT, () -> aSip.liveLegs() == 0 && bSip.liveLegs() == 0);
    }

    @Test
    void withoutTlsConfiguredThereIsNoTlsPortAndATlsDialFailsNamingIt() {
        start(SipConfig.builder(), SipConfig.builder());
        assertThat(aSip.tlsPort()).isZero();
        dial(a, aEvents, "sip:1000@127.0.0.1", "sips:2000@127.0.0.1:5999");
        CallEvent.DialCompleted dial = aEvents.next(CallEvent.DialCompleted.class);
        assertThat(dial.error().status()).isEqualTo(503);
        assertThat(dial.error().reason()).contains("TLS is not configured");
    }

    @Test
    void theInviteSentOverTlsNamesTlsAndTheTlsPortInViaAndContact() throws Exception {
        start(SipConfig.builder().tls(tls().build()), SipConfig.builder());
        try (SSLServerSocket server = (SSLServerSocket) serverContext().getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout((int) WAIT.toMillis());
            dial(a, aEvents, "sip:1000@127.0.0.1", "sip:bob@127.0.0.1:" + server.getLocalPort() + ";transport=tls");
            try (Socket accepted = server.accept();
                    RawTcpSipPeer peer = new RawTcpSipPeer(accepted, aSip.tlsPort(), "TLS")) {
                String invite = peer.receive(WAIT, m -> m.startsWith("INVITE "));
                assertThat(invite).as("the INVITE over TLS").isNotNull();
                assertThat(RawSipPeer.header(invite, "Via", "v")).startsWith("SIP/2.0/TLS 127.0.0.1:" + aSip.tlsPort());
                assertThat(RawSipPeer.header(invite, "Contact", "m")).contains("127.0.0.1:" + aSip.tlsPort())
                        .contains("transport=tls");
                peer.send(RawPeerDialogTest.response(invite, 486, "Busy Here", "bob", "sip:bob@127.0.0.1", ""),
                        aSip.tlsPort());
                assertThat(aEvents.next(CallEvent.DialCompleted.class).error().status()).isEqualTo(486);
                assertThat(peer.receive(WAIT, m -> m.startsWith("ACK "))).as("the ACK of the 486").isNotNull();
            }
        }
    }

    @Test
    void anAccountWhoseRegistrarIsSipsRegistersOverTlsWithATlsContact() throws Exception {
        try (SSLServerSocket server = (SSLServerSocket) serverContext().getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout((int) WAIT.toMillis());
            aSip = new SipSignalingProvider(SipConfig.builder().port(0).tls(tls().build()).keepAlive(Duration.ZERO)
                    .account(SipAccount.builder("agent", SipUri.parse("sips:127.0.0.1:" + server.getLocalPort()),
                            SipUri.parse("sip:1001@pbx.test")).password("pw").build()).build());
            a = CoreEngine.builder().nodeId("0.0.1").signaling(aSip).media(new ScriptedMedia()).build();
            try (Socket accepted = server.accept();
                    RawTcpSipPeer registrar = new RawTcpSipPeer(accepted, aSip.tlsPort(), "TLS")) {
                String register = registrar.receive(WAIT, m -> m.startsWith("REGISTER "));
                assertThat(register).as("the REGISTER over TLS").startsWith("REGISTER sips:127.0.0.1:");
                assertThat(RawSipPeer.header(register, "Via", "v")).startsWith("SIP/2.0/TLS 127.0.0.1:"
                        + aSip.tlsPort());
                assertThat(RawSipPeer.header(register, "Contact", "m")).contains("1001@127.0.0.1:" + aSip.tlsPort())
                        .contains("transport=tls");
                registrar.send(RawPeerDialogTest.response(register, 200, "OK", "reg", "sip:other@127.0.0.1", ""),
                        aSip.tlsPort());
                Await.until("registered over TLS", WAIT, () -> aSip.registrations().get(0).registered());
            }
        }
    }

    @Test
    void aCallComingOverTlsIsAnsweredWithATlsContact() throws Exception {
        aSip = new SipSignalingProvider(SipConfig.builder().port(0).tls(tls().build()).build());
        a = CoreEngine.builder().nodeId("0.0.1").signaling(aSip).media(new ScriptedMedia())
                .incomingCallListener(RawCalls.answering()).build();
        SSLSocket socket = (SSLSocket) clientContext().getSocketFactory().createSocket();
        try (RawTcpSipPeer peer = new RawTcpSipPeer(RawTcpSipPeer.connect(socket, aSip.tlsPort()), aSip.tlsPort(),
                "TLS")) {
            String callId = RawCalls.unique("tls");
            peer.send(RawCalls.invite(peer, aSip.tlsPort(), callId, "alice", "bob", "application/sdp",
                    RawCalls.pcmu(40_000)), aSip.tlsPort());
            String ok = peer.finalResponse(WAIT);
            assertThat(ok).as("the 200 over TLS").isNotNull().startsWith("SIP/2.0 200");
            assertThat(RawSipPeer.header(ok, "Contact", "m")).contains("127.0.0.1:" + aSip.tlsPort())
                    .contains("transport=tls");
        }
        try (RawTcpSipPeer peer = new RawTcpSipPeer(RawTcpSipPeer.connect(clientContext().getSocketFactory()
                .createSocket(), aSip.tlsPort()), aSip.tlsPort(), "TLS")) {
            RawCalls.completeNormalCall(peer, aSip.tlsPort());
        }
    }

    @Test
    void carriageReturnsStartingALineOverTlsKillNoThreadAndTheConnectionGoesOn() throws Exception {
        start(SipConfig.builder().tls(tls().build()), SipConfig.builder());
        try (UncaughtThrowables uncaught = new UncaughtThrowables();
                RawTcpSipPeer peer = new RawTcpSipPeer(RawTcpSipPeer.connect(clientContext().getSocketFactory()
                        .createSocket(), aSip.tlsPort()), aSip.tlsPort(), "TLS")) {
            String callId = RawCalls.unique("crs");
            String options = RawCalls.request(peer, "OPTIONS", "sip:127.0.0.1:" + aSip.tlsPort(), callId, 1,
                    RawCalls.dialogHeaders("crs", "engine", aSip.tlsPort(), callId), null, "");
            peer.send("\r\r\n" + options, aSip.tlsPort());
            String answer = peer.receive(WAIT, m -> m.startsWith("SIP/2.0 ") && m.contains(callId));
            assertThat(answer).as("the answer to an OPTIONS after CR CR LF").isNotNull().startsWith("SIP/2.0 200");
            assertThat(uncaught.seen()).as("threads that died").isEmpty();
        }
    }

    @Test
    void aServerWhoseCertificateIsNotTrustedFailsTheCallAndTheEngineGoesOn() {
        start(SipConfig.builder().tls(tls().build()), SipConfig.builder().tls(tls()
                .keyStore(certificates.untrustedKeyStore, TestCertificates.PASSWORD).build()));
        dial(a, aEvents, "sip:1000@127.0.0.1", "sips:2000@127.0.0.1:" + bSip.tlsPort());
        CallEvent.DialCompleted failed = aEvents.next(CallEvent.DialCompleted.class);
        assertThat(failed.error().status()).isEqualTo(503);
        assertThat(failed.error().reason()).contains("TLS handshake failed");
        assertThat(aEvents.next(CallEvent.Released.class).cause()).isEqualTo(503);
        assertThat(bEvents.nextOrNull()).as("nothing reached the untrusted server").isNull();

        // B trusts A's certificate: the other way works, on the same engines.
        callAndHangUp(b, bEvents, aEvents, "sips:2000@127.0.0.1:" + aSip.tlsPort());
    }

    @Test
    void aServerCertificateThatDoesNotNameTheHostDialledIsRefusedUnlessHostNamesAreNotChecked() {
        // The certificate names 127.0.0.1; B is dialled at 127.0.0.2.
        start(SipConfig.builder().tls(tls().build()), SipConfig.builder().host("127.0.0.2").tls(tls().build()));
        dial(a, aEvents, "sip:1000@127.0.0.1", "sips:2000@127.0.0.2:" + bSip.tlsPort());
        assertThat(aEvents.next(CallEvent.DialCompleted.class).error().status()).isEqualTo(503);
        aEvents.next(CallEvent.Released.class);
        a.close();

        aSip = new SipSignalingProvider(SipConfig.builder().port(0).tls(tls().verifyHostname(false).build()).build());
        a = CoreEngine.builder().nodeId("0.0.3").signaling(aSip).media(new ScriptedMedia()).build();
        callAndHangUp(a, aEvents, bEvents, "sips:2000@127.0.0.2:" + bSip.tlsPort());
    }

    @Test
    void aServerDialledByNameIsCheckedAgainstThatName() {
        // B's certificate names localhost only, no address: only the name dialled can match it.
        start(SipConfig.builder().tls(tls().build()), SipConfig.builder().tls(tls()
                .keyStore(certificates.localhostKeyStore, TestCertificates.PASSWORD).build()));
        callAndHangUp(a, aEvents, bEvents, "sips:2000@localhost:" + bSip.tlsPort());
        a.close();

        // A new engine (JAIN-SIP keeps a connection's peer by address, and would reuse the one checked by name).
        aSip = new SipSignalingProvider(SipConfig.builder().port(0).tls(tls().build()).build());
        a = CoreEngine.builder().nodeId("0.0.3").signaling(aSip).media(new ScriptedMedia()).build();
        dial(a, aEvents, "sip:1000@127.0.0.1", "sips:2000@127.0.0.1:" + bSip.tlsPort());
        assertThat(aEvents.next(CallEvent.DialCompleted.class).error().reason()).contains("TLS handshake failed")
                .contains("127.0.0.1");
        aEvents.next(CallEvent.Released.class);
    }

    @Test
    void withoutATrustStoreTheJdksCertificateAuthoritiesAreTheOnesTrusted() {
        start(SipConfig.builder().tls(SipTls.builder().port(0).build()), SipConfig.builder().tls(tls().build()));
        assertThat(aSip.tlsPort()).isPositive();

        // The test CA is not one of the JDK's.
        dial(a, aEvents, "sip:1000@127.0.0.1", "sips:2000@127.0.0.1:" + bSip.tlsPort());
        assertThat(aEvents.next(CallEvent.DialCompleted.class).error().reason()).contains("TLS handshake failed")
                .contains("certification path");
    }

    @Test
    void aClientThatNeverFinishesItsHandshakeIsCutOffAndCallsGoOn() throws IOException {
        start(SipConfig.builder().tls(tls().build()),
                SipConfig.builder().tls(tls().handshakeTimeout(Duration.ofSeconds(1)).build()));
        try (Socket silent = RawTcpSipPeer.connect(new Socket(), bSip.tlsPort())) {
            callAndHangUp(a, aEvents, bEvents, "sips:2000@127.0.0.1:" + bSip.tlsPort());
            silent.setSoTimeout((int) WAIT.toMillis());
            InputStream in = silent.getInputStream();
            // At most a TLS alert, then the end of the stream: a read that times out throws instead.
            assertThat(in.readAllBytes()).as("what the engine sent before closing the silent connection")
                    .hasSizeLessThan(64);
        }
    }

    @Test
    void aKeyStoreThatCannotBeReadFailsTheStartNamingTheFileButNotThePassword() {
        Path missing = certificates.folder.resolve("missing.p12");
        SipSignalingProvider wrongPassword = new SipSignalingProvider(SipConfig.builder().port(0).tls(SipTls.builder()
                .port(0).keyStore(certificates.serverKeyStore, "not-the-password-42").build()).build());
        assertThatThrownBy(() -> wrongPassword.start(leg -> null))
                .isInstanceOf(EngineFailureException.class)
                .hasMessageContaining(certificates.serverKeyStore.toString())
                .hasMessageNotContaining("not-the-password-42");
        wrongPassword.close();
        SipSignalingProvider noFile = new SipSignalingProvider(SipConfig.builder().port(0).tls(SipTls.builder()
                .port(0).trustStore(missing, "").build()).build());
        assertThatThrownBy(() -> noFile.start(leg -> null))
                .isInstanceOf(EngineFailureException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("trust store");
        noFile.close();
    }

    @Test
    void theTlsPropertiesAreReadAndAMalformedOneIsNamed() {
        SipConfig config = SipConfig.fromProperties(Map.of("sip.transport", "TLS", "sip.tls-port", "5071",
                "sip.tls.key-store", "/etc/cti4j/sip.p12", "sip.tls.key-store-password", "k",
                "sip.tls.key-store-type", "JKS", "sip.tls.trust-store", "/etc/cti4j/trust.p12",
                "sip.tls.trust-store-password", "t"));
        assertThat(config.transport()).isEqualTo(SipTransport.TLS);
        SipTls tls = config.tls();
        assertThat(tls.port()).isEqualTo(5071);
        assertThat(tls.keyStore()).isEqualTo(Path.of("/etc/cti4j/sip.p12"));
        assertThat(tls.keyStorePassword()).isEqualTo("k");
        assertThat(tls.keyStoreType()).isEqualTo("JKS");
        assertThat(tls.trustStore()).isEqualTo(Path.of("/etc/cti4j/trust.p12"));
        assertThat(tls.trustStorePassword()).isEqualTo("t");
        assertThat(tls.verifyHostname()).isTrue();
        assertThat(tls.toString()).doesNotContain("=k,").doesNotContain("=t,");

        assertThat(SipConfig.fromProperties(Map.of()).tls()).isNull();
        assertThat(SipConfig.fromProperties(Map.of("sip.transport", "tls")).tls().port()).isEqualTo(5061);
        assertThat(SipConfig.fromProperties(Map.of("sip.tls-port", "0")).transport()).isEqualTo(SipTransport.UDP);
        assertThatThrownBy(() -> SipConfig.fromProperties(Map.of("sip.tls-port", "x")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("sip.tls-port");
        assertThatThrownBy(() -> SipConfig.fromProperties(Map.of("sip.tls-port", "70000")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("sip.tls-port");
        assertThat(new SipSignalingProviderFactory().propertyKeys()).contains("sip.tls-port", "sip.tls.key-store",
                "sip.tls.key-store-password", "sip.tls.key-store-type", "sip.tls.trust-store",
                "sip.tls.trust-store-password");
    }

    private static SSLContext serverContext() throws Exception {
        KeyStore keys = KeyStore.getInstance(certificates.serverKeyStore.toFile(),
                TestCertificates.PASSWORD.toCharArray());
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, TestCertificates.PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    private static SSLContext clientContext() throws Exception {
        KeyStore trusted = KeyStore.getInstance(certificates.trustStore.toFile(),
                TestCertificates.PASSWORD.toCharArray());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
