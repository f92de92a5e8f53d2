package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.DialOptions;
import org.cti4j.api.SipUri;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.sip.SipRegistration.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registration against a real registrar, Kamailio, with a real phone, baresip, registered to it as well: the engine
 * registers with digest, receives a call the phone places to its AoR through the registrar, places a call to the
 * phone's AoR through it (answering the proxy's challenge with the account's credentials), registers again after the
 * registrar restarted and forgot every binding, and reports a wrong password once, clearly, without retrying at once.
 */
class KamailioRegistrationIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String DOMAIN = Kamailio.DOMAIN;

    @TempDir
    Path temp;
    private final Events events = new Events();
    private Kamailio registrar;
    private SipSignalingProvider sip;
    private CoreEngine engine;
    private Baresip phone;

    @BeforeEach
    void setUp() throws Exception {
        Kamailio.requireInstalled();
        Baresip.requireInstalled();
        registrar = new Kamailio(Map.of("1001", "agent-pw", "1002", "phone-pw", "1003", "right-pw"));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (engine != null) {
                engine.close();
            }
            if (phone != null) {
                phone.close();
            }
        } finally {
            // null when Kamailio is not installed and the test was skipped before starting it
            if (registrar != null) {
                registrar.close();
            }
        }
    }

    private SipAccount.Builder account(String name, String user, String password) {
        SipUri kamailio = SipUri.parse(registrar.uri());
        return SipAccount.builder(name, kamailio, SipUri.parse("sip:" + user + "@" + DOMAIN)).password(password)
                .outboundProxy(kamailio);
    }

    private void startEngine(SipAccount... accounts) {
        startEngine(Duration.ofSeconds(5), accounts);
    }

    private void startEngine(Duration keepAlive, SipAccount... accounts) {
        SipConfig.Builder config = SipConfig.builder().port(0).keepAlive(keepAlive);
        for (SipAccount account : accounts) {
            config.account(account);
        }
        sip = new SipSignalingProvider(config.build());
        engine = CoreEngine.builder().signaling(sip).media(new ScriptedMedia()).incomingCallListener(events)
                .build();
    }

    private SipRegistration registration(String name) {
        return sip.registrations().stream().filter(r -> r.account().equals(name)).findFirst().orElseThrow();
    }

    private void startPhone() throws Exception {
        // With a SIP trace: a failure shows what the phone was sent (it once could not decode two messages).
        phone = new Baresip("1002", Baresip.AnswerMode.AUTO, Tones.sine(temp.resolve("tone.wav"), 440, 30),
                List.of(), ";regint=60;auth_pass=phone-pw;outbound=\"" + registrar.uri() + "\"", List.of(), true);
        // Its REGISTER_OK event may leave before the control connection is up: its log says it too.
        Await.until("the phone registered", WAIT, () -> phone.log().contains("} 200 OK"));
    }

    @Test
    void registersTakesACallThroughTheRegistrarPlacesOneAndRegistersAgainAfterARestart() throws Exception {
        startEngine(account("agent", "1001", "agent-pw").expires(Duration.ofSeconds(20)).build());
        Await.until("the agent registered", WAIT, () -> registration("agent").registered());
        assertThat(registration("agent").status()).isEqualTo(200);
        startPhone();

        // The phone calls the agent's AoR; the registrar routes it to the engine's Contact.
        phone.command("dial", "sip:1001@" + DOMAIN);
        CallEvent.Incoming incoming = events.next(CallEvent.Incoming.class);
        // The To is the AoR the phone dialled: the account the call came through.
        assertThat(incoming.toUri()).isEqualTo(SipUri.parse("sip:1001@" + DOMAIN));
        Call inbound = events.calls.get(0);
        inbound.answer();
        phone.awaitEvent("CALL_ESTABLISHED", WAIT);
        inbound.drop();
        phone.awaitEvent("CALL_CLOSED", WAIT);
        events.next(CallEvent.Released.class);

        // The agent calls the phone's AoR through the registrar, which challenges the INVITE.
        Call outbound = engine.dial(DialOptions.builder().fromUri("sip:1001@" + DOMAIN).toUri("sip:1002@" + DOMAIN)
                .maxRingSeconds(20).maxAnswerSeconds(60).build(), events);
        assertThat(events.next(CallEvent.DialCompleted.class).error()).isNull();
        phone.awaitEvent("CALL_ESTABLISHED", WAIT);
        outbound.drop();
        phone.awaitEvent("CALL_CLOSED", WAIT);
        events.next(CallEvent.Released.class);

        // The registrar restarts and forgets every binding; the next refresh (at half of 20 s) registers again. Only
        // a 200 from the new registrar gives a lifetime that ends 20 s or more after the restart: the registration
        // before it still looks registered, and the refresh's first REGISTER is logged before it is challenged.
        registrar.restart();
        Instant restarted = Instant.now();
        Await.until("the agent registered again after the restart", Duration.ofSeconds(30),
                () -> {
                    SipRegistration now = registration("agent");
                    return now.registered() && !now.expiresAt().isBefore(restarted.plusSeconds(20));
                });
        phone.command("dial", "sip:1001@" + DOMAIN);
        events.next(CallEvent.Incoming.class);
        assertThat(events.calls).hasSize(2);
    }

    @Test
    void aWrongPasswordIsReportedOnceAndNotRetriedAtOnce() throws Exception {
        startEngine(account("intruder", "1003", "wrong-pw").build());
        Await.until("the registration failed", WAIT, () -> registration("intruder").state() == State.FAILED);
        SipRegistration failed = registration("intruder");
        assertThat(failed.status()).isEqualTo(401);
        assertThat(failed.reason()).contains("rejected the credentials of '1003'").contains(DOMAIN);
        assertThat(failed.retryAt()).isAfter(Instant.now().plusSeconds(50));
        // One REGISTER to be challenged, one with the wrong answer; none more while the test lasts.
        Await.until("the registrar logged both REGISTERs", WAIT, () -> registrar.registersFrom("1003") == 2);
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        Await.until("three seconds passed", Duration.ofSeconds(5), () -> System.nanoTime() - deadline > 0);
        assertThat(registrar.registersFrom("1003")).isEqualTo(2);
    }

    @Test
    void overTcpTheRegistrationKeepsItsConnectionOpenWithCrlfPingsAndTakesACall() throws Exception {
        SipUri kamailio = SipUri.parse(registrar.uri() + ";transport=tcp");
        startEngine(Duration.ofSeconds(1), SipAccount.builder("agent", kamailio, SipUri.parse("sip:1001@" + DOMAIN))
                .password("agent-pw").build());
        Await.until("the agent registered over TCP", WAIT, () -> registration("agent").registered());
        long registers = registrar.registersFrom("1001");
        // Several keep-alive periods: the pings go over the registration's connection and nothing re-registers.
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        Await.until("three seconds passed", Duration.ofSeconds(5), () -> System.nanoTime() - deadline > 0);
        assertThat(registration("agent").registered()).isTrue();
        assertThat(registrar.registersFrom("1001")).isEqualTo(registers);
        startPhone();
        phone.command("dial", "sip:1001@" + DOMAIN);
        events.next(CallEvent.Incoming.class);
        assertThat(registrar.log()).doesNotContain("ERROR");
    }
}
