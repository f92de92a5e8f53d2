package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.ConfVoice;
import org.cti4j.api.Conference;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.ConnectOptions;
import org.cti4j.api.CtiError;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.PlayOptions;
import org.cti4j.api.ReceiveDtmfOptions;
import org.cti4j.api.Resource;
import org.cti4j.api.SipUri;
import org.cti4j.api.VoiceMode;
import org.cti4j.core.internal.Internals;
import org.cti4j.core.spi.InboundLeg;
import org.cti4j.core.spi.LegListener;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.spi.OutboundLeg;
import org.cti4j.core.spi.PayloadType;
import org.cti4j.core.spi.SignalingLeg;
import org.cti4j.core.spi.SignalingProvider;
import org.cti4j.core.testing.ManualScheduler;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fires random interleavings of far-end outcomes, hang-ups, cancels, timer expiries, media completions, API calls and
 * clock steps at many resources, then checks the engine's promises: every resource released exactly once with
 * exactly one {@code onReleased} and nothing after it, one CDR per leg agreeing with its call's {@code onReleased}
 * and never ending before it began or was answered, the registry empty, every media session closed.
 *
 * <p>Deterministic: one thread does everything, and the seed decides everything. The engine's strands and listener
 * calls run on a pool whose queued tasks this test runs itself, one at a time, picking which one next at random; the
 * far ends are the engine's own {@link LegListener}s, called directly as a SIP thread would; an application's API
 * call is queued on the resource's strand, which is what an application thread's call does. So each step is one of:
 * an event or a command enters a strand's queue, or one queued task runs — every order in which a strand can see
 * its events is reachable, and a seed that fails fails again, every time.
 *
 * <p>The seeds run are {@code 1..}{@value #SEEDS}; {@code -Dexactlyonce.seed=N} runs seed {@code N} alone. A failure
 * names its seed and the last steps taken. {@link ExactlyOnceThreadsTest} does the same on real threads.
 */
class ExactlyOnceRandomizedTest {

    /** The system property that runs one seed alone: {@code -Dexactlyonce.seed=4}. */
    static final String SEED_PROPERTY = "exactlyonce.seed";
    private static final int SEEDS = 16;
    private static final int STEPS = 20_000;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static LongStream seeds() {
        String one = System.getProperty(SEED_PROPERTY, "").trim();
        return one.isEmpty() ? LongStream.rangeClosed(1, SEEDS) : LongStream.of(Long.parseLong(one));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyResourceIsReleasedExactlyOnceWhateverTheInterleaving(long seed) {
        Simulation sim = new Simulation(seed);
        boolean ran = false;
        try {
            sim.run();
            ran = true;
            sim.check();
        } catch (AssertionError | RuntimeException e) {
            String steps = ran ? "" : "; its last steps:\n  " + String.join("\n  ", sim.trace);
            throw new AssertionError("seed " + seed + " failed (run it alone with -D" + SEED_PROPERTY + "=" + seed
                    + ")" + steps + "\n" + e.getMessage(), e);
        } finally {
            sim.engine.close();
        }
    }

    /** One seed's run: the engine, its doubles, and the random source that decides every step. */
    private static final class Simulation {

        private final Random random;
        private final TaskPool pool = new TaskPool();
        private final ManualScheduler timers = new ManualScheduler(T0);
        private final SteppedClock clock = new SteppedClock(timers);
        private final FarEnds sip = new FarEnds();
        private final ScriptedMedia media = new ScriptedMedia();
        private final Recorder recorder = new Recorder();
        private final CoreEngine engine;
        private final Conference conference;
        /** What went wrong inside a task: an API call that threw something other than a refusal. */
        private final List<String> failures = new ArrayList<>();
        /** The digit collections started (those refused are not), in order. */
        private final List<Started<CallEvent.ReceiveDtmfCompleted>> collections = new ArrayList<>();
        /** The key sequences started (those refused are not), in order. */
        private final List<Started<CallEvent.SendDtmfCompleted>> sendings = new ArrayList<>();
        private final List<Started<CallEvent.PlayCompleted>> playings = new ArrayList<>();
        /** The connections started (those refused are not), in order. */
        private final List<Started<CallEvent.ConnectCompleted>> connectings = new ArrayList<>();
        private final List<Started<CallEvent.HoldCompleted>> holdings = new ArrayList<>();
        /** The last steps, for the failure message. */
        private final Deque<String> trace = new ArrayDeque<>();

        Simulation(long seed) {
            random = new Random(seed);
            engine = CoreEngine.builder().nodeId("1.2.3").signaling(sip).media(media).clock(clock).scheduler(timers)
                    .strandPool(pool).eventExecutor(pool).cdrListener(recorder).incomingCallListener(recorder)
                    .inboundAnswerTimeout(Duration.ofSeconds(60)).build();
            conference = engine.createConference(ConferenceOptions.builder().maxSeconds(90).build(), recorder);
            for (int i = 0; i < 100; i++) {
                create();
            }
        }

        void run() {
            for (int step = 0; step < STEPS; step++) {
                int roll = random.nextInt(100);
                if (roll < 50) {
                    pool.runOne(random);
                } else if (roll < 64) {
                    actAsFarEnd();
                } else if (roll < 78) {
                    actAsApplication();
                } else if (roll < 86) {
                    actOnMedia();
                } else if (roll < 94) {
                    step("advance", () -> timers.advance(Duration.ofMillis(random.nextInt(4_000))));
                } else if (roll < 96) {
                    step("clock steps back", () -> clock.stepBack(Duration.ofMillis(1 + random.nextInt(2_000))));
                } else {
                    create();
                }
            }
            // Whatever is still alive now ends by its timers (every one is bounded) or by shutdown.
            for (int i = 0; i < 3; i++) {
                timers.advance(Duration.ofMinutes(10));
                pool.runAll(random);
            }
            engine.shutdown();
            pool.runAll(random);
            try {
                engine.shutdown().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("the engine did not stop: " + engine.resources() + " live", e);
            }
        }

        void check() {
            assertThat(failures).as("API calls that failed other than by a refusal").isEmpty();
            assertThat(recorder.violations()).isEmpty();
            assertThat(engine.resources()).isEmpty();
            long resources = recorder.all().stream().map(Recorder::resIdOf).distinct().count();
            assertThat(recorder.releases()).hasSize((int) resources)
                    .allSatisfy((resId, count) -> assertThat(count).as("onReleased of " + resId).isEqualTo(1));

            // One CDR per leg: every leg the engine dialled or was offered, and no other.
            assertThat(recorder.cdrs()).hasSize(sip.legs.size());
            Map<String, CallEvent.Released> callReleases = new HashMap<>();
            recorder.all().stream().filter(CallEvent.Released.class::isInstance).map(CallEvent.Released.class::cast)
                    .forEach(r -> callReleases.put(r.resId(), r));
            Set<String> legs = new HashSet<>();
            for (CdrRecord cdr : recorder.cdrs()) {
                assertThat(legs.add(cdr.resId() + "/" + cdr.leg())).as("one CDR for " + cdr).isTrue();
                assertThat(cdr.endTime()).as("the end of " + cdr).isAfterOrEqualTo(cdr.beginTime());
                if (cdr.answerTime() != null) {
                    assertThat(cdr.answerTime()).as("the answer of " + cdr).isAfterOrEqualTo(cdr.beginTime());
                    assertThat(cdr.endTime()).as("the end of " + cdr).isAfterOrEqualTo(cdr.answerTime());
                }
                CallEvent.Released released = callReleases.get(cdr.resId());
                if (released != null) {
                    assertThat(cdr.cause()).as("CDR and onReleased of " + cdr.resId()).isEqualTo(released.cause());
                    assertThat(cdr.droppedBy()).isEqualTo(released.droppedBy());
                    assertThat(cdr.answerTime()).isEqualTo(released.answerTime());
                    assertThat(cdr.endTime()).isEqualTo(released.endTime());
                }
            }
            // Every digit collection, playback (one file, or a list with finish keys), key sequence, connection,
            // hold and unhold started ended exactly once: one event, to the call it was started on, and its stage completed with it.
            assertEachEndedOnce("on_receive_dtmf_completed", collections, CallEvent.ReceiveDtmfCompleted.class);
            assertEachEndedOnce("on_play_completed", playings, CallEvent.PlayCompleted.class);
            assertEachEndedOnce("on_send_dtmf_completed", sendings, CallEvent.SendDtmfCompleted.class);
            assertEachEndedOnce("on_connect_completed", connectings, CallEvent.ConnectCompleted.class);
            assertEachEndedOnce("on_hold_completed", holdings, CallEvent.HoldCompleted.class);
            assertThat(media.openSessions()).isEmpty();
            assertThat(media.openConnections()).isEmpty();
            assertThat(media.mixers()).allMatch(ScriptedMedia.Mixer::isClosed);
            assertThat(sip.closed).isTrue();
        }

        private <E extends CallEvent> void assertEachEndedOnce(String event, List<Started<E>> started,
                Class<E> type) {
            for (Started<E> one : started) {
                assertThat(one.stage().toCompletableFuture()).as(event + " of " + one.resId())
                        .isCompletedWithValueMatching(e -> e.resId().equals(one.resId()));
            }
            Map<String, Long> heard = new HashMap<>();
            recorder.all().stream().filter(type::isInstance).map(e -> type.cast(e).resId())
                    .forEach(resId -> heard.merge(resId, 1L, Long::sum));
            Map<String, Long> starts = new HashMap<>();
            started.forEach(one -> starts.merge(one.resId(), 1L, Long::sum));
            assertThat(heard).as(event + " per call").isEqualTo(starts);
        }

        private void step(String what, Runnable action) {
            if (trace.size() == 40) {
                trace.removeFirst();
            }
            trace.addLast(what);
            action.run();
        }

        private void create() {
            switch (random.nextInt(3)) {
                case 0 -> step("dial", () -> engine.dial(EngineFixture.dialOptions(), recorder));
                case 1 -> {
                    boolean prompted = random.nextBoolean();
                    DuoCallbackOptions options = DuoCallbackOptions.builder()
                            .from1Uri("400@127.0.0.1").to1Uri("1001@127.0.0.1").from2Uri("400@127.0.0.1")
                            .to2Uri("1002@127.0.0.1").maxConnectSeconds(120).maxRingSeconds(20)
                            .ringPlayFile(random.nextBoolean() ? "ring.wav" : null).ringPlayMode(random.nextInt(3))
                            .recordFile(random.nextBoolean() ? "r.wav" : null).recordMode(random.nextInt(3))
                            .promptFile(prompted ? "prompt.wav" : null)
                            .promptAfterSeconds(prompted ? random.nextInt(6) : 0).build();
                    step("duo callback", () -> engine.startDuoCallback(options, recorder));
                }
                default -> {
                    boolean withOffer = random.nextBoolean();
                    step("inbound call", () -> sip.offer(withOffer));
                }
            }
        }

        private void actAsFarEnd() {
            if (sip.legs.isEmpty()) {
                return;
            }
            if (!sip.infos.isEmpty() && random.nextInt(4) == 0) {
                SignalingLeg.InfoListener info = sip.infos.remove(random.nextInt(sip.infos.size()));
                String error = random.nextBoolean() ? null : "415 Unsupported Media Type";
                step("far end: INFO answered " + (error == null ? "200" : "415"), () -> info.onAnswered(error));
                return;
            }
            if (!sip.reoffers.isEmpty() && random.nextInt(4) == 0) {
                SignalingLeg.ReofferListener reoffer = sip.reoffers.remove(random.nextInt(sip.reoffers.size()));
                int status = new int[] {200, 200, 491, 408}[random.nextInt(4)];
                MediaDescription answer = status == 200 ? ScriptedSignaling.FAR_END_MEDIA : null;
                step("far end: re-INVITE answered " + status,
                        () -> reoffer.onAnswered(answer, status, status == 200 ? null : status + " failed"));
                return;
            }
            FarEnd leg = sip.legs.get(random.nextInt(sip.legs.size()));
            LegListener l = leg.listener;
            String who = "far end " + sip.legs.indexOf(leg) + ": ";
            // Half the far ends negotiate no telephone-event: keys are then sent to them by SIP INFO.
            MediaDescription media = random.nextBoolean() ? ScriptedSignaling.FAR_END_MEDIA : WITHOUT_EVENTS;
            if (leg.inbound == null) {
                switch (random.nextInt(7)) {
                    case 0, 1 -> step(who + "180", () -> l.onProvisional(180, null));
                    case 2 -> step(who + "183", () -> l.onProvisional(183, media));
                    case 3, 4 -> step(who + "200", () -> l.onAnswered(media));
                    case 5 -> {
                        int status = new int[] {404, 486, 603, 408, 500}[random.nextInt(5)];
                        step(who + status, () -> l.onFailed(status, "Scripted"));
                    }
                    default -> step(who + "BYE", () -> l.onRemoteHangup(200));
                }
            } else {
                switch (random.nextInt(6)) {
                    case 0, 1 -> step(who + "ACK", () -> l.onConfirmed(leg.withOffer ? null : media));
                    case 2 -> {
                        int cause = random.nextBoolean() ? 487 : 200;
                        step(who + (cause == 487 ? "CANCEL" : "BYE"), () -> l.onRemoteHangup(cause));
                    }
                    case 3 -> {
                        char digit = "0123456789*#".charAt(random.nextInt(12));
                        step(who + "INFO " + digit, () -> l.onDtmf(digit));
                    }
                    case 4 -> step(who + "re-INVITE", () -> l.onRemoteMediaChanged(media));
                    default -> step(who + "no ACK", () -> l.onGaveUp(408, "no ACK"));
                }
            }
        }

        private void actAsApplication() {
            List<Resource> live = new ArrayList<>(engine.resources());
            if (live.isEmpty()) {
                return;
            }
            live.sort(Comparator.comparingLong(Resource::processId));
            Resource target = live.get(random.nextInt(live.size()));
            int choice = random.nextInt(20);
            Runnable command;
            String what;
            if (target instanceof Call call) {
                String conferenceId = conference.resId();
                what = new String[] {"answer", "answer", "drop", "redirect", "playStart", "playStop", "recordStart",
                    "recordStop", "confEnter", "confEnter", "confExit", "receiveDtmfStart", "receiveDtmfStop", "sendDtmfStart",
                    "connectStart", "connectStart", "connectStop",
                    "sendDtmfStop", "hold", "unhold"}[choice];
                boolean prompt = random.nextBoolean();
                command = switch (choice) {
                    case 0, 1 -> () -> call.answer("u");
                    case 2 -> call::drop;
                    case 3 -> () -> call.redirect("sip:9@127.0.0.1");
                    case 4 -> () -> playings.add(new Started<>(call.resId(), prompt ? call.playStart("a.wav")
                            : call.playStart(PlayOptions.builder().playFile("a.wav").playFile("b.wav").playRepeat(2)
                                    .finishKey("#5").build())));
                    case 5 -> call::playStop;
                    case 6 -> () -> call.recordStart("c.wav", "#");
                    case 7 -> call::recordStop;
                    case 8, 9 -> voiceCommand(call, conferenceId, live);
                    case 10 -> () -> call.confExit(conferenceId);
                    case 11 -> () -> collections.add(new Started<>(call.resId(), call.receiveDtmfStart(
                            ReceiveDtmfOptions.builder().maxKeys(3).firstKeyTimeout(5).continuesKeysTimeout(2)
                                    .playFile(prompt ? "menu.wav" : "").build())));
                    case 12 -> call::receiveDtmfStop;
                    case 13 -> () -> sendings.add(new Started<>(call.resId(), call.sendDtmfStart("12,#")));
                    case 14, 15 -> {
                        // Any call, this one and released ones among them: refusals are outcomes too.
                        Resource other = live.get(random.nextInt(live.size()));
                        ConnectOptions options = ConnectOptions.builder().call(other.resId())
                                .maxSeconds(random.nextInt(3) * 20).mode(1 + random.nextInt(3))
                                .recordFile(random.nextBoolean() ? "pair.wav" : "").build();
                        yield () -> connectings.add(new Started<>(call.resId(), call.connectStart(options)));
                    }
                    case 16 -> call::connectStop;
                    case 18 -> () -> holdings.add(new Started<>(call.resId(), call.hold()));
                    case 19 -> () -> holdings.add(new Started<>(call.resId(), call.unhold()));
                    default -> call::sendDtmfStop;
                };
            } else if (target instanceof DuoCallback duo) {
                what = "cancel";
                command = duo::cancel;
            } else if (target instanceof Conference conf && choice == 0) {
                what = "release";
                command = conf::release;
            } else {
                return;
            }
            // What an application thread's call does: the command waits its turn on the resource's strand.
            step(target.resId() + "." + what, () -> Internals.post(target, () -> {
                try {
                    command.run();
                } catch (RuntimeException e) {
                    // A refusal is a defined outcome of a random schedule; anything else is a bug.
                    if (!(e instanceof CtiError)) {
                        failures.add(target.resId() + "." + what + ": " + e);
                    }
                }
            }));
        }

        /** Enters the conference as a random voice, or changes the voice (a coach coaches a random call). */
        private Runnable voiceCommand(Call call, String conferenceId, List<Resource> live) {
            VoiceMode mode = VoiceMode.ofCode(1 + random.nextInt(4));
            ConfVoice voice = mode == VoiceMode.COACH
                    ? ConfVoice.coaching(live.get(random.nextInt(live.size())).resId()) : ConfVoice.of(mode);
            return switch (random.nextInt(3)) {
                case 0 -> () -> call.confEnter(conferenceId);
                case 1 -> () -> call.confEnter(conferenceId, voice);
                default -> () -> call.confVoiceMode(conferenceId, voice);
            };
        }

        private void actOnMedia() {
            List<ScriptedMedia.Session> sessions = media.sessions();
            if (sessions.isEmpty()) {
                return;
            }
            int index = random.nextInt(sessions.size());
            ScriptedMedia.Session session = sessions.get(index);
            String who = "media " + index + ": ";
            switch (random.nextInt(4)) {
                case 0 -> {
                    char digit = "0123456789*#".charAt(random.nextInt(12));
                    step(who + "RFC 4733 " + digit, () -> session.dtmf(digit));
                }
                case 1 -> step(who + "inactivity", session::inactivity);
                default -> {
                    List<ScriptedMedia.Operation> operations = session.operations();
                    if (!operations.isEmpty()) {
                        ScriptedMedia.Operation operation = operations.get(random.nextInt(operations.size()));
                        if (random.nextBoolean()) {
                            step(who + operation + " finishes", operation::finish);
                        } else {
                            step(who + operation + " fails", () -> operation.fail("scripted failure"));
                        }
                    }
                }
            }
        }
    }

    /** A digit collection, playback, key sequence or connection an API call started, and its stage. */
    private record Started<E>(String resId, java.util.concurrent.CompletionStage<E> stage) {
    }

    /** The pool the engine's strands and listener calls run on: its tasks run when the test says, in its order. */
    private static final class TaskPool implements Executor {
        private final List<Runnable> queued = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            queued.add(task);
        }

        /** Runs one queued task, picked at random; nothing if none is queued. */
        void runOne(Random random) {
            if (!queued.isEmpty()) {
                queued.remove(random.nextInt(queued.size())).run();
            }
        }

        /** Runs queued tasks, picked at random, until none is left. */
        void runAll(Random random) {
            while (!queued.isEmpty()) {
                runOne(random);
            }
        }
    }

    /** The engine's clock: the manual scheduler's time, less every step back the test made. */
    private static final class SteppedClock implements InstantSource {
        private final ManualScheduler timers;
        private volatile Duration back = Duration.ZERO;

        SteppedClock(ManualScheduler timers) {
            this.timers = timers;
        }

        void stepBack(Duration step) {
            back = back.plus(step);
        }

        @Override
        public Instant instant() {
            return timers.instant().minus(back);
        }
    }

    /** A far end's media without telephone-event. */
    private static final MediaDescription WITHOUT_EVENTS = new MediaDescription("127.0.0.1", 40000,
            List.of(PayloadType.PCMU, PayloadType.PCMA), MediaDirection.SENDRECV);

    /** One far end: the engine's listener for its leg, and for an inbound leg, the leg offered. */
    private record FarEnd(LegListener listener, InboundLeg inbound, boolean withOffer) {
    }

    /**
     * The signalling provider: records each leg the engine dials or is offered, with the listener it gave, so that
     * the test can be the far end without waiting for the engine (which runs only when the test runs its tasks).
     */
    private static final class FarEnds implements SignalingProvider {
        private final List<FarEnd> legs = new ArrayList<>();
        /** The INFOs the engine sent, not answered yet. */
        private final List<SignalingLeg.InfoListener> infos = new ArrayList<>();
        /** The re-INVITEs the engine sent, not answered yet. */
        private final List<SignalingLeg.ReofferListener> reoffers = new ArrayList<>();
        private InboundCallHandler handler;
        private volatile boolean closed;

        @Override
        public void start(InboundCallHandler inboundHandler) {
            this.handler = inboundHandler;
        }

        @Override
        public OutboundLeg dial(SipUri from, SipUri to, MediaDescription offer, LegListener listener) {
            legs.add(new FarEnd(listener, null, false));
            return new OutboundLeg() {
                @Override
                public void cancel() {
                }

                @Override
                public void hangup(int cause) {
                }

                @Override
                public void sendDtmfInfo(char key, int durationMillis, InfoListener listener) {
                    infos.add(listener);
                }

                @Override
                public void reoffer(MediaDirection direction, ReofferListener listener) {
                    reoffers.add(listener);
                }
            };
        }

        void offer(boolean withOffer) {
            InboundLeg leg = new InboundLeg() {
                @Override
                public SipUri from() {
                    return SipUri.parse("sip:5@10.0.0.1");
                }

                @Override
                public SipUri to() {
                    return SipUri.parse("sip:1@127.0.0.1");
                }

                @Override
                public java.util.Optional<MediaDescription> offer() {
                    return java.util.Optional.ofNullable(withOffer ? ScriptedSignaling.FAR_END_MEDIA : null);
                }

                @Override
                public void ring() {
                }

                @Override
                public void answer(MediaDescription local) {
                }

                @Override
                public void reject(int status) {
                }

                @Override
                public void redirect(SipUri target) {
                }

                @Override
                public void hangup(int cause) {
                }

                @Override
                public void sendDtmfInfo(char key, int durationMillis, InfoListener listener) {
                    infos.add(listener);
                }

                @Override
                public void reoffer(MediaDirection direction, ReofferListener listener) {
                    reoffers.add(listener);
                }
            };
            legs.add(new FarEnd(handler.onInboundCall(leg), leg, withOffer));
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
