package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;
import static org.cti4j.api.DuoCallbackState.ANSWERED;
import static org.cti4j.api.DuoCallbackState.CONNECTED;
import static org.cti4j.api.DuoCallbackState.INITIATED;
import static org.cti4j.api.DuoCallbackState.RELEASED;
import static org.cti4j.core.EngineFixture.T0;
import static org.cti4j.core.EngineFixture.WAIT;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.cti4j.api.CallDirection;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.DialError;
import org.cti4j.api.DroppedBy;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackListener;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.DuoCallbackState;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.InvalidStateException;
import org.cti4j.api.RecordFormat;
import org.cti4j.api.RecordMode;
import org.cti4j.api.RingPlayMode;
import org.cti4j.api.SipUri;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ManualScheduler;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedMedia.Connection;
import org.cti4j.core.testing.ScriptedMedia.Operation;
import org.cti4j.core.testing.ScriptedMedia.Session;
import org.cti4j.core.testing.ScriptedSignaling;
import org.cti4j.core.testing.ScriptedSignaling.Outbound;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The duo callback ({@code ext.duo_callback}) over scripted far ends, scripted media and a manual clock. */
class DuoCallbackTest {

    private static final SipUri FROM1 = SipUri.parse("sip:400@127.0.0.1");
    private static final SipUri TO1 = SipUri.parse("sip:1001@127.0.0.1:5062");
    private static final SipUri FROM2 = SipUri.parse("sip:401@127.0.0.1");
    private static final SipUri TO2 = SipUri.parse("sip:1002@127.0.0.1:5064");

    private static DuoCallbackOptions.Builder options() {
        return DuoCallbackOptions.builder()
                .from1Uri("sip:400@127.0.0.1").to1Uri("sip:1001@127.0.0.1:5062")
                .from2Uri("sip:401@127.0.0.1").to2Uri("sip:1002@127.0.0.1:5064")
                .maxConnectSeconds(600).maxRingSeconds(30)
                .userData1("u1").userData2("u2");
    }

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    /** A running duo callback and its scripted far ends. */
    private static final class Scenario {
        final EngineFixture f;
        final DuoCallback duo;
        final Outbound party1;
        Outbound party2;

        Scenario(EngineFixture f, DuoCallbackOptions options) {
            this.f = f;
            this.duo = f.engine.startDuoCallback(options, f.recorder);
            this.party1 = f.sip.nextDialled(WAIT);
        }

        /** Party 1's media session: the first one the engine created. */
        Session session1() {
            return f.media.sessions().get(0);
        }

        /** Party 2's media session: the second one. */
        Session session2() {
            return f.media.sessions().get(1);
        }

        /** Party 1 answers; the duo callback moves to ANSWERED and dials party 2. */
        Outbound answerParty1() {
            party1.answer();
            expectMove(INITIATED, ANSWERED);
            party2 = f.sip.nextDialled(WAIT);
            return party2;
        }

        /** Party 2 answers; the duo callback moves to CONNECTED. */
        void answerParty2() {
            party2.answer();
            expectMove(ANSWERED, CONNECTED);
        }

        /** Takes the next event, which must be the move {@code from} → {@code to}, and returns it. */
        DuoCallbackEvent.StateChanged expectMove(DuoCallbackState from, DuoCallbackState to) {
            DuoCallbackEvent.StateChanged event = f.recorder.next(DuoCallbackEvent.StateChanged.class);
            assertThat(event.resId()).isEqualTo(duo.resId());
            assertThat(List.of(event.from(), event.to())).as("the move").containsExactly(from, to);
            return event;
        }

        /**
         * Waits until every task posted to the duo callback's strand so far has run, by sending an event through
         * party 1's live leg and waiting for the media to see it.
         */
        void sync() {
            int before = session1().remotes().size();
            party1.remoteMediaChanged(ScriptedSignaling.FAR_END_MEDIA);
            Await.until("the duo callback's strand to catch up", WAIT,
                    () -> session1().remotes().size() == before + 1);
        }

        /** Takes the last two events: the move {@code from} → RELEASED and {@code on_released}. */
        DuoCallbackEvent.Released expectRelease(DuoCallbackState from) {
            DuoCallbackEvent.StateChanged move = expectMove(from, RELEASED);
            DuoCallbackEvent.Released released = f.recorder.next(DuoCallbackEvent.Released.class);
            assertThat(released.resId()).isEqualTo(duo.resId());
            assertThat(released.beginTime()).isEqualTo(T0);
            assertThat(released.endTime()).isEqualTo(move.time());
            assertThat(released.userData()).isEqualTo("u1");
            assertThat(released.userData2()).isEqualTo("u2");
            assertThat(duo.state()).isEqualTo(RELEASED);
            assertThat(duo.isReleased()).as("released when its onReleased is heard").isTrue();
            assertThat(duo.whenReleased()).succeedsWithin(WAIT).isEqualTo(released);
            return released;
        }

