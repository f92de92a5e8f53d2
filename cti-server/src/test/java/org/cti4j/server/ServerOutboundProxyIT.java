package org.cti4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cti4j.core.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server jar with {@code --sip-outbound-proxy} and credentials: a call placed over JSON-RPC goes to the proxy
 * (a UDP peer that demands digest credentials with 407, then answers), not to the callee's address, and the 407 is
 * answered with the configured user name and the password from {@code CTI4J_SIP_PASSWORD}.
 */
class ServerOutboundProxyIT {


    @TempDir
    Path dir;

    @Test
    void aCallGoesThroughTheProxyAndAnswersItsChallengeWithTheCredentials() throws Exception {
        try (AnsweringPeer proxy = new AnsweringPeer().challenge("proxy.test", "alice", "s3cret");
                DatagramSocket callee = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                ServerProcess server = ServerProcess.start(dir,
                        Map.of("CTI4J_SIP_PASSWORD", "s3cret"),
                        "--sip-outbound-proxy", "sip:127.0.0.1:" + proxy.port(), "--sip-username", "alice",
                        "--sip-realm", "proxy.test");
                RpcTestClient rpc = server.connect()) {
            assertThat(server.listening()).contains("via sip:127.0.0.1:" + proxy.port());

            rpc.request(1, "sys.call.construct", "{\"from_uri\":\"sip:it@127.0.0.1\",\"to_uri\":\"sip:bob@127.0.0.1:"
                    + callee.getLocalPort() + "\",\"max_answer_seconds\":60}");

            Await.until("the call answered through the proxy", Duration.ofSeconds(20), () -> proxy.acked() == 1);
            assertThat(proxy.challenges()).isEqualTo(1);
            List<String> invites = proxy.invites();
            assertThat(invites).hasSize(2).allSatisfy(invite -> {
                assertThat(invite).startsWith("INVITE sip:bob@127.0.0.1:" + callee.getLocalPort() + " SIP/2.0");
                assertThat(AnsweringPeer.header(invite, "Route")).contains("127.0.0.1:" + proxy.port(), "lr");
            });
            assertThat(AnsweringPeer.header(invites.get(0), "Proxy-Authorization")).isNull();
            assertThat(AnsweringPeer.header(invites.get(1), "Proxy-Authorization"))
                    .contains("username=\"alice\"", "realm=\"proxy.test\"");

            assertThat(server.terminate()).isZero();
            assertThat(proxy.byes()).as("the call's BYE").isEqualTo(1);
        }
    }
}
