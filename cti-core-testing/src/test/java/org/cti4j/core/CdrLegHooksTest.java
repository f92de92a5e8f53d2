package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CdrListener;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.CtiError;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.LegAnswered;
import org.cti4j.api.LegStarted;
import org.cti4j.api.Resource;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ManualScheduler;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CDR listener's {@code onLegStarted} and {@code onLegAnswered}: for every leg, one start, then one answer if and
 * only if its CDR has an answer time (the same one), then its one CDR, whatever ends the leg and when.
 */
class CdrLegHooksTest {

    private static final Duration WAIT = Recorder.WAIT;

    /** Every CDR listener call, by leg ({@code res_id/leg}), in the order they came. */
    private static final class Journal implements CdrListener {
        final Map<String, List<Object>> byLeg = new ConcurrentHashMap<>();
        final List<CdrRecord> cdrs = new CopyOnWriteArrayList<>();

        @Override
        public void onLegStarted(LegStarted started) {
            add(started.resId() + "/" + started.leg(), started);
        }

        @Override
        public void onLegAnswered(LegAnswered answered) {
            add(answered.resId() + "/" + answered.leg(), answered);
        }

        @Override
        public void onCdr(CdrRecord record) {
            add(record.resId() + "/" + record.leg(), record);
            cdrs.add(record);
        }

        private void add(String leg, Object call) {
            byLeg.computeIfAbsent(leg, k -> new CopyOnWriteArrayList<>()).add(call);
        }

        List<Object> of(String resId, int leg) {
            return byLeg.getOrDefault(resId + "/" + leg, List.of());
        }
    }

    /** An engine over the scripted providers, reporting CDRs and leg hooks to a {@link Journal}. */
    private static final class Fixture implements AutoCloseable {
        final ScriptedSignaling sip = new ScriptedSignaling();
        final ScriptedMedia media = new ScriptedMedia();
        final ManualScheduler clock = new ManualScheduler(EngineFixture.T0);
        final Recorder recorder = new Recorder();
        final Journal journal = new Journal();
        final CoreEngine engine;

        Fixture(boolean listenForInbound) {
            CoreEngine.Builder builder = CoreEngine.builder().nodeId("1.2.3").signaling(sip).media(media)
                    .clock(clock).scheduler(clock).cdrListener(journal)
                    .inboundAnswerTimeout(Duration.ofSeconds(60));
            if (listenForInbound) {
                builder.incomingCallListener(recorder);
            }
            engine = builder.build();
        }

        CdrRecord awaitCdr(String resId, int leg) {
            Await.until("the CDR of " + resId + "/" + leg, WAIT, () -> journal.of(resId, leg).stream()
                    .anyMatch(CdrRecord.class::isInstance));
            return journal.of(resId, leg).stream().filter(CdrRecord.class::isInstance).map(CdrRecord.class::cast)
                    .findFirst().orElseThrow();
        }

        @Override
        public void close() {
            engine.close();
        }
    }

    @Test
    void anAnsweredCallReportsItsStartThenItsAnswerThenItsCdr() {
        try (Fixture f = new Fixture(true)) {
            Call call = f.engine.dial(EngineFixture.dialOptions(), f.recorder);
            ScriptedSignaling.Outbound far = f.sip.nextDialled(WAIT);
            f.clock.advance(Duration.ofSeconds(3));
            far.answer();
            EngineFixture.awaitState(call, org.cti4j.api.CallState.IDLE);
            f.clock.advance(Duration.ofSeconds(7));
            far.remoteHangup(200);

            CdrRecord cdr = f.awaitCdr(call.resId(), 0);
            assertThat(f.journal.of(call.resId(), 0)).containsExactly(
                    new LegStarted(call.resId(), 0, cdr.callDir(), cdr.fromUri(), cdr.toUri(), EngineFixture.T0,
                            "ticket-7"),
                    new LegAnswered(call.resId(), 0, EngineFixture.T0.plusSeconds(3), "ticket-7"),
                    cdr);
        }
    }

