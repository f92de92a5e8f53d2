package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.DialOptions;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A target URI's parameters reach the wire, and its {@code transport} chooses the transport of that call. */
class UriParametersTest {

    private final Events events = new Events();
    private CoreEngine engine;

    @BeforeEach
    void start() {
        // Configured for UDP: only the target's ;transport=tcp can make this call go over TCP.
        SipSignalingProvider sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        engine = CoreEngine.builder().signaling(sip).media(new ScriptedMedia()).cdrListener(events).build();
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private Call dial(String toUri) {
        return engine.dial(DialOptions.builder().fromUri("sip:1000@127.0.0.1").toUri(toUri)
                .maxAnswerSeconds(60).maxRingSeconds(20).build(), events);
    }

    @Test
    void aTransportParameterSendsTheInviteOverTcpWithEveryParameterKept() throws IOException {
        try (ServerSocket peer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            peer.setSoTimeout((int) Events.WAIT.toMillis());
            String target = "sip:+8613898877785@127.0.0.1:" + peer.getLocalPort() + ";transport=tcp;user=phone";
            Call call = dial(target);

            String invite;
            try (Socket connection = peer.accept()) {
                connection.setSoTimeout((int) Events.WAIT.toMillis());
                invite = readHead(connection.getInputStream());
            }

            assertThat(invite).startsWith("INVITE " + target + " SIP/2.0\r\n");
            assertThat(RawSipPeer.header(invite, "Via", "v")).startsWith("SIP/2.0/TCP ");
            assertThat(RawSipPeer.header(invite, "To", "t")).contains("user=phone").doesNotContain("transport");
            assertThat(RawSipPeer.header(invite, "Contact", "m")).contains("transport=tcp");
            call.drop();
        }
        events.next(CallEvent.Released.class);
    }

    @Test
    void aTransportTheEngineLacksFailsTheDialNamingIt() {
        dial("sip:1001@127.0.0.1:5999;transport=tls");

        CallEvent.DialCompleted dial = events.next(CallEvent.DialCompleted.class);
        assertThat(dial.error().status()).isEqualTo(503);
        assertThat(dial.error().reason()).contains("'tls'").contains("not supported");
        assertThat(events.next(CallEvent.Released.class).cause()).isEqualTo(503);
    }

    /** Reads a SIP message's start line and headers: up to the blank line. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.UTF_8).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.UTF_8);
    }
}