        /**
         * Checks the end: the CDRs (returned, in order), no media left, nothing in the registry, and - once the engine
         * has delivered every queued event - exactly one {@code on_released} and nothing after it.
         */
        List<CdrRecord> expectCleanEnd(int cdrCount) {
            Await.until(cdrCount + " CDRs", WAIT, () -> f.recorder.cdrs().size() >= cdrCount);
            Await.until("the registry to empty", WAIT, () -> f.engine.resources().isEmpty());
            assertThat(f.engine.find(duo.resId())).isEmpty();
            assertThat(f.media.openSessions()).as("open sessions").isEmpty();
            assertThat(f.media.openConnections()).as("open connections").isEmpty();
            assertThat(f.sip.pollDialled()).as("a leg dialled after the others").isNull();
            f.engine.close();
            assertThat(f.recorder.pending()).as("events after on_released").isEmpty();
            assertThat(f.recorder.releases()).containsExactly(entry(duo.resId(), 1));
            assertThat(f.recorder.violations()).isEmpty();
            List<CdrRecord> cdrs = f.recorder.cdrs();
            assertThat(cdrs).hasSize(cdrCount);
            assertThat(cdrs).allSatisfy(cdr -> assertThat(cdr.resId()).isEqualTo(duo.resId()));
            return cdrs;
        }
    }

    private static void assertBridged(Scenario s) {
        assertThat(s.f.media.openConnections())
                .extracting(Connection::source, Connection::sink)
                .containsExactlyInAnyOrder(tuple(s.session1(), s.session2()), tuple(s.session2(), s.session1()));
    }

    @Nested
    class WhenBothPartiesAnswer {

        @Test
        void dialsParty1ThenParty2BridgesThemAndReportsTheConversationWhenParty2HangsUp() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().build());
                String resId = s.duo.resId();
                assertThat(resId).matches("1\\.2\\.3-ext\\.duo_callback-\\d+");
                assertThat(s.duo.module()).isEqualTo(DuoCallback.MODULE);
                assertThat(s.duo.state()).isEqualTo(INITIATED);
                assertThat(s.duo.beginTime()).isEqualTo(T0);
                assertThat(s.party1.from()).isEqualTo(FROM1);
                assertThat(s.party1.to()).isEqualTo(TO1);
                assertThat(f.sip.pollDialled()).as("party 2 before party 1 answered").isNull();

                f.clock.advance(Duration.ofSeconds(5));
                s.party1.answer();
                assertThat(f.recorder.next(DuoCallbackEvent.StateChanged.class))
                        .isEqualTo(new DuoCallbackEvent.StateChanged(resId, INITIATED, ANSWERED, at(5)));
                Outbound party2 = f.sip.nextDialled(WAIT);
                s.party2 = party2;
                assertThat(party2.from()).isEqualTo(FROM2);
                assertThat(party2.to()).isEqualTo(TO2);
                assertThat(s.duo.state()).isEqualTo(ANSWERED);

                f.clock.advance(Duration.ofSeconds(5));
                party2.answer();
                assertThat(f.recorder.next(DuoCallbackEvent.StateChanged.class))
                        .isEqualTo(new DuoCallbackEvent.StateChanged(resId, ANSWERED, CONNECTED, at(10)));
                assertThat(s.duo.state()).isEqualTo(CONNECTED);
                assertThat(f.media.sessions()).hasSize(2);
                assertThat(s.session1().near()).as("party 1's session placed near").isNull();
                assertThat(s.session2().near()).as("party 2's session placed near").isSameAs(s.session1());
                assertBridged(s);

                f.awaitTimers(1);
                f.clock.advance(Duration.ofSeconds(5));
                party2.remoteHangup(200);
                assertThat(s.party1.awaitAction("hangup", WAIT)).isEqualTo("hangup 200");
                assertThat(f.recorder.next(DuoCallbackEvent.StateChanged.class))
                        .isEqualTo(new DuoCallbackEvent.StateChanged(resId, CONNECTED, RELEASED, at(15)));
                DuoCallbackEvent.Released released = f.recorder.next(DuoCallbackEvent.Released.class);
                assertThat(released).isEqualTo(new DuoCallbackEvent.Released(resId, null, T0, at(5), at(10), at(15),
                        "u1", "u2"));
                assertThat(s.duo.whenReleased()).succeedsWithin(WAIT).isEqualTo(released);
                assertThat(s.party1.actions()).containsExactly("hangup 200");
                assertThat(party2.actions()).isEmpty();
                assertThat(f.clock.pending()).as("timers left armed").isZero();

