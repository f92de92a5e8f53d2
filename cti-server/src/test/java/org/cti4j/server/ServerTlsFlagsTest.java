package org.cti4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.cti4j.examples.Ports;
import org.cti4j.sip.TestCertificates;
import org.junit.jupiter.api.Test;

/** The server's flags for SIP over TLS, and the store passwords, taken from the environment only. */
class ServerTlsFlagsTest {

    @Test
    void theTlsFlagsAndTheEnvironmentsPasswordsBecomeEngineProperties() throws Exception {
        CtiServerConfig config = CtiServerConfig.parse(new String[] {"--sip-transport", "tls", "--sip-tls-port",
            "5071", "--sip-tls-key-store", "/etc/cti4j/sip.p12", "--sip-tls-key-store-type", "JKS",
            "--sip-tls-trust-store", "/etc/cti4j/ca.p12"}, Map.of(
                ServerTlsSettings.KEY_STORE_PASSWORD_ENV, "key-secret",
                ServerTlsSettings.TRUST_STORE_PASSWORD_ENV, "trust-secret"));

        assertThat(config.sipTransport()).isEqualTo("tls");
        assertThat(config.engineProperties()).containsAllEntriesOf(Map.of("sip.tls-port", "5071",
                "sip.tls.key-store", "/etc/cti4j/sip.p12", "sip.tls.key-store-type", "JKS",
                "sip.tls.trust-store", "/etc/cti4j/ca.p12", "sip.tls.key-store-password", "key-secret",
                "sip.tls.trust-store-password", "trust-secret"));
        assertThat(config.toString()).doesNotContain("key-secret").doesNotContain("trust-secret");
        assertThat(CtiServerConfig.USAGE).contains("--sip-tls-key-store FILE")
                .contains(ServerTlsSettings.KEY_STORE_PASSWORD_ENV);
    }

    @Test
    void withoutTlsFlagsNoTlsPropertyIsSet() throws Exception {
        CtiServerConfig config = CtiServerConfig.parse(new String[0], Map.of());

        assertThat(config.engineProperties().keySet()).noneMatch(key -> key.startsWith("sip.tls"));
    }

    @Test
    void aPasswordIsNeverAFlagNorASettingOfTheConfigFile() {
        assertThatThrownBy(() -> CtiServerConfig.parse(new String[] {"--sip-tls-key-store-password", "x"}, Map.of()))
                .isInstanceOf(CtiServerConfig.BadInputException.class)
                .hasMessageContaining("unknown flag --sip-tls-key-store-password");
        assertThatThrownBy(() -> CtiServerConfig.parse(new String[] {"--sip.tls.key-store-password", "x"}, Map.of()))
                .isInstanceOf(CtiServerConfig.BadInputException.class).hasMessageContaining("unknown flag");
    }

    @Test
    void theServerListensForTlsWithTheKeyStoreOfItsFlagAndThePasswordOfItsEnvironment() throws Exception {
        try (TestCertificates certificates = TestCertificates.create()) {
            int tlsPort = Ports.freeSipPort();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (CtiServer server = CtiServer.start(new String[] {"--rpc-port", "0", "--sip-port",
                String.valueOf(Ports.freeSipPort()), "--sip-tls-port", String.valueOf(tlsPort), "--sip-tls-key-store",
                certificates.serverKeyStore.toString()}, Map.of(ServerTlsSettings.KEY_STORE_PASSWORD_ENV,
                    TestCertificates.PASSWORD), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
                    SSLSocket client = (SSLSocket) trusting(certificates).getSocketFactory()
                            .createSocket(InetAddress.getLoopbackAddress(), tlsPort)) {
                client.setSoTimeout(10_000);
                client.startHandshake();
                assertThat(client.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
                assertThat(server.config().engineProperties()).containsKey("sip.tls.key-store-password");
            }
        }
    }

    private static SSLContext trusting(TestCertificates certificates) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(KeyStore.getInstance(certificates.trustStore.toFile(), TestCertificates.PASSWORD.toCharArray()));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    @Test
    void anUnknownTransportIsRefusedNamingTheFlag() {
        assertThatThrownBy(() -> CtiServerConfig.parse(new String[] {"--sip-transport", "sctp"}, Map.of()))
                .isInstanceOf(CtiServerConfig.BadInputException.class).hasMessageContaining("--sip-transport")
                .hasMessageContaining("udp, tcp or tls");
    }
}
