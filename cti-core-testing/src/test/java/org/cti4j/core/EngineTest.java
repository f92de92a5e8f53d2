package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cti4j.core.EngineFixture.WAIT;
import static org.cti4j.core.EngineFixture.awaitState;

import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.CallState;
import org.cti4j.api.Conference;
import org.cti4j.api.ConferenceEndReason;
import org.cti4j.api.ConferenceEvent;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.DuoCallbackState;
import org.cti4j.api.EngineFailureException;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.ResourceNotFoundException;
import org.cti4j.core.EngineFixture.Dialled;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.Test;

class EngineTest {

    private static DuoCallbackOptions duoOptions() {
        return DuoCallbackOptions.builder().from1Uri("400@127.0.0.1").to1Uri("1001@127.0.0.1:5062")
                .from2Uri("400@127.0.0.1").to2Uri("1002@127.0.0.1:5064").maxConnectSeconds(60).build();
    }

    @Test
    void resIdsNameTheNodeTheModuleAndAStrictlyIncreasingProcessId() {
        try (EngineFixture f = new EngineFixture()) {
            Call call = f.dial().call();
            DuoCallback duo = f.engine.startDuoCallback(duoOptions(), f.recorder);
            Conference conf = f.engine.createConference(ConferenceOptions.builder().maxSeconds(60).build(),
                    f.recorder);

            assertThat(call.resId()).matches("1\\.2\\.3-sys\\.call-\\d+");
            assertThat(duo.resId()).matches("1\\.2\\.3-ext\\.duo_callback-\\d+");
            assertThat(conf.resId()).matches("1\\.2\\.3-sys\\.conf-\\d+");
            assertThat(call.resId()).endsWith("-" + call.processId());
            assertThat(duo.processId()).isGreaterThan(call.processId());
            assertThat(conf.processId()).isGreaterThan(duo.processId());
            assertThat(call.processId()).isEqualTo(EngineFixture.T0.toEpochMilli() * 1000);
            assertThat(call.module()).isEqualTo(Call.MODULE);
            assertThat(duo.module()).isEqualTo(DuoCallback.MODULE);
            assertThat(conf.module()).isEqualTo(Conference.MODULE);
        }
    }

    @Test
    void resourcesAreFoundByResIdAndKindUntilReleased() {
        try (EngineFixture f = new EngineFixture()) {
            Dialled d = f.dial();
            DuoCallback duo = f.engine.startDuoCallback(duoOptions(), f.recorder);

            assertThat(f.engine.call(d.call().resId())).isSameAs(d.call());
            assertThat(f.engine.duoCallback(duo.resId())).isSameAs(duo);
            assertThat(f.engine.find(duo.resId())).containsSame(duo);
            assertThat(f.engine.resources()).containsExactlyInAnyOrder(d.call(), duo);
            assertThatThrownBy(() -> f.engine.duoCallback(d.call().resId()))
                    .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining(d.call().resId());
            assertThatThrownBy(() -> f.engine.conference(duo.resId()))
                    .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining(duo.resId());
            assertThatThrownBy(() -> f.engine.call("1.2.3-sys.call-1"))
                    .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("1.2.3-sys.call-1")
                    .satisfies(e -> assertThat(((ResourceNotFoundException) e).resId()).isEqualTo("1.2.3-sys.call-1"));

            d.far().fail(486, "Busy Here");
            Await.until("released", WAIT, d.call()::isReleased);
            assertThat(f.engine.find(d.call().resId())).isEmpty();
            assertThatThrownBy(() -> f.engine.call(d.call().resId())).isInstanceOf(ResourceNotFoundException.class);
        }
    }