                List<CdrRecord> cdrs = s.expectCleanEnd(2);
                assertThat(cdrs).containsExactly(
                        new CdrRecord(resId, 1, CallDirection.OUTBOUND, FROM1, TO1, T0, at(5), at(15), DroppedBy.SYS,
                                200, "u1", null),
                        new CdrRecord(resId, 2, CallDirection.OUTBOUND, FROM2, TO2, at(5), at(10), at(15),
                                DroppedBy.USR, 200, "u2", null));
            }
        }

        @Test
        void hangsUpParty2WhenParty1HangsUpAfterTheConnect() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().build());
                s.answerParty1();
                s.answerParty2();

                s.party1.remoteHangup(200);

                assertThat(s.party2.awaitAction("hangup", WAIT)).isEqualTo("hangup 200");
                DuoCallbackEvent.Released released = s.expectRelease(CONNECTED);
                assertThat(released.error()).isNull();
                assertThat(released.answerTime()).isEqualTo(T0);
                assertThat(released.connectTime()).isEqualTo(T0);
                assertThat(s.party1.actions()).isEmpty();
                List<CdrRecord> cdrs = s.expectCleanEnd(2);
                assertThat(cdrs).extracting(CdrRecord::leg, CdrRecord::droppedBy, CdrRecord::cause)
                        .containsExactly(tuple(1, DroppedBy.USR, 200), tuple(2, DroppedBy.SYS, 200));
            }
        }

        @Test
        void hangsUpBothPartiesWhenMaxConnectSecondsElapse() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().build());
                s.answerParty1();
                s.answerParty2();
                f.awaitTimers(1);

                f.clock.advance(Duration.ofSeconds(599));
                s.sync();
                assertThat(s.duo.state()).isEqualTo(CONNECTED);
                assertThat(s.party1.actions()).isEmpty();
                assertThat(s.party2.actions()).isEmpty();

                f.clock.advance(Duration.ofSeconds(1));

                assertThat(s.party1.awaitAction("hangup", WAIT)).isEqualTo("hangup 200");
                assertThat(s.party2.awaitAction("hangup", WAIT)).isEqualTo("hangup 200");
                DuoCallbackEvent.Released released = s.expectRelease(CONNECTED);
                assertThat(released.error()).isNull();
                assertThat(released.connectTime()).isEqualTo(T0);
                assertThat(released.endTime()).isEqualTo(at(600));
                List<CdrRecord> cdrs = s.expectCleanEnd(2);
                assertThat(cdrs).extracting(CdrRecord::leg, CdrRecord::droppedBy, CdrRecord::cause)
                        .containsExactly(tuple(1, DroppedBy.SYS, 200), tuple(2, DroppedBy.SYS, 200));
            }
        }
    }

    @Nested
    class Release {

        /**
         * With the events delivered on the resource's own thread (an executor the API allows), the listener's
         * {@code onReleased} runs before {@code AbstractResource.emitFinal} has set {@code released} and left the
         * registry; with the default executor the same happens at random.
         */
        @Test
        void isReleasedAndGoneWhenItsListenerHearsOnReleased() {
            ScriptedSignaling sip = new ScriptedSignaling();
            ManualScheduler clock = new ManualScheduler(T0);
            try (CoreEngine engine = CoreEngine.builder().nodeId("1.2.3").signaling(sip).media(new ScriptedMedia())
                    .clock(clock).scheduler(clock).eventExecutor(Runnable::run).build()) {
                CompletableFuture<String> seen = new CompletableFuture<>();
                DuoCallback duo = engine.startDuoCallback(options().build(), new DuoCallbackListener() {
                    @Override
                    public void onReleased(DuoCallback released, DuoCallbackEvent.Released event) {
                        seen.complete("state " + released.state() + ", isReleased " + released.isReleased()
                                + ", found " + engine.find(released.resId()).isPresent());
                    }
                });

                sip.nextDialled(WAIT).fail(486, "Busy Here");

                assertThat(seen).succeedsWithin(WAIT).isEqualTo("state RELEASED, isReleased true, found false");
                assertThat(duo.whenReleased()).succeedsWithin(WAIT);
            }
        }
    }

    @Nested
    class WhenAPartyFails {

        @Test
        void reportsParty1sRejectionAndNeverDialsParty2() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().build());
                f.clock.advance(Duration.ofSeconds(3));

                s.party1.fail(486, "Busy Here");

                DuoCallbackEvent.Released released = s.expectRelease(INITIATED);
                assertThat(released.error()).isEqualTo("party 1: 486 Busy Here");
                assertThat(released.answerTime()).isNull();
                assertThat(released.connectTime()).isNull();
                assertThat(released.endTime()).isEqualTo(at(3));
                assertThat(s.party1.actions()).isEmpty();
                List<CdrRecord> cdrs = s.expectCleanEnd(1);
                assertThat(cdrs).containsExactly(new CdrRecord(s.duo.resId(), 1, CallDirection.OUTBOUND, FROM1, TO1,
                        T0, null, at(3), DroppedBy.USR, 486, "u1", new DialError(486, "Busy Here")));
            }
        }

        @Test
        void cancelsParty1WhenItRingsLongerThanMaxRingSeconds() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().build());
                s.party1.ring();
                f.awaitTimers(1);

                f.clock.advance(Duration.ofSeconds(29));
                assertThat(s.party1.actions()).isEmpty();
                f.clock.advance(Duration.ofSeconds(1));

                assertThat(s.party1.awaitAction("cancel", WAIT)).isEqualTo("cancel");
                DuoCallbackEvent.Released released = s.expectRelease(INITIATED);
                assertThat(released.error()).isEqualTo("party 1: no answer within 30 s");
                assertThat(released.answerTime()).isNull();
                assertThat(released.connectTime()).isNull();
                assertThat(released.endTime()).isEqualTo(at(30));
                CdrRecord cdr = s.expectCleanEnd(1).get(0);
                assertThat(cdr.leg()).isEqualTo(1);
                assertThat(cdr.cause()).isEqualTo(408);
                assertThat(cdr.droppedBy()).isEqualTo(DroppedBy.SYS);
                assertThat(cdr.answerTime()).isNull();
                assertThat(cdr.error()).isEqualTo(new DialError(408, "no answer within 30 s"));
            }
        }

        @Test
        void hangsUpParty1AndReportsParty2sRejection() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().build());
                f.clock.advance(Duration.ofSeconds(2));
                s.answerParty1();
                f.clock.advance(Duration.ofSeconds(4));

                s.party2.fail(486, "Busy Here");

                assertThat(s.party1.awaitAction("hangup", WAIT)).isEqualTo("hangup 200");
                DuoCallbackEvent.Released released = s.expectRelease(ANSWERED);
                assertThat(released.error()).isEqualTo("party 2: 486 Busy Here");
                assertThat(released.answerTime()).isEqualTo(at(2));
                assertThat(released.connectTime()).isNull();
                assertThat(released.endTime()).isEqualTo(at(6));
                assertThat(s.party2.actions()).isEmpty();
                List<CdrRecord> cdrs = s.expectCleanEnd(2);
                String resId = s.duo.resId();
                assertThat(cdrs).containsExactly(
                        new CdrRecord(resId, 1, CallDirection.OUTBOUND, FROM1, TO1, T0, at(2), at(6), DroppedBy.SYS,
                                200, "u1", null),
                        new CdrRecord(resId, 2, CallDirection.OUTBOUND, FROM2, TO2, at(2), null, at(6),
                                DroppedBy.USR, 486, "u2", new DialError(486, "Busy Here")));
            }
        }

        @Test
        void cancelsParty2AndHangsUpParty1WhenParty2RingsLongerThanMaxRingSeconds() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().build());
                s.answerParty1();
                s.party2.ring();
                f.awaitTimers(1);

                f.clock.advance(Duration.ofSeconds(30));

                assertThat(s.party2.awaitAction("cancel", WAIT)).isEqualTo("cancel");
                assertThat(s.party1.awaitAction("hangup", WAIT)).isEqualTo("hangup 200");
                DuoCallbackEvent.Released released = s.expectRelease(ANSWERED);
                assertThat(released.error()).isEqualTo("party 2: no answer within 30 s");
                assertThat(released.answerTime()).isEqualTo(T0);
                assertThat(released.connectTime()).isNull();
                List<CdrRecord> cdrs = s.expectCleanEnd(2);
                assertThat(cdrs).extracting(CdrRecord::leg, CdrRecord::droppedBy, CdrRecord::cause)
                        .containsExactly(tuple(1, DroppedBy.SYS, 200), tuple(2, DroppedBy.SYS, 408));
            }
        }

        @Test
        void cancelsParty2WhenParty1HangsUpWhileParty2Rings() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().build());
                s.answerParty1();
                s.party2.ring();
                f.awaitTimers(1);

                s.party1.remoteHangup(200);

                assertThat(s.party2.awaitAction("cancel", WAIT)).isEqualTo("cancel");
                DuoCallbackEvent.Released released = s.expectRelease(ANSWERED);
                assertThat(released.error()).isEqualTo("party 1 hung up while party 2 was dialled");
                assertThat(released.answerTime()).isEqualTo(T0);
                assertThat(released.connectTime()).isNull();
                assertThat(s.party1.actions()).isEmpty();
                assertThat(f.clock.pending()).as("party 2's ring timer").isZero();
                List<CdrRecord> cdrs = s.expectCleanEnd(2);
                assertThat(cdrs).extracting(CdrRecord::leg, CdrRecord::droppedBy, CdrRecord::cause)
                        .containsExactly(tuple(1, DroppedBy.USR, 200), tuple(2, DroppedBy.SYS, 487));
            }
        }

        @Test
        void releasesWithoutDiallingWhenNoMediaSessionCanBeHad() {
            try (EngineFixture f = new EngineFixture()) {
                f.media.failSessionsWith(503);
                DuoCallback duo = f.engine.startDuoCallback(options().build(), f.recorder);

                DuoCallbackEvent.StateChanged move = f.recorder.next(DuoCallbackEvent.StateChanged.class);
                assertThat(List.of(move.from(), move.to())).containsExactly(INITIATED, RELEASED);
                DuoCallbackEvent.Released released = f.recorder.next(DuoCallbackEvent.Released.class);
                assertThat(released.resId()).isEqualTo(duo.resId());
                assertThat(released.error()).startsWith("party 1: 503");
                assertThat(released.answerTime()).isNull();
                assertThat(released.connectTime()).isNull();
                assertThat(f.sip.pollDialled()).isNull();
                assertThat(f.sip.legs()).isEmpty();
                assertThat(f.media.sessions()).isEmpty();
                Await.until("the registry to empty", WAIT, () -> f.engine.resources().isEmpty());
                Await.until("the CDR", WAIT, () -> !f.recorder.cdrs().isEmpty());
                f.engine.close();
                assertThat(f.recorder.pending()).isEmpty();
                assertThat(f.recorder.releases()).containsExactly(entry(duo.resId(), 1));
                assertThat(f.recorder.violations()).isEmpty();
                assertThat(f.recorder.cdrs()).singleElement().satisfies(cdr -> {
                    assertThat(cdr.leg()).isEqualTo(1);
                    assertThat(cdr.cause()).isEqualTo(503);
                    assertThat(cdr.droppedBy()).isEqualTo(DroppedBy.SYS);
                });
            }
        }
    }

    @Nested
    class Cancel {

        @Test
        void cancelsParty1WhileItIsDialled() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().build());

                s.duo.cancel();

                assertThat(s.party1.awaitAction("cancel", WAIT)).isEqualTo("cancel");
                DuoCallbackEvent.Released released = s.expectRelease(INITIATED);
                assertThat(released.error()).isEqualTo("cancelled");
                assertThat(released.answerTime()).isNull();
                assertThat(released.connectTime()).isNull();
                CdrRecord cdr = s.expectCleanEnd(1).get(0);
                assertThat(cdr.leg()).isEqualTo(1);
                assertThat(cdr.droppedBy()).isEqualTo(DroppedBy.SYS);
                assertThat(cdr.cause()).isEqualTo(487);
            }
        }

        @Test
        void cancelsParty2AndHangsUpParty1WhileParty2IsDialled() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().build());
                s.answerParty1();

                s.duo.cancel();

                assertThat(s.party2.awaitAction("cancel", WAIT)).isEqualTo("cancel");
                assertThat(s.party1.awaitAction("hangup", WAIT)).isEqualTo("hangup 200");
                DuoCallbackEvent.Released released = s.expectRelease(ANSWERED);
                assertThat(released.error()).isEqualTo("cancelled");
                assertThat(released.answerTime()).isEqualTo(T0);
                assertThat(released.connectTime()).isNull();
                List<CdrRecord> cdrs = s.expectCleanEnd(2);
                assertThat(cdrs).extracting(CdrRecord::leg, CdrRecord::droppedBy, CdrRecord::cause)
                        .containsExactly(tuple(1, DroppedBy.SYS, 200), tuple(2, DroppedBy.SYS, 487));
            }
        }

        @Test
        void isRefusedOnceConnectedAndChangesNothing() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().build());
                s.answerParty1();
                s.answerParty2();

                assertThatThrownBy(s.duo::cancel)
                        .isInstanceOfSatisfying(InvalidStateException.class, e -> {
                            assertThat(e.resId()).isEqualTo(s.duo.resId());
                            assertThat(e.state()).isEqualTo("CONNECTED");
                            assertThat(e.operation()).isEqualTo("cancel");
                        })
                        .hasMessageContaining(s.duo.resId())
                        .hasMessageContaining("CONNECTED")
                        .hasMessageContaining("cancel");

                s.sync();
                assertThat(s.duo.state()).isEqualTo(CONNECTED);
                assertThat(f.recorder.pending()).as("events after the refused cancel").isEmpty();
                assertThat(s.party1.actions()).isEmpty();
                assertThat(s.party2.actions()).isEmpty();
                assertBridged(s);

                s.party2.remoteHangup(200);
                assertThat(s.expectRelease(CONNECTED).error()).isNull();
                s.expectCleanEnd(2);
            }
        }

        @Test
        void isRefusedOnceReleased() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().build());
                s.party1.fail(486, "Busy Here");
                s.expectRelease(INITIATED);

                assertThatThrownBy(s.duo::cancel)
                        .isInstanceOf(InvalidStateException.class)
                        .hasMessageContaining(s.duo.resId())
                        .hasMessageContaining("RELEASED")
                        .hasMessageContaining("cancel");

                s.expectCleanEnd(1);
            }
        }
    }

    @Nested
    class ReleaseAtAnyTime {

        @Test
        void hangsUpBothPartiesOfAConnectedDuoCallbackWithoutAnError() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().build());
                s.answerParty1();
                s.answerParty2();

                s.duo.release();

                assertThat(s.party1.awaitAction("hangup", WAIT)).isEqualTo("hangup 200");
                assertThat(s.party2.awaitAction("hangup", WAIT)).isEqualTo("hangup 200");
                DuoCallbackEvent.Released released = s.expectRelease(CONNECTED);
                assertThat(released.error()).isNull();
                assertThat(released.connectTime()).isEqualTo(T0);
                assertThat(s.expectCleanEnd(2)).extracting(CdrRecord::droppedBy)
                        .containsExactly(DroppedBy.SYS, DroppedBy.SYS);
            }
        }

        @Test
        void cancelsBeforeParty2IsConnected() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().build());
                s.answerParty1();

                s.duo.release();

                assertThat(s.party2.awaitAction("cancel", WAIT)).isEqualTo("cancel");
                assertThat(s.expectRelease(ANSWERED).error()).isEqualTo("cancelled");
                s.expectCleanEnd(2);
            }
        }

        @Test
        void isRefusedOnceReleased() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().build());
                s.party1.fail(486, "Busy Here");
                s.expectRelease(INITIATED);

                assertThatThrownBy(s.duo::release)
                        .isInstanceOfSatisfying(InvalidStateException.class,
                                e -> assertThat(e.operation()).isEqualTo("release"))
                        .hasMessageContaining("RELEASED");
                s.expectCleanEnd(1);
            }
        }
    }

    @Nested
    class RingPlayFile {

        @Test
        void startsOnlyWhenParty2RingsAndStopsAtTheAnswerByDefault() {
            try (EngineFixture f = new EngineFixture()) {
                DuoCallbackOptions options = options().ringPlayFile("ring.wav").build();
                assertThat(options.ringPlayMode()).isEqualTo(RingPlayMode.ON_RINGBACK);
                Scenario s = new Scenario(f, options);
                s.answerParty1();
                s.sync();
                assertThat(s.session1().operations()).as("what party 1 hears before party 2 rings").isEmpty();

                s.party2.ring();
                Await.until("the ring file", WAIT, () -> s.session1().last("loop ring.wav") != null);
                Operation ring = s.session1().last("loop ring.wav");
                assertThat(ring.isRunning()).isTrue();
                assertThat(s.session1().operations()).containsExactly(ring);
                assertThat(f.media.openConnections()).isEmpty();

                s.answerParty2();
                assertThat(ring.isRunning()).isFalse();
                assertThat(ring.isStoppedByEngine()).isTrue();
                assertBridged(s);

                s.party2.remoteHangup(200);
                s.expectRelease(CONNECTED);
                s.expectCleanEnd(2);
            }
        }

        @Test
        void untilRingbackPlaysFromTheDialAndGivesWayToAGeneratedRingbackOn180() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f,
                        options().ringPlayFile("ring.wav").ringPlayMode(RingPlayMode.UNTIL_RINGBACK).build());
                s.answerParty1();
                Await.until("the ring file", WAIT, () -> s.session1().last("loop ring.wav") != null);
                Operation ring = s.session1().last("loop ring.wav");
                assertThat(ring.isRunning()).isTrue();

                s.party2.ring();
                Await.until("the ringback tone", WAIT, () -> s.session1().last("ringback") != null);
                Operation tone = s.session1().last("ringback");
                assertThat(ring.isStoppedByEngine()).isTrue();
                assertThat(tone.isRunning()).isTrue();
                assertThat(f.media.openConnections()).isEmpty();

                s.answerParty2();
                assertThat(tone.isStoppedByEngine()).isTrue();
                assertBridged(s);

                s.party2.remoteHangup(200);
                s.expectRelease(CONNECTED);
                s.expectCleanEnd(2);
            }
        }

        @Test
        void untilRingbackGivesWayToParty2sEarlyMediaOn183() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f,
                        options().ringPlayFile("ring.wav").ringPlayMode(RingPlayMode.UNTIL_RINGBACK).build());
                s.answerParty1();
                Await.until("the ring file", WAIT, () -> s.session1().last("loop ring.wav") != null);
                Operation ring = s.session1().last("loop ring.wav");

                s.party2.earlyMedia();
                Await.until("the early media relay", WAIT, () -> !f.media.openConnections().isEmpty());
                assertThat(ring.isStoppedByEngine()).isTrue();
                assertThat(f.media.openConnections())
                        .extracting(Connection::source, Connection::sink)
                        .containsExactly(tuple(s.session2(), s.session1()));
                Connection relay = f.media.openConnections().get(0);
                assertThat(s.session1().last("ringback")).isNull();

                s.answerParty2();
                assertThat(relay.isClosed()).isTrue();
                assertBridged(s);
                assertThat(s.session1().operations()).allSatisfy(op -> assertThat(op.isRunning()).isFalse());

                s.party1.remoteHangup(200);
                s.expectRelease(CONNECTED);
                s.expectCleanEnd(2);
            }
        }

        @Test
        void untilAnswerPlaysFromTheDialThroughRingingAndEarlyMediaToTheAnswer() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f,
                        options().ringPlayFile("ring.wav").ringPlayMode(RingPlayMode.UNTIL_ANSWER).build());
                s.answerParty1();
                Await.until("the ring file", WAIT, () -> s.session1().last("loop ring.wav") != null);
                Operation ring = s.session1().last("loop ring.wav");

                s.party2.ring();
                s.sync();
                assertThat(ring.isRunning()).isTrue();
                s.party2.earlyMedia();
                s.sync();
                assertThat(ring.isRunning()).isTrue();
                assertThat(s.session1().operations()).containsExactly(ring);
                assertThat(f.media.openConnections()).isEmpty();

                s.answerParty2();
                assertThat(ring.isStoppedByEngine()).isTrue();
                assertBridged(s);

                s.party2.remoteHangup(200);
                s.expectRelease(CONNECTED);
                s.expectCleanEnd(2);
            }
        }

        @Test
        void untilAnswerStopsWhenParty2Fails() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().ringPlayFile("ring.wav").ringPlayMode(2).build());
                s.answerParty1();
                Await.until("the ring file", WAIT, () -> s.session1().last("loop ring.wav") != null);
                Operation ring = s.session1().last("loop ring.wav");

                s.party2.fail(603, "Decline");

                assertThat(s.expectRelease(ANSWERED).error()).isEqualTo("party 2: 603 Decline");
                assertThat(ring.isStoppedByEngine()).isTrue();
                s.expectCleanEnd(2);
            }
        }
    }

    @Nested
    class RingbackWithoutRingFile {

        @Test
        void playsAGeneratedRingbackToParty1When180Arrives() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().build());
                s.answerParty1();
                s.sync();
                assertThat(s.session1().operations()).isEmpty();

                s.party2.ring();
                Await.until("the ringback tone", WAIT, () -> s.session1().last("ringback") != null);
                Operation tone = s.session1().last("ringback");
                assertThat(tone.isRunning()).isTrue();
                assertThat(f.media.openConnections()).isEmpty();

                s.answerParty2();
                assertThat(tone.isStoppedByEngine()).isTrue();
                assertBridged(s);

                s.party2.remoteHangup(200);
                s.expectRelease(CONNECTED);
                s.expectCleanEnd(2);
            }
        }

        @Test
        void relaysParty2sEarlyMediaToParty1When183Arrives() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().build());
                s.answerParty1();

                s.party2.earlyMedia();
                Await.until("the early media relay", WAIT, () -> !f.media.openConnections().isEmpty());
                assertThat(f.media.openConnections())
                        .extracting(Connection::source, Connection::sink)
                        .containsExactly(tuple(s.session2(), s.session1()));
                Connection relay = f.media.openConnections().get(0);
                assertThat(s.session1().operations()).isEmpty();

                s.answerParty2();
                assertThat(relay.isClosed()).isTrue();
                assertBridged(s);

                s.party2.remoteHangup(200);
                s.expectRelease(CONNECTED);
                s.expectCleanEnd(2);
            }
        }

        @Test
        void stopsTheToneAndRelaysTheEarlyMediaWhen183Follows180() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().build());
                s.answerParty1();
                s.party2.ring();
                Await.until("the ringback tone", WAIT, () -> s.session1().last("ringback") != null);
                Operation tone = s.session1().last("ringback");

                s.party2.earlyMedia();
                Await.until("the early media relay", WAIT, () -> !f.media.openConnections().isEmpty());
                assertThat(tone.isStoppedByEngine()).isTrue();
                assertThat(f.media.openConnections())
                        .extracting(Connection::source, Connection::sink)
                        .containsExactly(tuple(s.session2(), s.session1()));
                Connection relay = f.media.openConnections().get(0);

                s.answerParty2();
                assertThat(relay.isClosed()).isTrue();
                assertThat(s.session1().operations()).containsExactly(tone);
                assertBridged(s);

                s.party2.remoteHangup(200);
                s.expectRelease(CONNECTED);
                s.expectCleanEnd(2);
            }
        }
    }

    @Nested
    class Recording {

        private static final String WAV = "record /tmp/duo.wav PCM_16BIT";

        @Test
        void startsOnlyAtTheConnectByDefaultAndStopsAtTheRelease() {
            try (EngineFixture f = new EngineFixture()) {
                DuoCallbackOptions options = options().recordFile("/tmp/duo.wav").build();
                assertThat(options.recordMode()).isEqualTo(RecordMode.ON_CONNECT);
                Scenario s = new Scenario(f, options);
                s.sync();
                assertThat(s.session1().last("record")).isNull();
                s.answerParty1();
                s.party2.ring();
                s.sync();
                assertThat(s.session1().last("record")).as("a recording before the connect").isNull();

                s.answerParty2();
                Await.until("the recording", WAIT, () -> s.session1().last("record") != null);
                Operation recording = s.session1().last("record");
                assertThat(recording.what()).isEqualTo(WAV);
                assertThat(recording.isRunning()).isTrue();
                assertThat(s.session2().last("record")).isNull();

                s.party2.remoteHangup(200);
                s.expectRelease(CONNECTED);
                assertThat(recording.isStoppedByEngine()).isTrue();
                assertThat(s.session1().operations()).filteredOn(op -> op.what().startsWith("record")).hasSize(1);
                s.expectCleanEnd(2);
            }
        }

        @Test
        void startsRightAfterParty1IsDialledInMode1() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().recordFile("/tmp/duo.wav").recordMode(1).build());

                Await.until("the recording", WAIT, () -> s.session1().last("record") != null);
                Operation recording = s.session1().last("record");
                assertThat(recording.what()).isEqualTo(WAV);
                assertThat(recording.isRunning()).isTrue();
                assertThat(s.duo.state()).isEqualTo(INITIATED);

                s.answerParty1();
                s.answerParty2();
                s.sync();
                assertThat(recording.isRunning()).isTrue();
                assertThat(s.session1().operations()).filteredOn(op -> op.what().startsWith("record")).hasSize(1);

                s.party1.remoteHangup(200);
                s.expectRelease(CONNECTED);
                assertThat(recording.isStoppedByEngine()).isTrue();
                s.expectCleanEnd(2);
            }
        }

        @Test
        void startsWhenParty2IsDialledInMode2() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f,
                        options().recordFile("/tmp/duo.wav").recordMode(RecordMode.FROM_PARTY2_DIAL).build());
                s.party1.ring();
                s.sync();
                assertThat(s.session1().last("record")).as("a recording before party 2 is dialled").isNull();

                s.answerParty1();
                Await.until("the recording", WAIT, () -> s.session1().last("record") != null);
                Operation recording = s.session1().last("record");
                assertThat(recording.what()).isEqualTo(WAV);
                assertThat(recording.isRunning()).isTrue();

                s.answerParty2();
                s.sync();
                assertThat(s.session1().operations()).filteredOn(op -> op.what().startsWith("record")).hasSize(1);

                s.party2.remoteHangup(200);
                s.expectRelease(CONNECTED);
                assertThat(recording.isStoppedByEngine()).isTrue();
                s.expectCleanEnd(2);
            }
        }

        @Test
        void usesTheRecordFormatGiven() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().recordFile("/tmp/duo.gsm").recordFormat(5).build());
                s.answerParty1();
                s.answerParty2();

                Await.until("the recording", WAIT, () -> s.session1().last("record") != null);
                assertThat(s.session1().last("record").what()).isEqualTo("record /tmp/duo.gsm GSM");

                s.party2.remoteHangup(200);
                s.expectRelease(CONNECTED);
                s.expectCleanEnd(2);
            }
        }

        @Test
        void recordsNothingWithoutARecordFile() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().build());
                s.answerParty1();
                s.answerParty2();
                s.sync();

                s.party2.remoteHangup(200);
                s.expectRelease(CONNECTED);
                s.expectCleanEnd(2);
                assertThat(f.media.sessions()).hasSize(2)
                        .allSatisfy(session -> assertThat(session.last("record")).isNull());
            }
        }

        @Test
        void stopsAtTheReleaseWhenParty2Fails() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().recordFile("/tmp/duo.wav").recordMode(2).build());
                s.answerParty1();
                Await.until("the recording", WAIT, () -> s.session1().last("record") != null);
                Operation recording = s.session1().last("record");

                s.party2.fail(486, "Busy Here");

                s.expectRelease(ANSWERED);
                assertThat(recording.isStoppedByEngine()).isTrue();
                s.expectCleanEnd(2);
            }
        }

        @Test
        void reportsACompleteRecordingInOnReleasedAndInBothCdrs() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().recordFile("/tmp/duo.wav").build());
                s.answerParty1();
                s.answerParty2();
                Await.until("the recording", WAIT, () -> s.session1().last("record") != null);

                s.party2.remoteHangup(200);
                DuoCallbackEvent.Released released = s.expectRelease(CONNECTED);
                assertThat(released.recordFile()).isEqualTo("/tmp/duo.wav");
                assertThat(released.recordError()).isNull();
                assertThat(s.expectCleanEnd(2)).extracting(CdrRecord::recordFile, CdrRecord::recordError)
                        .containsExactly(tuple("/tmp/duo.wav", null), tuple("/tmp/duo.wav", null));
            }
        }

        @Test
        void reportsAFailedRecordingInOnReleasedAndInBothCdrsWhileTheConversationGoesOn() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().recordFile("/tmp/duo.wav").build());
                s.answerParty1();
                s.answerParty2();
                Await.until("the recording", WAIT, () -> s.session1().last("record") != null);
                String why = "cannot record /tmp/duo.wav: No space left on device";
                s.session1().last("record").fail(why);
                s.sync();
                assertThat(s.duo.state()).as("the conversation goes on").isEqualTo(CONNECTED);

                s.party1.remoteHangup(200);
                DuoCallbackEvent.Released released = s.expectRelease(CONNECTED);
                assertThat(released.error()).as("the conversation itself ended well").isNull();
                assertThat(released.recordFile()).isEqualTo("/tmp/duo.wav");
                assertThat(released.recordError()).isEqualTo(why);
                assertThat(s.expectCleanEnd(2)).extracting(CdrRecord::leg, CdrRecord::recordError)
                        .containsExactly(tuple(1, why), tuple(2, why));
            }
        }

        @Test
        void reportsNoRecordingWhenTheDuoCallbackEndedBeforeItsRecordModeStartedIt() {
            try (EngineFixture f = new EngineFixture()) {
                Scenario s = new Scenario(f, options().recordFile("/tmp/duo.wav").build());
                s.party1.fail(486, "Busy Here");
                DuoCallbackEvent.Released released = s.expectRelease(INITIATED);
                assertThat(released.recordFile()).isNull();
                assertThat(released.recordError()).isNull();
                assertThat(s.expectCleanEnd(1)).singleElement()
                        .satisfies(cdr -> assertThat(cdr.recordFile()).isNull());
            }
        }

        @Test
        void refusesAnMp3RecordingAtOnceWhenTheMediaCannotWriteMp3() {
            try (EngineFixture f = new EngineFixture()) {
                f.media.formatsUnavailable(RecordFormat.MP3);
                for (DuoCallbackOptions refused : List.of(options().recordFile("/tmp/duo.mp3").build(),
                        options().recordFile("/tmp/duo.wav").recordFormat(6).build())) {
                    assertThatThrownBy(() -> f.engine.startDuoCallback(refused, f.recorder))
                            .isInstanceOfSatisfying(InvalidArgumentException.class,
                                    e -> assertThat(e.parameter()).isEqualTo("record_format"))
                            .hasMessageContaining("record_format 6 (MP3)")
                            .hasMessageContaining(refused.recordFile())
                            .hasMessageContaining("add the jump3r dependency");
                }
                assertThat(f.engine.resources()).isEmpty();
                assertThat(f.sip.pollDialled()).as("a party dialled for a refused duo callback").isNull();

                Scenario s = new Scenario(f, options().recordFile("/tmp/duo.gsm").build());
                s.party1.fail(486, "Busy Here");
                s.expectRelease(INITIATED);
                s.expectCleanEnd(1);
            }
        }
    }
}
