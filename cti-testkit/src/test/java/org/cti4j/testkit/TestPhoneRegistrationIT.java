package org.cti4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.DialOptions;
import org.cti4j.api.SipUri;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.media.RtpMediaConfig;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.sip.Kamailio;
import org.cti4j.sip.SipAccount;
import org.cti4j.sip.SipConfig;
import org.cti4j.sip.SipSignalingProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link TestPhone} registered with a real registrar (Kamailio), as an agent's desk phone is with its PBX: the
 * engine, registered with the same registrar, reaches the phone by its AoR through the registrar and is heard, and
 * the phone reaches the engine's AoR the same way; a wrong password is reported by {@code awaitRegistered}.
 */
class TestPhoneRegistrationIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String ENGINE_AOR = "sip:1001@" + Kamailio.DOMAIN;
    private static final String DESK_AOR = "sip:1002@" + Kamailio.DOMAIN;

    @TempDir
    Path temp;

    private static SipAccount account(String name, Kamailio registrar, String aor, String password) {
        SipUri kamailio = SipUri.parse(registrar.uri());
        return SipAccount.builder(name, kamailio, SipUri.parse(aor)).password(password).outboundProxy(kamailio)
                .expires(Duration.ofSeconds(60)).build();
    }

    @Test
    void theEngineAndARegisteredPhoneReachEachOtherThroughTheRegistrar() throws Exception {
        Kamailio.requireInstalled();
        Path greeting = TestPhone.writeTone(temp.resolve("greeting.wav"), 700, Duration.ofSeconds(2));
        CompletableFuture<Call> inbound = new CompletableFuture<>();
        try (Kamailio registrar = new Kamailio(Map.of("1001", "engine-pw", "1002", "desk-pw"))) {
            SipSignalingProvider sip = new SipSignalingProvider(SipConfig.builder().host("127.0.0.1").port(0)
                    .account(account("pbx", registrar, ENGINE_AOR, "engine-pw")).build());
            CoreEngine engine = CoreEngine.builder().signaling(sip)
                    .media(new RtpMediaProvider(RtpMediaConfig.builder().rtpPorts(20000, 29999).build()))
                    .incomingCallListener(new CallListener() {
                        @Override
                        public void onIncoming(Call call, CallEvent.Incoming event) {
                            call.answer();
                            inbound.complete(call);
                        }
                    }).build();
            TestPhone desk = TestPhone.builder().name("desk")
                    .register(account("desk", registrar, DESK_AOR, "desk-pw")).build();
            try {
                desk.awaitRegistered(WAIT);
                Await.until("the engine registered", WAIT, () -> sip.registrations().get(0).registered());

                // The engine calls the desk phone's AoR: the registrar challenges it, then routes it to the phone.
                Call out = engine.dial(DialOptions.builder().fromUri(ENGINE_AOR).toUri(DESK_AOR).maxRingSeconds(20)
                        .maxAnswerSeconds(60).build(), new CallListener() { });
                TestCall received = desk.awaitCall(WAIT);
                received.awaitAnswered(WAIT);
                assertThat(out.whenDialCompleted().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS)
                        .error()).isNull();
                out.playStart(greeting.toString());
                received.awaitTone(700, Duration.ofMillis(800), WAIT);
                out.drop();
                received.awaitReleased(WAIT);

                // The desk phone calls the engine's AoR, from its own, through the registrar.
                TestCall placed = desk.call(ENGINE_AOR);
                Call answered = inbound.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(answered.fromUri().user()).isEqualTo("1002");
                placed.awaitAnswered(WAIT);
                placed.hangUp();
                Await.until("the engine's call released", WAIT, () -> engine.resources().isEmpty());
            } finally {
                TestPhone.closeAll(desk, engine);
            }
        }
    }

    @Test
    void aWrongPasswordIsReportedByAwaitRegistered() throws Exception {
        Kamailio.requireInstalled();
        try (Kamailio registrar = new Kamailio(Map.of("1002", "desk-pw"));
                TestPhone desk = TestPhone.builder().name("desk")
                        .register(account("desk", registrar, DESK_AOR, "not-the-password")).build()) {
            assertThatThrownBy(() -> desk.awaitRegistered(Duration.ofSeconds(5)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("is not registered with " + registrar.uri())
                    .hasMessageContaining(DESK_AOR)
                    .hasMessageContaining("FAILED, status 401");
        }
    }
}
