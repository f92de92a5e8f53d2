package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.CallState;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.DialOptions;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.media.RtpSession;
import org.cti4j.media.RtpStats;
import org.cti4j.sip.SipConfig;
import org.cti4j.sip.SipMutationRun;
import org.cti4j.sip.SipMutationTally;
import org.cti4j.sip.SipMutator;
import org.cti4j.sip.SipSignalingProvider;
import org.cti4j.sip.Tones;
import org.cti4j.sip.UncaughtThrowables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The robustness run of issue #11: an engine with real SIP and real media (the target) gets thousands of seeded
 * random mutated requests ({@link SipMutator}) over UDP and TCP, while a second engine (the caller) places good
 * calls to it one after another, two at a time, and garbage RTP ({@link GarbageRtp}) hits the media ports of every
 * call. Each side of a good call plays its own tone and records the call; what each recorded must hold the other
 * side's tone throughout (no stall, no noise), and each call must end with exactly one release and one CDR on each
 * engine. Nothing may throw out of a thread or be caught by the SIP catch-all, the target must answer OPTIONS
 * throughout, and a good call must complete afterwards. The counts are printed.
 *
 * <p>{@code -Dmutation.seed=N} and {@code -Dmutation.cases=N} rerun with another seed or count; a failure names the
 * seed.
 */
class MutationUnderCallsIT {

    private static final long SEED = Long.getLong("mutation.seed", 11);
    private static final int CASES = Integer.getInteger("mutation.cases", 2_400);
    private static final double TONE_TARGET = 1400;
    private static final double TONE_CALLER = 600;
    private static final double TONE_NOBODY = 1000;
    private static final int CALLERS = 2;
    private static final int MIN_GOOD_CALLS = 4;
    private static final int AUDIO_BYTES = 44 + 3 * 16_000;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private UncaughtThrowables uncaught;
    private SipSignalingProvider targetSip;
    private CoreEngine target;
    private SessionTap targetMedia;
    private CoreEngine caller;
    private SessionTap callerMedia;
    private final List<CdrRecord> targetCdrs = new CopyOnWriteArrayList<>();
    private final List<CdrRecord> callerCdrs = new CopyOnWriteArrayList<>();
    /** The target's good calls: their res_id by the user they were called at, and how often each was released. */
    private final Map<String, String> targetCalls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> targetReleases = new ConcurrentHashMap<>();
    private Path toneTarget;
    private Path toneCaller;

    /** What one good call brought: its number and the tone shares of both recordings, or what went wrong. */
    private record GoodCall(int number, String callerResId, String targetResId, double heardByCaller,
            double heardByTarget, double nobodyByCaller, double nobodyByTarget, String failure) {
        boolean good() {
            return failure == null && heardByCaller > 0.7 && heardByTarget > 0.7 && nobodyByCaller < 0.1
                    && nobodyByTarget < 0.1;
        }
    }

    @AfterEach
    void stop() {
        if (caller != null) {
            caller.close();
        }
        if (target != null) {
            target.close();
        }
        if (uncaught != null) {
            uncaught.close();
        }
    }

    @Test
    void mutatedSipAndGarbageRtpLeaveGoodCallsAndTheirAudioAlone() throws Exception {
        uncaught = new UncaughtThrowables();
        toneTarget = Tones.sine(dir.resolve("target-tone.wav"), TONE_TARGET, 30);
        toneCaller = Tones.sine(dir.resolve("caller-tone.wav"), TONE_CALLER, 30);
        // A call whose 200 OK could not reach its sender (a case that gave up waiting) ends after 5 s, not 32.
        targetSip = new SipSignalingProvider(SipConfig.builder().port(0).ackTimeout(Duration.ofSeconds(5)).build());
        targetMedia = new SessionTap(new RtpMediaProvider());
        target = CoreEngine.builder().nodeId("0.0.1").signaling(targetSip).media(targetMedia)
                .cdrListener(targetCdrs::add).build();
        target.setIncomingCallListener(new TargetListener());
        callerMedia = new SessionTap(new RtpMediaProvider());
        caller = CoreEngine.builder().nodeId("0.0.2").signaling(new SipSignalingProvider(SipConfig.builder().port(0)
                .build())).media(callerMedia).cdrListener(callerCdrs::add).build();

        AtomicBoolean attacking = new AtomicBoolean(true);
        List<GoodCall> goodCalls = new CopyOnWriteArrayList<>();
        AtomicInteger numbers = new AtomicInteger();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            Thread thread = new Thread(() -> {
                while (attacking.get() || goodCalls.size() < MIN_GOOD_CALLS) {
                    goodCalls.add(place(numbers.incrementAndGet()));
                }
            }, "good-calls-" + i);
            thread.start();
            callers.add(thread);
        }
        ScheduledExecutorService garbageSender = Executors.newSingleThreadScheduledExecutor();
        GarbageRtp garbage = new GarbageRtp(SEED);
        ScheduledFuture<?> aiming = garbageSender.scheduleAtFixedRate(() -> aimGarbage(garbage), 20, 20,
                TimeUnit.MILLISECONDS);

