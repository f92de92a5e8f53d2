package org.cti4j.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.cti4j.core.spi.MediaException;
import org.cti4j.core.spi.MediaListener;
import org.cti4j.core.spi.MediaProvider;
import org.cti4j.core.spi.MediaProviderFactory;
import org.cti4j.core.spi.MediaSession;
import org.cti4j.core.testing.Await;
import org.cti4j.media.internal.Fixture;
import org.cti4j.media.internal.MediaWorker;
import org.cti4j.media.internal.RtpSessionImpl;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    /** The live media threads; compared by identity, as threads of providers closed by earlier tests may still be ending. */
    private static Set<Thread> mediaThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("cti-media"))
                .collect(Collectors.toSet());
    }

    private static Set<Thread> startedSince(Set<Thread> before) {
        Set<Thread> now = mediaThreads();
        now.removeAll(before);
        return now;
    }

    @Test
    void aThousandSessionsComeAndGoWithoutLosingPortsOrGrowingThreads() {
        Set<Thread> before = mediaThreads();
        Set<Thread> started;
        try (RtpMediaProvider provider = Fixture.provider(26000, 29999)) {
            started = startedSince(before);
            assertThat(started).as("two workers and the I/O thread").hasSize(3);
            int capacity = provider.portCapacity();
            assertThat(capacity).isEqualTo(2000);
            List<RtpSession> sessions = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 500; i++) {
                    RtpSession session = provider.createSession(new MediaListener() { });
                    assertThat(session.localPort() % 2).isZero();
                    sessions.add(session);
                }
                assertThat(provider.freePorts()).isLessThanOrEqualTo(capacity - 500);
                for (int i = 0; i < sessions.size(); i++) {
                    sessions.get(i).close();
                }
                sessions.clear();
            }
            Await.until("every port back", Fixture.DEADLINE, () -> provider.freePorts() == capacity);
            Await.until("every session gone", Fixture.DEADLINE, () -> provider.sessionCount() == 0);
            assertThat(startedSince(before)).as("the provider's threads, and no more").isEqualTo(started);
        }
        Await.until("the media threads gone", Fixture.DEADLINE, () -> started.stream().noneMatch(Thread::isAlive));
    }

    @Test
    void anExhaustedPortRangeRefusesWith503AndPortsHeldByOthersAreSkipped() throws Exception {
        try (DatagramSocket squatter = new DatagramSocket(21002, InetAddress.getLoopbackAddress());
                RtpMediaProvider provider = Fixture.provider(21000, 21005)) {
            RtpSession first = provider.createSession(new MediaListener() { });
            RtpSession second = provider.createSession(new MediaListener() { });
            assertThat(List.of(first.localPort(), second.localPort())).containsExactlyInAnyOrder(21000, 21004);
            assertThatThrownBy(() -> provider.createSession(new MediaListener() { }))
                    .isInstanceOfSatisfying(MediaException.class, e -> assertThat(e.sipStatus()).isEqualTo(503));
            assertThat(squatter.isBound()).isTrue();
        }
    }

    @Test
    void aClosedProviderRefusesNewWork() {
        RtpMediaProvider provider = Fixture.provider(21100, 21199);
        provider.close();
        assertThatThrownBy(() -> provider.createSession(new MediaListener() { }))
                .isInstanceOfSatisfying(MediaException.class, e -> assertThat(e.sipStatus()).isEqualTo(503));
        assertThatThrownBy(provider::createMixer).isInstanceOf(MediaException.class);
    }

    @Test
    void aSessionCreatedNearAnotherSharesItsWorkerAndOthersTakeTurns() {
        try (RtpMediaProvider provider = Fixture.provider(32200, 32299);
                RtpMediaProvider other = Fixture.provider(32300, 32399)) {
            List<MediaWorker> inTurn = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                RtpSessionImpl party1 = (RtpSessionImpl) provider.createSession(new MediaListener() { });
                RtpSessionImpl party2 = (RtpSessionImpl) provider.createSession(new MediaListener() { }, party1);
                assertThat(party2.worker()).as("party 2's worker").isSameAs(party1.worker());
                inTurn.add(party1.worker());
            }
            assertThat(Set.copyOf(inTurn)).as("the workers of sessions with no neighbour").hasSize(2);
            // a neighbour of another provider is no neighbour: its worker is not this provider's
            RtpSessionImpl foreign = (RtpSessionImpl) other.createSession(new MediaListener() { });
            RtpSessionImpl placed = (RtpSessionImpl) provider.createSession(new MediaListener() { }, foreign);
            assertThat(placed.worker()).isNotSameAs(foreign.worker());
        }
    }

    @Test
    void sessionsOfAnotherProviderAreRefused() {
        try (RtpMediaProvider one = Fixture.provider(21200, 21299);
                RtpMediaProvider other = Fixture.provider(21300, 21399)) {
            MediaSession mine = one.createSession(new MediaListener() { });
            MediaSession theirs = other.createSession(new MediaListener() { });
            assertThatThrownBy(() -> one.connect(mine, theirs)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> one.createMixer().add(theirs)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theFactoryIsFoundByTheServiceLoaderAndReadsItsProperties() {
        List<MediaProviderFactory> factories = new ArrayList<>();
        ServiceLoader.load(MediaProviderFactory.class).forEach(factories::add);
        assertThat(factories).hasAtLeastOneElementOfType(RtpMediaProviderFactory.class);
        RtpMediaConfig config = RtpMediaProviderFactory.config(Map.of("media.address", "127.0.0.1",
                "media.rtp-ports", "21400-21499", "media.workers", "3", "media.inactivity-seconds", "7"));
        assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(config.firstPort()).isEqualTo(21400);
        assertThat(config.lastPort()).isEqualTo(21499);
        assertThat(config.workers()).isEqualTo(3);
        assertThat(config.inactivityTimeout()).hasSeconds(7);
        try (MediaProvider provider = new RtpMediaProviderFactory().create(Map.of("media.rtp-ports", "21400-21499",
                "media.workers", "1"))) {
            assertThat(provider.createSession(new MediaListener() { }).localOffer().port()).isBetween(21400, 21498);
        }
    }

    @Test
    void theDefaultsAreThoseOfTheDesign() {
        RtpMediaConfig config = RtpMediaConfig.defaults();
        assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(config.firstPort()).isEqualTo(20000);
        assertThat(config.lastPort()).isEqualTo(29999);
        assertThat(config.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.inactivityTimeout()).hasSeconds(30);
        assertThat(config.ringbackFrequency()).isEqualTo(450);
        assertThat(config.ringbackOn()).hasSeconds(1);
        assertThat(config.ringbackOff()).hasSeconds(4);
        assertThat(config.srtp()).isEqualTo(SrtpMode.OFF);
    }

    @Test
    void theSrtpModeIsReadFromItsProperty() {
        assertThat(new RtpMediaProviderFactory().propertyKeys()).contains("media.srtp");
        assertThat(RtpMediaProviderFactory.config(Map.of("media.srtp", " Mandatory ")).srtp())
                .isEqualTo(SrtpMode.MANDATORY);
        assertThat(RtpMediaProviderFactory.config(Map.of("media.srtp", "optional")).srtp())
                .isEqualTo(SrtpMode.OPTIONAL);
        assertThatThrownBy(() -> RtpMediaProviderFactory.config(Map.of("media.srtp", "yes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("media.srtp").hasMessageContaining("yes");
    }

    @Test
    void malformedPropertiesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> RtpMediaProviderFactory.config(Map.of("media.rtp-ports", "20000")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("media.rtp-ports");
        assertThatThrownBy(() -> RtpMediaProviderFactory.config(Map.of("media.workers", "many")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("media.workers");
        assertThatThrownBy(() -> RtpMediaProviderFactory.config(Map.of("media.rtp-ports", "30000-20000")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("30000-20000");
        assertThatThrownBy(() -> RtpMediaProviderFactory.config(Map.of("media.inactivity-seconds", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inactivity");
        assertThatThrownBy(() -> new RtpMediaProvider(RtpMediaConfig.builder().bindAddress("not an address!")
                .build())).isInstanceOf(IllegalArgumentException.class);
    }
}