    @Test
    void anInboundCallReportsTheUserDataItIsAnsweredWith() {
        try (Fixture f = new Fixture(true)) {
            ScriptedSignaling.Inbound caller = f.sip.incoming("sip:555@10.0.0.1", "sip:100@127.0.0.1", true);
            String resId = f.recorder.next(CallEvent.Incoming.class).resId();
            f.engine.call(resId).answer("answered by agent 7");
            caller.confirm();
            caller.remoteHangup(200);

            CdrRecord cdr = f.awaitCdr(resId, 0);
            List<Object> calls = f.journal.of(resId, 0);
            assertThat(calls).hasSize(3);
            assertThat(((LegStarted) calls.get(0)).userData()).isEmpty();
            assertThat(calls.get(1)).isEqualTo(new LegAnswered(resId, 0, EngineFixture.T0, "answered by agent 7"));
            assertThat(calls.get(2)).isSameAs(cdr);
            assertThat(cdr.userData()).isEqualTo("answered by agent 7");
        }
    }

    @Test
    void anInboundCallNobodyListensForIsStartedAndEndedAllTheSame() {
        try (Fixture f = new Fixture(false)) {
            f.sip.incoming("sip:555@10.0.0.1", "sip:100@127.0.0.1", true);
            Await.until("a CDR", WAIT, () -> f.journal.cdrs.size() == 1);
            CdrRecord cdr = f.journal.cdrs.get(0);
            assertThat(cdr.cause()).isEqualTo(480);
            assertThat(f.journal.of(cdr.resId(), 0)).hasSize(2).first().isInstanceOf(LegStarted.class);
        }
    }

    @Test
    void aDialWithNoMediaIsStartedAndEndedAllTheSame() {
        try (Fixture f = new Fixture(true)) {
            f.media.failSessionsWith(503);
            Call call = f.engine.dial(EngineFixture.dialOptions(), f.recorder);
            CdrRecord cdr = f.awaitCdr(call.resId(), 0);
            assertThat(f.journal.of(call.resId(), 0)).hasSize(2).first().isInstanceOf(LegStarted.class);
            assertThat(cdr.answerTime()).isNull();
        }
    }

    @Test
    void aDuoCallbackReportsEachLegInTheOrderItHappened() {
        try (Fixture f = new Fixture(true)) {
            DuoCallback duo = f.engine.startDuoCallback(duoOptions(), f.recorder);
            f.sip.nextDialled(WAIT).answer();
            ScriptedSignaling.Outbound party2 = f.sip.nextDialled(WAIT);
            party2.ring();
            party2.answer();
            EngineFixture.awaitState(duo, org.cti4j.api.DuoCallbackState.CONNECTED);
            party2.remoteHangup(200);

            CdrRecord cdr1 = f.awaitCdr(duo.resId(), 1);
            CdrRecord cdr2 = f.awaitCdr(duo.resId(), 2);
            assertThat(f.journal.of(duo.resId(), 1)).hasSize(3).endsWith(cdr1);
            assertThat(f.journal.of(duo.resId(), 2)).hasSize(3).endsWith(cdr2);
            assertThat(f.journal.of(duo.resId(), 2).get(0)).isEqualTo(new LegStarted(duo.resId(), 2,
                    cdr2.callDir(), cdr2.fromUri(), cdr2.toUri(), cdr2.beginTime(), "party two"));
        }
    }