        SipMutationTally tally = new SipMutationTally();
        long started = System.nanoTime();
        try (SipMutationRun run = new SipMutationRun(new SipMutator(SEED), targetSip.port(), Duration.ofSeconds(2),
                64)) {
            run.run("UDP", 0, CASES / 2, tally, 100, this::targetAnswers);
            run.run("TCP", CASES / 2, CASES - CASES / 2, tally, 100, this::targetAnswers);
        } finally {
            attacking.set(false);
            for (Thread thread : callers) {
                thread.join(WAIT.toMillis() * 3);
            }
            aiming.cancel(false);
            garbageSender.shutdown();
            garbageSender.awaitTermination(5, TimeUnit.SECONDS);
            garbage.close();
        }
        long runMillis = (System.nanoTime() - started) / 1_000_000;
        GoodCall afterwards = place(numbers.incrementAndGet());

        long withAudio = goodCalls.stream().filter(GoodCall::good).count();
        RtpStats targetStats = targetMedia.totals();
        RtpStats callerStats = callerMedia.totals();
        System.out.printf("mutation run (seed %d) in %d ms: %s%n", SEED, runMillis, tally.summary());
        System.out.printf("mutation run: %d handling failures, %d uncaught %s; good calls during the run: %d "
                + "completed, %d with audio both ways; afterwards: %s%n", targetSip.handlingFailures(),
                uncaught.seen().size(), uncaught.seen(), goodCalls.size(), withAudio, afterwards);
        System.out.printf("mutation run: %d garbage RTP packets sent %s; target media %s; caller media %s%n",
                garbage.total(), garbage.byKind(), targetStats, callerStats);
        goodCalls.stream().filter(c -> !c.good()).forEach(c -> System.out.println("  bad good call: " + c));

        String seed = "seed " + SEED;
        assertThat(tally.cases).as("cases sent").isEqualTo(CASES);
        assertThat(tally.failedProbes).as("OPTIONS probes the target did not answer (%s)", seed).isEmpty();
        assertThat(tally.badStatusLines).as("malformed status lines (%s)", seed).isEmpty();
        assertThat(targetSip.handlingFailures()).as("throwables caught while handling SIP (%s)", seed).isZero();
        assertThat(uncaught.seen()).as("threads that died of an uncaught throwable (%s)", seed).isEmpty();
        assertThat(goodCalls).as("good calls during the run (%s)", seed).hasSizeGreaterThanOrEqualTo(MIN_GOOD_CALLS)
                .allSatisfy(c -> assertThat(c.good()).as("good call %s", c).isTrue());
        assertThat(afterwards.good()).as("a good call after the run: %s", afterwards).isTrue();
        assertThat(garbage.total()).as("garbage RTP packets sent").isGreaterThan(1_000);
        assertThat(targetStats.malformed()).as("garbage the target counted as malformed").isPositive();