    @Test
    void shutdownReleasesEveryResourceWithItsEventsAndCdrsThenStopsTheProviders() {
        EngineFixture f = new EngineFixture();
        Dialled connected = f.connectedCall();
        Dialled dialling = f.dial();
        ScriptedSignaling.Inbound caller = f.sip.incoming("sip:5@10.0.0.1", "sip:1@127.0.0.1", true);
        f.recorder.nextOf(CallEvent.Incoming.class);
        DuoCallback duo = f.engine.startDuoCallback(duoOptions(), f.recorder);
        ScriptedSignaling.Outbound party1 = f.sip.nextDialled(WAIT);
        party1.answer();
        ScriptedSignaling.Outbound party2 = f.sip.nextDialled(WAIT);
        party2.answer();
        awaitState(duo, DuoCallbackState.CONNECTED);
        Conference conf = f.engine.createConference(ConferenceOptions.builder().maxSeconds(60).build(), f.recorder);

        f.engine.close();

        assertThat(f.engine.shutdown().toCompletableFuture().isDone()).isTrue();
        assertThat(connected.far().actions()).containsExactly("hangup 200");
        assertThat(dialling.far().actions()).containsExactly("cancel");
        assertThat(dialling.call().whenReleased().toCompletableFuture().join().cause()).isEqualTo(487);
        assertThat(caller.actions()).containsExactly("reject 503");
        assertThat(party1.actions()).containsExactly("hangup 200");
        assertThat(party2.actions()).containsExactly("hangup 200");
        assertThat(duo.whenReleased().toCompletableFuture().join().error()).isNull();
        assertThat(conf.whenReleased().toCompletableFuture().join().reason()).isEqualTo(ConferenceEndReason.SHUTDOWN);
        assertThat(f.recorder.releases()).hasSize(5).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
        assertThat(f.recorder.cdrs()).hasSize(5);
        assertThat(f.engine.resources()).isEmpty();
        assertThat(f.sip.isClosed()).isTrue();
        assertThat(f.media.isClosed()).isTrue();
        assertThat(f.media.openSessions()).isEmpty();
        assertThat(f.recorder.violations()).isEmpty();

        assertThatThrownBy(() -> f.engine.dial(EngineFixture.dialOptions(), f.recorder))
                .isInstanceOf(EngineFailureException.class).hasMessageContaining("shut down");
        f.engine.close();
    }

    @Test
    void aCallOfferedDuringShutdownIsRefusedWith503() {
        EngineFixture f = new EngineFixture();
        f.connectedCall();
        f.engine.shutdown();
        ScriptedSignaling.Inbound late = f.sip.incoming("sip:5@10.0.0.1", "sip:1@127.0.0.1", true);
        assertThat(late.actions()).containsExactly("reject 503 retry-after 60");
        f.engine.close();
    }

    @Test
    void aThrowingListenerIsLoggedAndEveryLaterEventStillArrives() {
        List<Object> heard = new CopyOnWriteArrayList<>();
        CallListener throwing = new CallListener() {
            @Override
            public void onDialCompleted(Call call, CallEvent.DialCompleted event) {
                heard.add(event);
                throw new IllegalStateException("a bug in the application");
            }

            @Override
            public void onAnswered(Call call, CallEvent.Answered event) {
                heard.add(event);
                throw new AssertionError("an Error from the application");
            }

            @Override
            public void onReleased(Call call, CallEvent.Released event) {
                heard.add(event);
            }
        };
        try (EngineFixture f = new EngineFixture()) {
            Call call = f.engine.dial(EngineFixture.dialOptions(), throwing);
            ScriptedSignaling.Outbound far = f.sip.nextDialled(WAIT);
            far.answer();
            awaitState(call, CallState.IDLE);
            far.remoteHangup(200);
            Await.until("three events", WAIT, () -> heard.size() == 3);
            assertThat(heard.get(2)).isInstanceOf(CallEvent.Released.class);
            assertThat(call.whenReleased().toCompletableFuture().join().cause()).isEqualTo(200);

            Dialled other = f.connectedCall();
            other.call().drop();
            f.recorder.next(CallEvent.Released.class);
        }
    }

