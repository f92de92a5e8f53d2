package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cti4j.api.DuoCallbackState.ANSWERED;
import static org.cti4j.api.DuoCallbackState.CONNECTED;
import static org.cti4j.api.DuoCallbackState.INITIATED;
import static org.cti4j.api.DuoCallbackState.RELEASED;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.CallDirection;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.DroppedBy;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackListener;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.DuoCallbackState;
import org.cti4j.api.InvalidStateException;
import org.cti4j.api.SipUri;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.sip.Baresip;
import org.cti4j.sip.Baresip.AnswerMode;
import org.cti4j.sip.SipConfig;
import org.cti4j.sip.SipSignalingProvider;
import org.cti4j.sip.Tones;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a duo callback ({@code ext.duo_callback}) can end, end to end: the engine (cti-sip, cti-media) calls two
 * real baresip phones over loopback. Each test checks {@code on_released} (error, times, user data), the state moves
 * the listener heard, the CDRs of the legs, and what the phones saw.
 */
class DuoCallbackOutcomesIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** How long nothing more must happen once a duo callback is released. */
    private static final Duration QUIET = Duration.ofMillis(500);
    private static final double TONE_1 = 600;
    private static final double TONE_2 = 1400;
    private static final String FROM1 = "sip:400@127.0.0.1";
    private static final String FROM2 = "sip:401@127.0.0.1";
    private static final String USER_DATA_1 = "ticket-17/party-1";
    private static final String USER_DATA_2 = "ticket-17/party-2";

    @TempDir
    Path temp;
    private CoreEngine engine;
    private Baresip phone1;
    private Baresip phone2;
    private final List<CdrRecord> cdrs = new CopyOnWriteArrayList<>();
    private final BlockingQueue<DuoCallbackEvent> events = new LinkedBlockingQueue<>();
    private final DuoCallbackListener listener = new DuoCallbackListener() {
        @Override
        public void onStateChanged(DuoCallback duoCallback, DuoCallbackEvent.StateChanged event) {
            events.add(event);
        }

        @Override
        public void onReleased(DuoCallback duoCallback, DuoCallbackEvent.Released event) {
            events.add(event);
        }
    };

    @BeforeEach
    void startEngine() {
        Baresip.requireInstalled();
        SipSignalingProvider sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        engine = CoreEngine.builder().nodeId("0.0.9").signaling(sip).media(new RtpMediaProvider())
                .cdrListener(cdrs::add).build();
    }

    @AfterEach
    void stopAll() throws Exception {
        try {
            if (engine != null) {
                engine.close();
            }
        } finally {
            try {
                if (phone1 != null) {
                    phone1.close();
                }
            } finally {
                if (phone2 != null) {
                    phone2.close();
                }
            }
        }
    }

    // ---- outcomes ----

    @Test
    void bothAnswerTalkAndPartyTwoHangsUp() throws Exception {
        phones(AnswerMode.AUTO, AnswerMode.AUTO);
        Instant before = Instant.now();
        DuoCallback duo = start(30, 60);
        Instant after = Instant.now();

        expectMoves(duo, INITIATED, ANSWERED, CONNECTED);
        phone1.awaitEvent("CALL_ESTABLISHED", WAIT);
        phone2.awaitEvent("CALL_ESTABLISHED", WAIT);
        assertThat(duo.state()).isEqualTo(CONNECTED);
        elapse(Duration.ofSeconds(2));

        phone2.command("hangup", "");

        expectMoves(duo, CONNECTED, RELEASED);
        DuoCallbackEvent.Released end = expectReleased(duo);
        assertThat(end.error()).as("error of a normal end").isNull();
        assertThat(end.beginTime()).isBetween(before, after);
        assertTimes(end, true, true);
        phone1.awaitEvent("CALL_CLOSED", WAIT);

        List<CdrRecord> legs = expectCdrs(duo, 2);
        CdrRecord leg1 = legs.get(0);
        CdrRecord leg2 = legs.get(1);
        assertThat(leg1.answerTime()).isEqualTo(end.answerTime());
        assertThat(leg1.droppedBy()).as("party 1 is hung up by the engine").isEqualTo(DroppedBy.SYS);
        assertThat(leg1.cause()).isEqualTo(200);
        assertThat(leg1.error()).isNull();
        assertThat(leg2.answerTime()).isEqualTo(end.connectTime());
        assertThat(leg2.droppedBy()).as("party 2 hung up").isEqualTo(DroppedBy.USR);
        assertThat(leg2.cause()).isEqualTo(200);
        assertThat(leg2.error()).isNull();

        ToneCheck heardBy1 = ToneCheck.of(phone1.heard(WAIT));
        assertThat(heardBy1.share(TONE_2)).as("share of what party 1 heard that is party 2's tone")
                .isGreaterThan(0.5);
        ToneCheck heardBy2 = ToneCheck.of(phone2.heard(WAIT));
        assertThat(heardBy2.share(TONE_1)).as("share of what party 2 heard that is party 1's tone")
                .isGreaterThan(0.5);
    }

    @Test
    void partyOneRejects() throws Exception {
        phones(AnswerMode.MANUAL, AnswerMode.AUTO);
        DuoCallback duo = start(30, 60);
        phone1.awaitEvent("CALL_INCOMING", WAIT);
        assertThat(duo.state()).isEqualTo(INITIATED);

        phone1.command("hangup", "");

        expectMoves(duo, INITIATED, RELEASED);
        DuoCallbackEvent.Released end = expectReleased(duo);
        assertTimes(end, false, false);
        List<CdrRecord> legs = expectCdrs(duo, 1);
        CdrRecord leg1 = legs.get(0);
        assertThat(leg1.droppedBy()).as("party 1 refused").isEqualTo(DroppedBy.USR);
        assertThat(leg1.cause()).as("party 1's final status").isBetween(400, 699);
        assertThat(leg1.error()).isNotNull();
        assertThat(leg1.error().status()).isEqualTo(leg1.cause());
        assertThat(end.error()).isEqualTo("party 1: " + leg1.error().status() + " " + leg1.error().reason());
        assertThat(end.error()).isEqualTo("party 1: 486 Rejected");
        expectNotCalled(phone2);
    }

    @Test
    void partyOneNeverAnswers() throws Exception {
        phones(AnswerMode.MANUAL, AnswerMode.AUTO);
        DuoCallback duo = start(2, 60);
        phone1.awaitEvent("CALL_INCOMING", WAIT);

        expectMoves(duo, INITIATED, RELEASED);
        DuoCallbackEvent.Released end = expectReleased(duo);
        assertThat(end.error()).isEqualTo("party 1: no answer within 2 s");
        assertTimes(end, false, false);
        assertThat(Duration.between(end.beginTime(), end.endTime())).as("the ring time")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2)).isLessThan(Duration.ofSeconds(6));
        phone1.awaitEvent("CALL_CLOSED", WAIT);
        CdrRecord leg1 = expectCdrs(duo, 1).get(0);
        assertThat(leg1.droppedBy()).as("the engine gave up").isEqualTo(DroppedBy.SYS);
        assertThat(leg1.cause()).isEqualTo(408);
        assertThat(leg1.error()).isNotNull();
        assertThat(leg1.error().status()).isEqualTo(408);
        expectNotCalled(phone2);
    }

    @Test
    void partyTwoRejects() throws Exception {
        phones(AnswerMode.AUTO, AnswerMode.MANUAL);
        DuoCallback duo = start(30, 60);
        expectMoves(duo, INITIATED, ANSWERED);
        phone2.awaitEvent("CALL_INCOMING", WAIT);

        phone2.command("hangup", "");

        expectMoves(duo, ANSWERED, RELEASED);
        DuoCallbackEvent.Released end = expectReleased(duo);
        assertThat(end.error()).isEqualTo("party 2: 486 Rejected");
        assertTimes(end, true, false);
        phone1.awaitEvent("CALL_CLOSED", WAIT);
        List<CdrRecord> legs = expectCdrs(duo, 2);
        CdrRecord leg1 = legs.get(0);
        CdrRecord leg2 = legs.get(1);
        assertThat(leg1.answerTime()).isEqualTo(end.answerTime());
        assertThat(leg1.droppedBy()).isEqualTo(DroppedBy.SYS);
        assertThat(leg1.cause()).isEqualTo(200);
        assertThat(leg1.error()).isNull();
        assertThat(leg2.droppedBy()).as("party 2 refused").isEqualTo(DroppedBy.USR);
        assertThat(leg2.cause()).isEqualTo(486);
        assertThat(leg2.error()).isNotNull();
        assertThat(leg2.error().toString()).isEqualTo("486 Rejected");
    }

    @Test
    void partyTwoNeverAnswers() throws Exception {
        phones(AnswerMode.AUTO, AnswerMode.MANUAL);
        DuoCallback duo = start(2, 60);
        expectMoves(duo, INITIATED, ANSWERED);
        phone2.awaitEvent("CALL_INCOMING", WAIT);

        expectMoves(duo, ANSWERED, RELEASED);
        DuoCallbackEvent.Released end = expectReleased(duo);
        assertThat(end.error()).isEqualTo("party 2: no answer within 2 s");
        assertTimes(end, true, false);
        assertThat(Duration.between(end.answerTime(), end.endTime())).as("party 2's ring time")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2)).isLessThan(Duration.ofSeconds(6));
        phone1.awaitEvent("CALL_CLOSED", WAIT);
        phone2.awaitEvent("CALL_CLOSED", WAIT);
        List<CdrRecord> legs = expectCdrs(duo, 2);
        assertThat(legs.get(0).droppedBy()).isEqualTo(DroppedBy.SYS);
        assertThat(legs.get(0).cause()).isEqualTo(200);
        assertThat(legs.get(0).error()).isNull();
        CdrRecord leg2 = legs.get(1);
        assertThat(leg2.droppedBy()).as("the engine gave up").isEqualTo(DroppedBy.SYS);
        assertThat(leg2.cause()).isEqualTo(408);
        assertThat(leg2.error()).isNotNull();
        assertThat(leg2.error().status()).isEqualTo(408);
    }

    @Test
    void partyOneHangsUpWhilePartyTwoRings() throws Exception {
        phones(AnswerMode.AUTO, AnswerMode.MANUAL);
        DuoCallback duo = start(30, 60);
        expectMoves(duo, INITIATED, ANSWERED);
        phone1.awaitEvent("CALL_ESTABLISHED", WAIT);
        phone2.awaitEvent("CALL_INCOMING", WAIT);

        phone1.command("hangup", "");

        expectMoves(duo, ANSWERED, RELEASED);
        DuoCallbackEvent.Released end = expectReleased(duo);
        assertThat(end.error()).isEqualTo("party 1 hung up while party 2 was dialled");
        assertTimes(end, true, false);
        phone2.awaitEvent("CALL_CLOSED", WAIT);
        List<CdrRecord> legs = expectCdrs(duo, 2);
        CdrRecord leg1 = legs.get(0);
        CdrRecord leg2 = legs.get(1);
        assertThat(leg1.droppedBy()).as("party 1 hung up").isEqualTo(DroppedBy.USR);
        assertThat(leg1.cause()).isEqualTo(200);
        assertThat(leg1.error()).isNull();
        assertThat(leg2.droppedBy()).as("party 2 is cancelled by the engine").isEqualTo(DroppedBy.SYS);
        assertThat(leg2.cause()).isEqualTo(487);
        assertThat(leg2.error()).isNotNull();
        assertThat(leg2.error().status()).isEqualTo(487);
    }

    @Test
    void cancelWhilePartyOneRings() throws Exception {
        phones(AnswerMode.MANUAL, AnswerMode.AUTO);
        DuoCallback duo = start(30, 60);
        phone1.awaitEvent("CALL_INCOMING", WAIT);
        assertThat(duo.state()).isEqualTo(INITIATED);

        duo.cancel();

        expectMoves(duo, INITIATED, RELEASED);
        DuoCallbackEvent.Released end = expectReleased(duo);
        assertThat(end.error()).isEqualTo("cancelled");
        assertTimes(end, false, false);
        phone1.awaitEvent("CALL_CLOSED", WAIT);
        CdrRecord leg1 = expectCdrs(duo, 1).get(0);
        assertThat(leg1.droppedBy()).isEqualTo(DroppedBy.SYS);
        assertThat(leg1.cause()).isEqualTo(487);
        assertThat(leg1.error()).isNotNull();
        assertThat(leg1.error().status()).isEqualTo(487);
        expectNotCalled(phone2);
    }

    @Test
    void cancelWhilePartyTwoRings() throws Exception {
        phones(AnswerMode.AUTO, AnswerMode.MANUAL);
        DuoCallback duo = start(30, 60);
        expectMoves(duo, INITIATED, ANSWERED);
        phone2.awaitEvent("CALL_INCOMING", WAIT);
        assertThat(duo.state()).isEqualTo(ANSWERED);

        duo.cancel();

        expectMoves(duo, ANSWERED, RELEASED);
        DuoCallbackEvent.Released end = expectReleased(duo);
        assertThat(end.error()).isEqualTo("cancelled");
        assertTimes(end, true, false);
        phone1.awaitEvent("CALL_CLOSED", WAIT);
        phone2.awaitEvent("CALL_CLOSED", WAIT);
        List<CdrRecord> legs = expectCdrs(duo, 2);
        assertThat(legs.get(0).droppedBy()).isEqualTo(DroppedBy.SYS);
        assertThat(legs.get(0).cause()).isEqualTo(200);
        assertThat(legs.get(0).error()).isNull();
        assertThat(legs.get(1).droppedBy()).isEqualTo(DroppedBy.SYS);
        assertThat(legs.get(1).cause()).isEqualTo(487);
        assertThat(legs.get(1).error()).isNotNull();
        assertThat(legs.get(1).error().status()).isEqualTo(487);
    }

    @Test
    void cancelAfterConnectIsRefusedAndTheConversationGoesOn() throws Exception {
        phones(AnswerMode.AUTO, AnswerMode.AUTO);
        DuoCallback duo = start(30, 60);
        expectMoves(duo, INITIATED, ANSWERED, CONNECTED);
        phone1.awaitEvent("CALL_ESTABLISHED", WAIT);
        phone2.awaitEvent("CALL_ESTABLISHED", WAIT);

        assertThatThrownBy(duo::cancel).isInstanceOfSatisfying(InvalidStateException.class, e -> {
            assertThat(e.resId()).isEqualTo(duo.resId());
            assertThat(e.state()).isEqualTo("CONNECTED");
            assertThat(e.operation()).isEqualTo("cancel");
            assertThat(e.getMessage()).contains(duo.resId(), "CONNECTED", "cancel");
        });

        assertThat(events.poll(1500, TimeUnit.MILLISECONDS)).as("an event after a refused cancel").isNull();
        assertThat(duo.state()).isEqualTo(CONNECTED);
        assertThat(duo.isReleased()).isFalse();
        assertThat(engine.find(duo.resId())).isPresent();
        phone1.command("hangup", "");

        expectMoves(duo, CONNECTED, RELEASED);
        DuoCallbackEvent.Released end = expectReleased(duo);
        assertThat(end.error()).isNull();
        assertTimes(end, true, true);
        assertThat(Duration.between(end.connectTime(), end.endTime())).as("the conversation went on")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        phone2.awaitEvent("CALL_CLOSED", WAIT);
        expectCdrs(duo, 2);
        ToneCheck heardBy2 = ToneCheck.of(phone2.heard(WAIT));
        assertThat(heardBy2.share(TONE_1)).as("share of what party 2 heard that is party 1's tone")
                .isGreaterThan(0.5);
    }

    @Test
    void maxConnectSecondsEndsTheConversationNormally() throws Exception {
        phones(AnswerMode.AUTO, AnswerMode.AUTO);
        DuoCallback duo = start(30, 2);
        expectMoves(duo, INITIATED, ANSWERED, CONNECTED);

        expectMoves(duo, CONNECTED, RELEASED);
        DuoCallbackEvent.Released end = expectReleased(duo);
        assertThat(end.error()).as("max_connect_seconds is a normal end").isNull();
        assertTimes(end, true, true);
        assertThat(Duration.between(end.connectTime(), end.endTime())).as("the conversation's length")
                .isBetween(Duration.ofMillis(1900), Duration.ofMillis(3500));
        phone1.awaitEvent("CALL_CLOSED", WAIT);
        phone2.awaitEvent("CALL_CLOSED", WAIT);
        List<CdrRecord> legs = expectCdrs(duo, 2);
        for (CdrRecord leg : legs) {
            assertThat(leg.droppedBy()).as("leg %d hung up by the engine", leg.leg()).isEqualTo(DroppedBy.SYS);
            assertThat(leg.cause()).as("leg %d's cause", leg.leg()).isEqualTo(200);
            assertThat(leg.error()).isNull();
        }
    }

    @Test
    void partyOneHangsUpAfterConnect() throws Exception {
        phones(AnswerMode.AUTO, AnswerMode.AUTO);
        DuoCallback duo = start(30, 60);
        expectMoves(duo, INITIATED, ANSWERED, CONNECTED);
        phone1.awaitEvent("CALL_ESTABLISHED", WAIT);
        phone2.awaitEvent("CALL_ESTABLISHED", WAIT);

        phone1.command("hangup", "");

        expectMoves(duo, CONNECTED, RELEASED);
        DuoCallbackEvent.Released end = expectReleased(duo);
        assertThat(end.error()).isNull();
        assertTimes(end, true, true);
        phone2.awaitEvent("CALL_CLOSED", WAIT);
        List<CdrRecord> legs = expectCdrs(duo, 2);
        assertThat(legs.get(0).droppedBy()).as("party 1 hung up").isEqualTo(DroppedBy.USR);
        assertThat(legs.get(0).cause()).isEqualTo(200);
        assertThat(legs.get(1).droppedBy()).as("party 2 is hung up by the engine").isEqualTo(DroppedBy.SYS);
        assertThat(legs.get(1).cause()).isEqualTo(200);
        assertThat(legs).allSatisfy(leg -> assertThat(leg.error()).isNull());
    }

    // ---- helpers ----

    private void phones(AnswerMode mode1, AnswerMode mode2) throws IOException {
        phone1 = phone("alice", mode1, Tones.sine(temp.resolve("party1.wav"), TONE_1, 60));
        phone2 = phone("bob", mode2, Tones.sine(temp.resolve("party2.wav"), TONE_2, 60));
    }

    /**
     * Starts a phone, trying again (on another port) if its SIP port was taken: {@link Baresip} finds a free port
     * with a TCP socket, and the UDP port may be in use all the same on a busy machine.
     */
    static Baresip phone(String name, AnswerMode mode, Path says) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return new Baresip(name, mode, says);
            } catch (IOException e) {
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    private DuoCallback start(int maxRingSeconds, int maxConnectSeconds) {
        return engine.startDuoCallback(DuoCallbackOptions.builder()
                .from1Uri(FROM1).to1Uri(phone1.uri("alice"))
                .from2Uri(FROM2).to2Uri(phone2.uri("bob"))
                .maxRingSeconds(maxRingSeconds).maxConnectSeconds(maxConnectSeconds)
                .userData1(USER_DATA_1).userData2(USER_DATA_2).build(), listener);
    }

    /** Takes the next events, which must be the moves along {@code path}. */
    private void expectMoves(DuoCallback duo, DuoCallbackState... path) throws InterruptedException {
        for (int i = 1; i < path.length; i++) {
            DuoCallbackEvent event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(event).as("the move %s -> %s", path[i - 1], path[i]).isNotNull();
            assertThat(event).as("the move %s -> %s", path[i - 1], path[i])
                    .isInstanceOf(DuoCallbackEvent.StateChanged.class);
            DuoCallbackEvent.StateChanged move = (DuoCallbackEvent.StateChanged) event;
            assertThat(move.resId()).isEqualTo(duo.resId());
            assertThat(List.of(move.from(), move.to())).as("the move").containsExactly(path[i - 1], path[i]);
            assertThat(move.time()).isNotNull();
        }
    }

    /** Takes the next event, which must be {@code on_released}, and checks what every one carries. */
    private DuoCallbackEvent.Released expectReleased(DuoCallback duo) throws Exception {
        DuoCallbackEvent event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(event).as("on_released").isInstanceOf(DuoCallbackEvent.Released.class);
        DuoCallbackEvent.Released end = (DuoCallbackEvent.Released) event;
        assertThat(end.resId()).isEqualTo(duo.resId());
        assertThat(end.userData()).as("user_data").isEqualTo(USER_DATA_1);
        assertThat(end.userData2()).as("user_data2").isEqualTo(USER_DATA_2);
        assertThat(duo.state()).isEqualTo(RELEASED);
        assertThat(duo.whenReleased().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .isEqualTo(end);
        return end;
    }

    /** Checks the times of {@code on_released}: present in order, or {@code null} where that did not happen. */
    private static void assertTimes(DuoCallbackEvent.Released end, boolean answered, boolean connected) {
        assertThat(end.beginTime()).as("begin_time").isNotNull();
        assertThat(end.endTime()).as("end_time").isNotNull().isAfterOrEqualTo(end.beginTime());
        if (answered) {
            assertThat(end.answerTime()).as("answer_time").isNotNull()
                    .isBetween(end.beginTime(), end.endTime());
        } else {
            assertThat(end.answerTime()).as("answer_time").isNull();
        }
        if (connected) {
            assertThat(end.connectTime()).as("connect_time").isNotNull()
                    .isBetween(end.answerTime(), end.endTime());
        } else {
            assertThat(end.connectTime()).as("connect_time").isNull();
        }
    }

    /**
     * Waits for the duo callback to leave the engine and its CDRs, then checks that nothing follows and that exactly
     * {@code count} CDRs were written (leg 1, and leg 2 if party 2 was dialled); returns them by leg.
     */
    private List<CdrRecord> expectCdrs(DuoCallback duo, int count) throws InterruptedException {
        Await.until(count + " CDRs", WAIT, () -> cdrs.size() >= count);
        Await.until("the duo callback to leave the engine", WAIT, () -> engine.find(duo.resId()).isEmpty());
        // CDRs follow on_released on the same ordered stream; any extra event or CDR would follow at once.
        assertThat(events.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)).as("an event after on_released").isNull();
        assertThat(cdrs).as("CDRs").hasSize(count);
        List<CdrRecord> legs = new ArrayList<>(cdrs);
        legs.sort(Comparator.comparingInt(CdrRecord::leg));
        assertThat(legs).extracting(CdrRecord::leg).as("the legs with a CDR")
                .containsExactly(count == 1 ? new Integer[] {1} : new Integer[] {1, 2});
        for (CdrRecord cdr : legs) {
            boolean first = cdr.leg() == 1;
            Baresip phone = first ? phone1 : phone2;
            assertThat(cdr.resId()).isEqualTo(duo.resId());
            assertThat(cdr.callDir()).isEqualTo(CallDirection.OUTBOUND);
            assertThat(cdr.fromUri()).isEqualTo(SipUri.parse(first ? FROM1 : FROM2));
            assertThat(cdr.toUri()).isEqualTo(SipUri.parse(phone.uri(first ? "alice" : "bob")));
            assertThat(cdr.userData()).as("leg %d's user data", cdr.leg())
                    .isEqualTo(first ? USER_DATA_1 : USER_DATA_2);
            assertThat(cdr.endTime()).isAfterOrEqualTo(cdr.beginTime());
            if (cdr.answerTime() != null) {
                assertThat(cdr.answerTime()).isBetween(cdr.beginTime(), cdr.endTime());
            }
        }
        return legs;
    }

    /** Checks that a phone was never called (waits a little, since a wrong call would come late). */
    private static void expectNotCalled(Baresip phone) {
        assertThatThrownBy(() -> phone.awaitEvent("CALL_INCOMING", Duration.ofMillis(500)))
                .as("party 2 must not be called").isInstanceOf(AssertionError.class);
    }

    /** Lets {@code duration} pass (a measured interval, with a deadline). */
    static void elapse(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        Await.until(duration + " to pass", duration.plusSeconds(5), () -> System.nanoTime() - end >= 0);
    }
}
