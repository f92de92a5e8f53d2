package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.Conference;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.ConnectOptions;
import org.cti4j.api.CtiError;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.Resource;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fires random interleavings of far-end outcomes, hang-ups, cancels, timer expiries, media completions and API calls
 * at many resources, then checks the engine's promises: every resource released exactly once with exactly one
 * {@code onReleased} and nothing after it, one CDR per leg agreeing with its call's {@code onReleased}, the registry
 * empty, every media session closed.
 *
 * <p>In each round every driver thread acts on the same randomly chosen leg or resource at the same moment (they
 * meet at a barrier first), each doing its own random thing, so that events race on one resource as they do in
 * production: a BYE against a {@code drop}, a 200 OK against a ring timeout, a {@code cancel} against an answer. A
 * failure names the seed.
 *
 * <p>Unlike {@link ExactlyOnceRandomizedTest}, which explores the same interleavings deterministically, what happens
 * here depends on thread timing and a seed does not replay a run: it is here for what only real threads show (a
 * missing happens-before, a lock taken in the wrong order). So every assertion is one that holds in any interleaving,
 * and a failure it finds is to be made deterministic there.
 */
class ExactlyOnceThreadsTest {

    private static final int DRIVERS = 4;
    private static final int RESOURCES = 200;
    private static final int ROUNDS = 1_500;