    @Test
    void eventsOfOneResourceArriveInOrderOneAtATime() {
        try (EngineFixture f = new EngineFixture()) {
            List<Dialled> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                calls.add(f.dial());
            }
            for (Dialled d : calls) {
                d.far().ring();
                d.far().answer();
                d.far().remoteHangup(200);
            }
            Await.until("50 releases", WAIT, () -> f.recorder.releases().size() == 50);
            for (Dialled d : calls) {
                List<Class<?>> kinds = f.recorder.all().stream()
                        .filter(e -> e instanceof CallEvent c && c.resId().equals(d.call().resId()))
                        .<Class<?>>map(Object::getClass).toList();
                assertThat(kinds).containsExactly(CallEvent.Ringing.class, CallEvent.DialCompleted.class,
                        CallEvent.Answered.class, CallEvent.Released.class);
            }
            assertThat(f.recorder.violations()).isEmpty();
        }
    }

    @Test
    void theEnginesOwnBuilderChecksTheInboundAnswerTimeoutAsTheApisDoes() {
        for (Duration bad : new Duration[] {Duration.ofMillis(500), Duration.ofMinutes(11), Duration.ZERO}) {
            assertThatThrownBy(() -> CoreEngine.builder().inboundAnswerTimeout(bad))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("out of range 1 s - 10 min");
            assertThatThrownBy(() -> CtiEngine.builder().inboundAnswerTimeout(bad))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("out of range 1 s - 10 min");
        }
    }

    @Test
    // The engine is only held open while its properties are checked.
    @SuppressWarnings("try")
    void aPropertyNoProviderReadsIsRefusedNamingTheNearestKnownOne() {
        ScriptedProviderFactories.signalingKeys = Set.of("sip.port", "sip.host");
        ScriptedProviderFactories.mediaKeys = Set.of("media.rtp-ports");
        try {
            assertThatThrownBy(() -> CtiEngine.builder().property("sip.prot", "5070").build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unknown property 'sip.prot': did you mean 'sip.port'?");
            assertThatThrownBy(() -> CtiEngine.builder().property("media.rtp-port", "1-2").build())
                    .hasMessage("unknown property 'media.rtp-port': did you mean 'media.rtp-ports'?");
            try (CtiEngine engine = CtiEngine.builder().property("sip.port", "5070")
                    .property("media.rtp-ports", "1-2").build()) {
                assertThat(ScriptedProviderFactories.lastProperties).containsEntry("sip.port", "5070");
            }
        } finally {
            ScriptedProviderFactories.signalingKeys = Set.of();
            ScriptedProviderFactories.mediaKeys = Set.of();
        }
    }

    @Test
    // The engine is only held open while its properties are checked.
    @SuppressWarnings("try")
    void aProviderThatDeclaresNoKeysHasNoPropertyRefused() {
        ScriptedProviderFactories.signalingKeys = Set.of("sip.port");
        try (CtiEngine engine = CtiEngine.builder().property("acme.anything", "x").build()) {
            assertThat(ScriptedProviderFactories.lastProperties).containsEntry("acme.anything", "x");
        } finally {
            ScriptedProviderFactories.signalingKeys = Set.of();
        }
    }

    @Test
    void theBuilderOfTheApiFindsTheCoreAndItsProvidersOnTheClassPath() {
        try (CtiEngine engine = CtiEngine.builder().nodeId("7.8.9").property("sip.port", "5070").build()) {
            assertThat(engine).isInstanceOf(CoreEngine.class);
            assertThat(engine.nodeId()).isEqualTo("7.8.9");
            assertThat(ScriptedProviderFactories.lastProperties).containsEntry("sip.port", "5070");
        }
    }

    @Test
    void theBuilderOfTheApiNamesTheMissingSignallingModule() {
        ClassLoader original = Thread.currentThread().getContextClassLoader();
        ClassLoader withoutSignaling = new ClassLoader(original) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return name.endsWith("SignalingProviderFactory") ? Collections.emptyEnumeration()
                        : super.getResources(name);
            }
        };
        Thread.currentThread().setContextClassLoader(withoutSignaling);
        try {
            assertThatThrownBy(() -> CtiEngine.builder().build()).isInstanceOf(EngineFailureException.class)
                    .hasMessageContaining("cti-sip");
        } finally {
            Thread.currentThread().setContextClassLoader(original);
        }
    }

    @Test
    void closingTwiceIsHarmless() {
        EngineFixture f = new EngineFixture();
        f.engine.close();
        f.engine.close();
        assertThat(f.sip.isClosed()).isTrue();
    }

    @Test
    void aDuoCallbackAndAConferenceEndTheirLivesWithOneReleasedEach() {
        try (EngineFixture f = new EngineFixture()) {
            DuoCallback duo = f.engine.startDuoCallback(duoOptions(), f.recorder);
            f.sip.nextDialled(WAIT).fail(603, "Decline");
            assertThat(f.recorder.nextOf(DuoCallbackEvent.Released.class).error()).isEqualTo("party 1: 603 Decline");
            Conference conf = f.engine.createConference(ConferenceOptions.builder().maxSeconds(60).build(),
                    f.recorder);
            conf.release();
            assertThat(f.recorder.nextOf(ConferenceEvent.Released.class).reason())
                    .isEqualTo(ConferenceEndReason.RELEASED);
            assertThat(duo.isReleased()).isTrue();
        }
    }
}