        List<GoodCall> all = new ArrayList<>(goodCalls);
        all.add(afterwards);
        for (GoodCall call : all) {
            assertThat(callerCdrs).filteredOn(cdr -> cdr.resId().equals(call.callerResId()))
                    .as("CDRs of the caller's call %s", call).hasSize(1);
            assertThat(targetCdrs).filteredOn(cdr -> cdr.resId().equals(call.targetResId()))
                    .as("CDRs of the target's call %s", call).hasSize(1);
            assertThat(targetReleases.get("good" + call.number())).as("releases of the target's call %s", call)
                    .hasValue(1);
        }
    }

    private boolean targetAnswers() {
        return SipMutationRun.answersOptions(targetSip.port(), Duration.ofSeconds(5));
    }

    /**
     * Sends a burst of garbage to the RTP ports of every session that is sending (a live call's), from its first
     * packets on: before its far end's first packet arrives too.
     */
    private void aimGarbage(GarbageRtp garbage) {
        for (SessionTap tap : List.of(targetMedia, callerMedia)) {
            for (RtpSession session : tap.sessions()) {
                if (liveSent(session, session.stats().packetsSent())) {
                    garbage.burst(session.localPort(), 8);
                }
            }
        }
    }

    private final Map<RtpSession, Long> lastSent = new ConcurrentHashMap<>();

    /** Returns whether the session sent since the last look: it is still running. */
    private boolean liveSent(RtpSession session, long sent) {
        Long before = lastSent.put(session, sent);
        return before != null && sent > before;
    }

    /** Places one good call from the caller to the target: tones both ways, recorded on both sides, 3 s. */
    private GoodCall place(int number) {
        String user = "good" + number;
        Path heardByCaller = dir.resolve("caller-" + number + ".wav");
        Path heardByTarget = dir.resolve("target-" + number + ".wav");
        String callerResId = null;
        try {
            Call call = caller.dial(DialOptions.builder().fromUri("sip:caller@127.0.0.1")
                    .toUri("sip:" + user + "@127.0.0.1:" + targetSip.port()).maxAnswerSeconds(20).build(),
                    new CallListener() {
                    });
            callerResId = call.resId();
            Await.until("good call " + number + " answered", WAIT, () -> call.state() == CallState.IDLE);
            Call answered = target.call(targetCalls.get(user));
            Await.until("good call " + number + " confirmed", WAIT, () -> answered.state() == CallState.IDLE);
            answered.playStart(toneTarget.toString());
            answered.recordStart(heardByTarget.toString(), "");
            call.playStart(toneCaller.toString());
            call.recordStart(heardByCaller.toString(), "");
            Await.until("3 s of good call " + number + " recorded", WAIT, () -> size(heardByCaller) > AUDIO_BYTES);
            call.drop();
            call.whenReleased().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            Await.until("the target released good call " + number, WAIT, () -> targetReleases.containsKey(user));
            Await.until("the target's recording of good call " + number + " closed", WAIT,
                    () -> targetCdrs.stream().anyMatch(cdr -> cdr.resId().equals(targetCalls.get(user))));
            ToneCheck byCaller = ToneCheck.of(heardByCaller);
            ToneCheck byTarget = ToneCheck.of(heardByTarget);
            return new GoodCall(number, callerResId, targetCalls.get(user), byCaller.presence(TONE_TARGET),
                    byTarget.presence(TONE_CALLER), byCaller.presence(TONE_NOBODY), byTarget.presence(TONE_NOBODY),
                    null);
        } catch (Exception | AssertionError e) {
            return new GoodCall(number, callerResId, targetCalls.get(user), 0, 0, 0, 0, e.toString());
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The target's application: answers good calls (the test then plays and records on them) and the mutation run's
     * INVITEs whose SDP alone was mutated; refuses every other call.
     */
    private final class TargetListener implements CallListener {
        @Override
        public void onIncoming(Call call, CallEvent.Incoming event) {
            String user = call.toUri().user();
            if (user.startsWith("good")) {
                targetCalls.put(user, call.resId());
                call.answer();
            } else if (user.equals(SipMutator.SDP_USER)) {
                call.answer();
            } else {
                call.drop();
            }
        }

        @Override
        public void onReleased(Call call, CallEvent.Released event) {
            String user = call.toUri().user();
            if (user.startsWith("good")) {
                targetReleases.computeIfAbsent(user, u -> new AtomicInteger()).incrementAndGet();
            }
        }
    }
}