    /** Seeds 1 to 8, or the one {@code -Dexactlyonce.seed=N} names. */
    static LongStream seeds() {
        String one = System.getProperty(ExactlyOnceRandomizedTest.SEED_PROPERTY, "").trim();
        return one.isEmpty() ? LongStream.rangeClosed(1, 8) : LongStream.of(Long.parseLong(one));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyResourceIsReleasedExactlyOnceWhateverHappens(long seed) throws Exception {
        EngineFixture f = new EngineFixture();
        Random setup = new Random(seed);
        Conference conference = f.engine.createConference(ConferenceOptions.builder().maxSeconds(90).build(),
                f.recorder);
        for (int i = 0; i < RESOURCES; i++) {
            create(f, setup);
        }
        Queue<Connecting> connects = new ConcurrentLinkedQueue<>();
        ExecutorService threads = Executors.newFixedThreadPool(DRIVERS);
        CyclicBarrier barrier = new CyclicBarrier(DRIVERS);
        try {
            List<Future<?>> drivers = new ArrayList<>();
            for (int d = 0; d < DRIVERS; d++) {
                int driver = d;
                drivers.add(threads.submit(() -> {
                    drive(f, seed, driver, barrier, conference.resId(), connects);
                    return null;
                }));
            }
            for (Future<?> driver : drivers) {
                driver.get(60, TimeUnit.SECONDS);
            }
            // Whatever is still alive now ends by its timers (every one is bounded) or by shutdown.
            f.clock.advance(Duration.ofMinutes(30));
            f.engine.close();
        } finally {
            threads.shutdownNow();
            f.engine.close();
        }

        String context = "seed " + seed;
        assertThat(f.recorder.violations()).as(context).isEmpty();
        assertThat(f.engine.resources()).as(context).isEmpty();
        long resources = f.recorder.all().stream().map(Recorder::resIdOf).distinct().count();
        assertThat(f.recorder.releases()).as(context).hasSize((int) resources)
                .allSatisfy((resId, count) -> assertThat(count).as(context + ": onReleased of " + resId).isEqualTo(1));

        // One CDR per leg: every leg the engine dialled or was offered, and no other.
        Await.until("every CDR", Recorder.WAIT, () -> f.recorder.cdrs().size() == f.sip.legs().size());
        Map<String, CallEvent.Released> callReleases = new HashMap<>();
        f.recorder.all().stream().filter(CallEvent.Released.class::isInstance).map(CallEvent.Released.class::cast)
                .forEach(r -> callReleases.put(r.resId(), r));
        Set<String> legs = new HashSet<>();
        for (CdrRecord cdr : f.recorder.cdrs()) {
            assertThat(legs.add(cdr.resId() + "/" + cdr.leg())).as(context + ": one CDR for " + cdr).isTrue();
            assertThat(cdr.endTime()).as(context).isAfterOrEqualTo(cdr.beginTime());
            assertThat(cdr.answerTime() == null || !cdr.answerTime().isAfter(cdr.endTime())).as(context).isTrue();
            CallEvent.Released released = callReleases.get(cdr.resId());
            if (released != null) {
                assertThat(cdr.cause()).as(context + ": CDR and onReleased of " + cdr.resId())
                        .isEqualTo(released.cause());
                assertThat(cdr.droppedBy()).as(context).isEqualTo(released.droppedBy());
                assertThat(cdr.answerTime()).as(context).isEqualTo(released.answerTime());
                assertThat(cdr.endTime()).as(context).isEqualTo(released.endTime());
            }
        }
        // Every connection accepted ended exactly once, reported to the call it was started on.
        for (Connecting started : connects) {
            assertThat(started.stage().toCompletableFuture()).as(context + ": the connection of " + started.resId())
                    .succeedsWithin(Recorder.WAIT).matches(e -> e.resId().equals(started.resId()));
        }
        Map<String, Long> parted = new HashMap<>();
        f.recorder.all().stream().filter(CallEvent.ConnectCompleted.class::isInstance)
                .forEach(e -> parted.merge(((CallEvent.ConnectCompleted) e).resId(), 1L, Long::sum));
        Map<String, Long> started = new HashMap<>();
        connects.forEach(c -> started.merge(c.resId(), 1L, Long::sum));
        assertThat(parted).as(context + ": on_connect_completed per call").isEqualTo(started);
        assertThat(f.media.openSessions()).as(context).isEmpty();
        assertThat(f.media.openConnections()).as(context).isEmpty();
        assertThat(f.media.mixers()).allMatch(ScriptedMedia.Mixer::isClosed);
        assertThat(f.sip.isClosed()).isTrue();
    }

    private static void create(EngineFixture f, Random random) {
        switch (random.nextInt(3)) {
            case 0 -> f.engine.dial(EngineFixture.dialOptions(), f.recorder);
            case 1 -> f.engine.startDuoCallback(DuoCallbackOptions.builder()
                    .from1Uri("400@127.0.0.1").to1Uri("1001@127.0.0.1").from2Uri("400@127.0.0.1")
                    .to2Uri("1002@127.0.0.1").maxConnectSeconds(120).maxRingSeconds(20)
                    .ringPlayFile(random.nextBoolean() ? "ring.wav" : null).ringPlayMode(random.nextInt(3))
                    .recordFile(random.nextBoolean() ? "/tmp/r.wav" : null).recordMode(random.nextInt(3))
                    .build(), f.recorder);
            default -> f.sip.incoming("sip:5@10.0.0.1", "sip:1@127.0.0.1", random.nextBoolean());
        }
    }

    /**
     * One driver. Every round, all drivers agree (through a random sequence they share) on one leg and one resource,
     * meet at the barrier, and then each acts on them at once in its own random way.
     */
    private static void drive(EngineFixture f, long seed, int driver, CyclicBarrier barrier, String conferenceId,
            Queue<Connecting> connects)
            throws Exception {
        Random shared = new Random(seed * 7_919);
        Random own = new Random(seed * 1_000 + driver);
        for (int round = 0; round < ROUNDS; round++) {
            List<ScriptedSignaling.Leg> legs = f.sip.legs();
            int legPick = shared.nextInt(Integer.MAX_VALUE);
            int resourcePick = shared.nextInt(Integer.MAX_VALUE);
            int createRoll = shared.nextInt(10);
            barrier.await(30, TimeUnit.SECONDS);
            List<Resource> live = new ArrayList<>(f.engine.resources());
            live.sort(Comparator.comparingLong(Resource::processId));
            switch (own.nextInt(8)) {
                case 0, 1, 2 -> actAsFarEnd(legs.get(legPick % legs.size()), own);
                case 3, 4, 5 -> {
                    if (!live.isEmpty()) {
                        actAsApplication(live.get(resourcePick % live.size()), live.get(own.nextInt(live.size())),
                                own, conferenceId, connects);
                    }
                }
                case 6 -> actOnMedia(f, own);
                default -> f.clock.advance(Duration.ofMillis(own.nextInt(4_000)));
            }
            if (driver == 0 && createRoll == 0) {
                create(f, own);
            }
            barrier.await(30, TimeUnit.SECONDS);
        }
    }

    private static void actAsFarEnd(ScriptedSignaling.Leg leg, Random random) {
        if (leg instanceof ScriptedSignaling.Outbound out) {
            switch (random.nextInt(7)) {
                case 0, 1 -> out.ring();
                case 2 -> out.earlyMedia();
                case 3, 4 -> out.answer();
                case 5 -> out.fail(new int[] {404, 486, 603, 408, 500}[random.nextInt(5)], "Scripted");
                default -> out.remoteHangup(200);
            }
        } else if (leg instanceof ScriptedSignaling.Inbound in) {
            switch (random.nextInt(5)) {
                case 0, 1 -> in.confirm();
                case 2 -> in.remoteHangup(random.nextBoolean() ? 487 : 200);
                case 3 -> in.infoDtmf("0123456789*#".charAt(random.nextInt(12)));
                default -> in.failNoAck();
            }
        }
    }

    private static void actAsApplication(Resource target, Resource other, Random random, String conferenceId,
            Queue<Connecting> connects) {
        try {
            if (target instanceof Call call) {
                switch (random.nextInt(14)) {
                    case 0, 1 -> call.answer("u");
                    case 2 -> call.drop();
                    case 3 -> call.redirect("sip:9@127.0.0.1");
                    case 4 -> call.playStart("a.wav");
                    case 5 -> call.playStop();
                    case 6 -> call.recordStart("/tmp/c.wav", "#");
                    case 7 -> call.recordStop();
                    case 8, 9 -> call.confEnter(conferenceId);
                    case 10 -> call.confExit(conferenceId);
                    case 11, 12 -> {
                        // Drivers pick the same target and each its own other call: connections race each other.
                        ConnectOptions options = ConnectOptions.builder().call(other.resId())
                                .maxSeconds(random.nextInt(3) * 20).mode(1 + random.nextInt(3))
                                .recordFile(random.nextBoolean() ? "/tmp/pair.wav" : "").build();
                        connects.add(new Connecting(call.resId(), call.connectStart(options)));
                    }
                    default -> call.connectStop();
                }
            } else if (target instanceof DuoCallback duo) {
                duo.cancel();
            } else if (target instanceof Conference conference && random.nextInt(20) == 0) {
                conference.release();
            }
        } catch (RuntimeException e) {
            // Refusals are a defined outcome of a random schedule; anything else is a bug.
            assertThat(e).isInstanceOf(CtiError.class);
        }
    }

    private static void actOnMedia(EngineFixture f, Random random) {
        List<ScriptedMedia.Session> sessions = f.media.sessions();
        if (sessions.isEmpty()) {
            return;
        }
        ScriptedMedia.Session session = sessions.get(random.nextInt(sessions.size()));
        switch (random.nextInt(4)) {
            case 0 -> session.dtmf("0123456789*#".charAt(random.nextInt(12)));
            case 1 -> session.inactivity();
            default -> {
                List<ScriptedMedia.Operation> operations = session.operations();
                if (!operations.isEmpty()) {
                    ScriptedMedia.Operation operation = operations.get(random.nextInt(operations.size()));
                    if (random.nextBoolean()) {
                        operation.finish();
                    } else {
                        operation.fail("scripted failure");
                    }
                }
            }
        }
    }

    /** A connection an API call started, and its stage. */
    private record Connecting(String resId, CompletionStage<CallEvent.ConnectCompleted> stage) {
    }
}