    /**
     * Many calls, inbound calls and duo callbacks driven at random from several threads (far ends, the application,
     * timers), then shut down: every leg that has a CDR was started once before it, answered once before it exactly
     * when its CDR says so, and nothing came after its CDR. A failure names the seed.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11L, 12L, 13L, 14L, 15L, 16L})
    void everyLegIsStartedOnceAndAnsweredAtMostOnceBeforeItsCdr(long seed) throws Exception {
        Fixture f = new Fixture(true);
        Random setup = new Random(seed);
        for (int i = 0; i < 120; i++) {
            create(f, setup);
        }
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> drivers = new ArrayList<>();
            for (int d = 0; d < 3; d++) {
                Random own = new Random(seed * 100 + d);
                drivers.add(threads.submit(() -> {
                    drive(f, own);
                    return null;
                }));
            }
            for (Future<?> driver : drivers) {
                driver.get(60, TimeUnit.SECONDS);
            }
            f.clock.advance(Duration.ofMinutes(30));
        } finally {
            threads.shutdownNow();
            f.engine.close();
        }

        String context = "seed " + seed;
        Await.until("every CDR", WAIT, () -> f.journal.cdrs.size() == f.sip.legs().size());
        assertThat(f.journal.byLeg).as(context).hasSameSizeAs(f.journal.cdrs);
        for (CdrRecord cdr : f.journal.cdrs) {
            List<Object> calls = f.journal.of(cdr.resId(), cdr.leg());
            String leg = context + ", leg " + cdr.resId() + "/" + cdr.leg() + ": " + calls;
            assertThat(calls).as(leg).hasSize(cdr.answerTime() == null ? 2 : 3).endsWith(cdr);
            LegStarted started = (LegStarted) calls.get(0);
            assertThat(started.beginTime()).as(leg).isEqualTo(cdr.beginTime());
            assertThat(started.callDir()).as(leg).isEqualTo(cdr.callDir());
            assertThat(started.toUri()).as(leg).isEqualTo(cdr.toUri());
            if (cdr.answerTime() != null) {
                LegAnswered answered = (LegAnswered) calls.get(1);
                assertThat(answered.answerTime()).as(leg).isEqualTo(cdr.answerTime());
                assertThat(answered.userData()).as(leg).isEqualTo(cdr.userData());
            }
        }
    }

    private static DuoCallbackOptions duoOptions() {
        return DuoCallbackOptions.builder().from1Uri("400@127.0.0.1").to1Uri("1001@127.0.0.1")
                .from2Uri("400@127.0.0.1").to2Uri("1002@127.0.0.1").maxConnectSeconds(120).maxRingSeconds(20)
                .userData1("party one").userData2("party two").build();
    }

    private static void create(Fixture f, Random random) {
        switch (random.nextInt(3)) {
            case 0 -> f.engine.dial(EngineFixture.dialOptions(), f.recorder);
            case 1 -> f.engine.startDuoCallback(duoOptions(), f.recorder);
            default -> f.sip.incoming("sip:5@10.0.0.1", "sip:1@127.0.0.1", random.nextBoolean());
        }
    }

    private static void drive(Fixture f, Random random) {
        for (int step = 0; step < 1_500; step++) {
            List<ScriptedSignaling.Leg> legs = f.sip.legs();
            List<Resource> live = new ArrayList<>(f.engine.resources());
            switch (random.nextInt(6)) {
                case 0, 1 -> {
                    if (!legs.isEmpty()) {
                        actAsFarEnd(legs.get(random.nextInt(legs.size())), random);
                    }
                }
                case 2, 3 -> {
                    if (!live.isEmpty()) {
                        actAsApplication(live.get(random.nextInt(live.size())), random);
                    }
                }
                case 4 -> f.clock.advance(Duration.ofMillis(random.nextInt(4_000)));
                default -> {
                    if (random.nextInt(5) == 0) {
                        create(f, random);
                    }
                }
            }
        }
    }

    private static void actAsFarEnd(ScriptedSignaling.Leg leg, Random random) {
        if (leg instanceof ScriptedSignaling.Outbound out) {
            switch (random.nextInt(5)) {
                case 0 -> out.ring();
                case 1, 2 -> out.answer();
                case 3 -> out.fail(486, "Busy Here");
                default -> out.remoteHangup(200);
            }
        } else if (leg instanceof ScriptedSignaling.Inbound in) {
            switch (random.nextInt(3)) {
                case 0, 1 -> in.confirm();
                default -> in.remoteHangup(200);
            }
        }
    }

    private static void actAsApplication(Resource target, Random random) {
        try {
            if (target instanceof Call call) {
                switch (random.nextInt(3)) {
                    case 0, 1 -> call.answer("answered " + random.nextInt(100));
                    default -> call.drop();
                }
            } else if (target instanceof DuoCallback duo) {
                duo.cancel();
            }
        } catch (RuntimeException e) {
            // Refusals are a defined outcome of a random schedule; anything else is a bug.
            assertThat(e).isInstanceOf(CtiError.class);
        }
    }
}
