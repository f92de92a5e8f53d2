package org.cti4j.rpc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.cti4j.api.EngineFailureException;
import org.cti4j.api.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens, listening addresses, TLS, frame size and request rate limits. */
class ServerSecurityTest {

    private static final String TOKEN = "s3cret-token";

    @Test
    void aConnectionWithoutTheTokenIsToldWhyAndClosedWhileOthersAreServed() {
        try (ServerFixture f = new ServerFixture(b -> b.token(TOKEN));
                ServerRawClient good = ServerRawClient.connect(f.uri(), TOKEN)) {
            assertThat(good.next().path("method").asText()).isEqualTo("rpc.on_session");

            try (ServerRawClient none = ServerRawClient.connect(f.uri())) {
                JsonNode refusal = none.next();
                assertThat(refusal.path("error").path("code").asInt()).isEqualTo(401);
                assertThat(refusal.path("error").path("message").asText()).contains("token is required");
                assertThat(none.awaitClose()).isEqualTo(1008);
            }
            try (ServerRawClient wrong = ServerRawClient.connect(f.uri(), "guess")) {
                assertThat(wrong.next().path("error").path("message").asText()).contains("not the server's");
                assertThat(wrong.awaitClose()).isEqualTo(1008);
            }
            try (ServerRawClient query = ServerRawClient.connect(URI.create(f.uri() + "?token=" + TOKEN))) {
                assertThat(query.next().path("method").asText()).isEqualTo("rpc.on_session");
            }
            assertThat(good.call(1, "sys.conf.construct", "{\"max_seconds\":60}").has("result")).isTrue();
        }
    }

    @Test
    void listeningBeyondLoopbackRequiresAToken() {
        try (ServerFixture f = new ServerFixture()) {
            assertThatThrownBy(() -> RpcServer.builder(f.engine).host("0.0.0.0").port(0).build())
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("token")
                    .hasMessageContaining("0.0.0.0");
        }
    }

    @Test
    void aPortInUseIsAClearFailure() {
        try (ServerFixture f = new ServerFixture()) {
            assertThatThrownBy(() -> RpcServer.builder(f.engine).port(f.server.port()).build())
                    .isInstanceOf(EngineFailureException.class).hasMessageContaining("cannot listen")
                    .hasMessageContaining(String.valueOf(f.server.port()));
            assertThat(f.client().call(1, "sys.conf.exists", "{\"res_id\":\"x\"}").has("result")).isTrue();
        }
    }

    @Test
    void anotherPathIsRefusedAtTheUpgrade() {
        try (ServerFixture f = new ServerFixture()) {
            URI elsewhere = URI.create(f.uri().toString().replace("/rpc", "/admin"));
            assertThatThrownBy(() -> ServerRawClient.connect(elsewhere)).isInstanceOf(CompletionException.class)
                    .rootCause().hasMessageContaining("404");
        }
    }

    @Test
    void aFrameOverTheLimitIsAnInvalidRequestAndOneFarOverItClosesTheConnection() {
        try (ServerFixture f = new ServerFixture(b -> b.maxFrameBytes(1024)); ServerRawClient client = f.client()) {
            String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"sys.conf.construct\",\"params\":{\"max_seconds\":60,"
                    + "\"user_data\":\"" + "x".repeat(2000) + "\"}}";
            JsonNode refused = client.send(big).next();
            assertThat(refused.path("error").path("code").asInt()).isEqualTo(-32600);
            assertThat(refused.path("error").path("message").asText()).contains("max_frame_bytes 1024");
            assertThat(client.call(2, "sys.conf.exists", "{\"res_id\":\"x\"}").has("result")).isTrue();
            assertThat(f.engine.resources()).isEmpty();

            try (ServerRawClient other = f.client()) {
                client.send("\"" + "y".repeat(17 * 1024) + "\"");
                assertThat(client.awaitClose()).isEqualTo(1009);
                assertThat(other.call(1, "sys.conf.exists", "{\"res_id\":\"x\"}").has("result")).isTrue();
            }
        }
    }

    @Test
    void requestsOverTheRateAreRefusedWith429() {
        try (ServerFixture f = new ServerFixture(b -> b.maxRequestsPerSecond(5)); ServerRawClient client = f.client()) {
            int refused = 0;
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                client.send("{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"sys.conf.exists\","
                        + "\"params\":{\"res_id\":\"x\"}}");
            }
            for (int i = 0; i < 20; i++) {
                JsonNode response = client.next();
                if (response.has("error")) {
                    assertThat(response.path("error").path("code").asInt()).isEqualTo(429);
                    assertThat(response.path("error").path("data").path("limit").asInt()).isEqualTo(5);
                    refused++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            // A burst of 5, then 5 a second: however slow the machine, no more than that got through.
            assertThat(20 - refused).isBetween(5, 5 + (int) Math.ceil(seconds * 5));
        }
    }

    @Test
    void servesWssWithAKeyStore(@TempDir Path temp) throws Exception {
        Path store = temp.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "cti4j", "-keyalg", "EC", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).as(new String(keytool.getInputStream().readAllBytes(), UTF_8)).isZero();

        try (ServerFixture f = new ServerFixture(b -> b.keyStore(store, "changeit"))) {
            assertThat(f.uri().getScheme()).isEqualTo("wss");
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                trusted.load(in, "changeit".toCharArray());
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, trust.getTrustManagers(), null);
            try (ServerRawClient client = ServerRawClient.connect(HttpClient.newBuilder().sslContext(ssl).build(),
                    f.uri())) {
                assertThat(client.next().path("method").asText()).isEqualTo("rpc.on_session");
                assertThat(client.call(1, "sys.conf.construct", "{\"max_seconds\":60}").has("result")).isTrue();
            }
        }
    }
}
