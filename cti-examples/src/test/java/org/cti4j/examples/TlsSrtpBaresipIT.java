package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.Call;
import org.cti4j.api.CallListener;
import org.cti4j.api.CallState;
import org.cti4j.api.DialOptions;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.media.RtpMediaConfig;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.media.SrtpMode;
import org.cti4j.sip.Baresip;
import org.cti4j.sip.SipConfig;
import org.cti4j.sip.SipSignalingProvider;
import org.cti4j.sip.SipTls;
import org.cti4j.sip.TestCertificates;
import org.cti4j.sip.Tones;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hosted PBX asks for: SIP over TLS with SRTP, against a baresip phone that listens and dials on TLS and
 * requires SRTP ({@code mediaenc=srtp-mand}). The engine's certificate and the phone's are signed by a CA made for
 * the test, which each side trusts; a call each way, the phone's tone checked in the engine's recording and the
 * engine's in what the phone heard. SIP that did not go over TLS could not reach the TLS ports dialled.
 */
class TlsSrtpBaresipIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final double TONE = 700;
    private static TestCertificates certificates;

    @TempDir
    Path temp;
    private CoreEngine engine;
    private SipSignalingProvider sip;
    private SessionTap sessions;
    private final BlockingQueue<Call> incoming = new LinkedBlockingQueue<>();
    private Baresip phone;

    @BeforeAll
    static void makeCertificates() throws Exception {
        Baresip.requireInstalled();
        certificates = TestCertificates.create();
    }

    @AfterAll
    static void deleteCertificates() {
        if (certificates != null) {
            certificates.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        sip = new SipSignalingProvider(SipConfig.builder().port(0).tls(SipTls.builder().port(0)
                .keyStore(certificates.serverKeyStore, TestCertificates.PASSWORD)
                .trustStore(certificates.trustStore, TestCertificates.PASSWORD).build()).build());
        sessions = new SessionTap(new RtpMediaProvider(RtpMediaConfig.builder().srtp(SrtpMode.MANDATORY).build()));
        engine = SrtpBaresipIT.srtpEngine("0.0.10", sip, sessions, incoming);
        phone = new Baresip("a", Baresip.AnswerMode.AUTO, Tones.sine(temp.resolve("a.wav"), TONE, 60),
                List.of("srtp.so"), ";mediaenc=srtp-mand", List.of("sip_certificate " + certificates.serverPem,
                        "sip_cafile " + certificates.caPem));
    }

    @AfterEach
    void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (phone != null) {
            phone.close();
        }
    }

    @Test
    void theEngineCallsThePhoneOverTlsWithSrtp() throws Exception {
        Call call = engine.dial(DialOptions.builder().fromUri("sip:400@127.0.0.1")
                .toUri("sip:a@127.0.0.1:" + phone.tlsPort() + ";transport=tls").maxAnswerSeconds(60).build(),
                new CallListener() { });
        Await.until("answered", WAIT, () -> call.state() == CallState.IDLE);
        SrtpBaresipIT.talkAndCheckTones(call, phone, TONE, temp);
        phone.awaitEvent("CALL_CLOSED", WAIT);
        SrtpBaresipIT.assertAtMostDropped(sessions, 0);
    }

    @Test
    void thePhoneCallsTheEngineOverTlsWithSrtp() throws Exception {
        phone.command("dial", "sip:tls@127.0.0.1:" + sip.tlsPort() + ";transport=tls");
        Call call = incoming.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(call).as("the incoming call over TLS; the phone's log:\n%s", phone.log()).isNotNull();
        assertThat(call.toUri().user()).isEqualTo("tls");
        call.answer();
        Await.until("answered", WAIT, () -> call.state() == CallState.IDLE);
        SrtpBaresipIT.talkAndCheckTones(call, phone, TONE, temp);
        phone.awaitEvent("CALL_CLOSED", WAIT);
        SrtpBaresipIT.assertAtMostDropped(sessions, 0);
    }
}
