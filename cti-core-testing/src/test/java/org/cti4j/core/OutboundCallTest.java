package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cti4j.core.EngineFixture.T0;
import static org.cti4j.core.EngineFixture.WAIT;
import static org.cti4j.core.EngineFixture.awaitState;

import java.time.Duration;
import org.cti4j.api.CallDirection;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallState;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.DialError;
import org.cti4j.api.DroppedBy;
import org.cti4j.api.SipUri;
import org.cti4j.core.EngineFixture.Dialled;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutboundCallTest {

    private final EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
        assertThat(f.recorder.violations()).isEmpty();
    }

    @Test
    void dialsWithTheOptionsAndAnOfferFromMedia() {
        Dialled d = f.dial();

        assertThat(d.far().from()).isEqualTo(SipUri.parse("sip:1000@127.0.0.1"));
        assertThat(d.far().to()).isEqualTo(SipUri.parse("sip:2000@127.0.0.1:5062"));
        ScriptedMedia.Session session = f.media.sessions().get(0);
        assertThat(d.far().offer()).isEqualTo(session.localOffer());
        assertThat(d.call().resId()).isEqualTo("1.2.3-sys.call-" + d.call().processId());
        assertThat(d.call().direction()).isEqualTo(CallDirection.OUTBOUND);
        assertThat(d.call().userData()).isEqualTo("ticket-7");
        assertThat(d.call().state()).isEqualTo(CallState.INITIATED);
    }

    @Test
    void ringsThenAnswersThenTheFarEndHangsUp() {
        Dialled d = f.dial();
        f.clock.advance(Duration.ofSeconds(1));
        d.far().ring();
        awaitState(d.call(), CallState.RING);
        assertThat(f.recorder.next(CallEvent.Ringing.class).ringTime()).isEqualTo(T0.plusSeconds(1));
        f.clock.advance(Duration.ofSeconds(4));
        d.far().answer();

        CallEvent.DialCompleted dialled = f.recorder.next(CallEvent.DialCompleted.class);
        assertThat(dialled.error()).isNull();
        assertThat(dialled.answered()).isTrue();
        assertThat(dialled.beginTime()).isEqualTo(T0);
        assertThat(dialled.answerTime()).isEqualTo(T0.plusSeconds(5));
        assertThat(dialled.endTime()).isEqualTo(T0.plusSeconds(5));
        assertThat(f.recorder.next(CallEvent.Answered.class).answerTime()).isEqualTo(T0.plusSeconds(5));
        awaitState(d.call(), CallState.IDLE);
        assertThat(f.media.sessions().get(0).remotes()).hasSize(1);

        f.clock.advance(Duration.ofSeconds(60));
        d.far().remoteHangup(200);

        CallEvent.Released released = f.recorder.next(CallEvent.Released.class);
        assertThat(released.callDir()).isEqualTo(CallDirection.OUTBOUND);
        assertThat(released.fromUri()).isEqualTo(SipUri.parse("sip:1000@127.0.0.1"));
        assertThat(released.toUri()).isEqualTo(SipUri.parse("sip:2000@127.0.0.1:5062"));
        assertThat(released.beginTime()).isEqualTo(T0);
        assertThat(released.answerTime()).isEqualTo(T0.plusSeconds(5));
        assertThat(released.endTime()).isEqualTo(T0.plusSeconds(65));
        assertThat(released.droppedBy()).isEqualTo(DroppedBy.USR);
        assertThat(released.cause()).isEqualTo(200);
        assertThat(released.userData()).isEqualTo("ticket-7");
        assertThat(d.call().whenReleased().toCompletableFuture().join()).isEqualTo(released);
        assertThat(d.call().state()).isEqualTo(CallState.RELEASED);
        assertThat(d.call().isReleased()).isTrue();
        assertThat(f.engine.resources()).isEmpty();
        assertThat(f.media.openSessions()).isEmpty();
        assertThat(d.far().actions()).isEmpty();
    }

    @Test
    void writesOneCdrWithEveryField() {
        Dialled d = f.connectedCall();
        d.far().remoteHangup(200);
        f.recorder.next(CallEvent.Released.class);

        org.cti4j.core.testing.Await.until("the CDR", WAIT, () -> f.recorder.cdrs().size() == 1);
        CdrRecord cdr = f.recorder.cdrs().get(0);
        assertThat(cdr.resId()).isEqualTo(d.call().resId());
        assertThat(cdr.leg()).isZero();
        assertThat(cdr.callDir()).isEqualTo(CallDirection.OUTBOUND);
        assertThat(cdr.userData()).isEqualTo("ticket-7");
        assertThat(cdr.answerTime()).isEqualTo(T0);
        assertThat(cdr.droppedBy()).isEqualTo(DroppedBy.USR);
        assertThat(cdr.cause()).isEqualTo(200);
        assertThat(cdr.error()).isNull();
    }

    @Test
    void aRejectedDialCompletesWithTheStatusAndReleasesWithItAsCause() {
        Dialled d = f.dial();
        d.far().ring();
        d.far().fail(486, "Busy Here");
        f.recorder.next(CallEvent.Ringing.class);

        CallEvent.DialCompleted dialled = f.recorder.next(CallEvent.DialCompleted.class);
        assertThat(dialled.error()).isEqualTo(new DialError(486, "Busy Here"));
        assertThat(dialled.answerTime()).isNull();
        assertThat(d.call().whenDialCompleted().toCompletableFuture().join()).isEqualTo(dialled);
        CallEvent.Released released = f.recorder.next(CallEvent.Released.class);
        assertThat(released.cause()).isEqualTo(486);
        assertThat(released.droppedBy()).isEqualTo(DroppedBy.USR);
        assertThat(released.answerTime()).isNull();
        org.cti4j.core.testing.Await.until("the CDR", WAIT, () -> f.recorder.cdrs().size() == 1);
        assertThat(f.recorder.cdrs().get(0).error()).isEqualTo(new DialError(486, "Busy Here"));
        assertThat(f.media.openSessions()).isEmpty();
    }

    @Test
    void aDialThatGetsNoResponseFailsWith408() {
        Dialled d = f.dial();
        d.far().fail(408, "Request Timeout");

        assertThat(f.recorder.next(CallEvent.DialCompleted.class).error().status()).isEqualTo(408);
        assertThat(f.recorder.next(CallEvent.Released.class).cause()).isEqualTo(408);
    }

    @Test
    void ringingLongerThanMaxRingSecondsCancelsTheDialWith408() {
        Dialled d = f.dial();
        d.far().ring();
        awaitState(d.call(), CallState.RING);
        f.clock.advance(Duration.ofSeconds(29));
        assertThat(d.far().actions()).isEmpty();

        f.clock.advance(Duration.ofSeconds(1));

        d.far().awaitAction("cancel", WAIT);
        f.recorder.next(CallEvent.Ringing.class);
        CallEvent.DialCompleted dialled = f.recorder.next(CallEvent.DialCompleted.class);
        assertThat(dialled.error()).isEqualTo(new DialError(408, "no answer within 30 s"));
        assertThat(dialled.endTime()).isEqualTo(T0.plusSeconds(30));
        CallEvent.Released released = f.recorder.next(CallEvent.Released.class);
        assertThat(released.cause()).isEqualTo(408);
        assertThat(released.droppedBy()).isEqualTo(DroppedBy.SYS);
    }

    @Test
    void theRingTimerStartsOnlyWhenTheFarEndRings() {
        Dialled d = f.dial();
        f.clock.advance(Duration.ofHours(1));
        assertThat(d.far().actions()).isEmpty();
        assertThat(d.call().state()).isEqualTo(CallState.INITIATED);
        assertThat(f.clock.pending()).isZero();
    }

    @Test
    void earlyMediaReachesTheMediaSession() {
        Dialled d = f.dial();
        d.far().earlyMedia();
        awaitState(d.call(), CallState.RING);
        org.cti4j.core.testing.Await.until("early media applied", WAIT,
                () -> f.media.sessions().get(0).remotes().size() == 1);
    }

    @Test
    void dropWhileDiallingCancelsWith487() {
        Dialled d = f.dial();
        d.far().ring();
        awaitState(d.call(), CallState.RING);

        d.call().drop();

        d.far().awaitAction("cancel", WAIT);
        f.recorder.next(CallEvent.Ringing.class);
        assertThat(f.recorder.next(CallEvent.DialCompleted.class).error())
                .isEqualTo(new DialError(487, "dropped by the application"));
        CallEvent.Released released = f.recorder.next(CallEvent.Released.class);
        assertThat(released.cause()).isEqualTo(487);
        assertThat(released.droppedBy()).isEqualTo(DroppedBy.SYS);
    }

    @Test
    void dropWithACauseWhileDiallingStillReports487() {
        Dialled d = f.dial();
        d.call().drop(486);
        d.far().awaitAction("cancel", WAIT);
        f.recorder.next(CallEvent.DialCompleted.class);
        assertThat(f.recorder.next(CallEvent.Released.class).cause()).isEqualTo(487);
    }

    @Test
    void dropAfterAnswerSendsByeWithNormalClearing() {
        Dialled d = f.connectedCall();

        d.call().drop();

        assertThat(d.far().awaitAction("hangup", WAIT)).isEqualTo("hangup 200");
        CallEvent.Released released = f.recorder.next(CallEvent.Released.class);
        assertThat(released.cause()).isEqualTo(200);
        assertThat(released.droppedBy()).isEqualTo(DroppedBy.SYS);
    }

    @Test
    void dropAfterAnswerWithACauseSendsItInTheBye() {
        Dialled d = f.connectedCall();
        d.call().drop(503);
        assertThat(d.far().awaitAction("hangup", WAIT)).isEqualTo("hangup 503");
        assertThat(f.recorder.next(CallEvent.Released.class).cause()).isEqualTo(503);
    }

    @Test
    void maxAnswerSecondsEndsTheCall() {
        Dialled d = f.connectedCall();
        f.awaitTimers(1);
        f.clock.advance(Duration.ofSeconds(599));
        assertThat(d.far().actions()).isEmpty();

        f.clock.advance(Duration.ofSeconds(1));

        assertThat(d.far().awaitAction("hangup", WAIT)).isEqualTo("hangup 200");
        CallEvent.Released released = f.recorder.next(CallEvent.Released.class);
        assertThat(released.droppedBy()).isEqualTo(DroppedBy.SYS);
        assertThat(released.endTime()).isEqualTo(T0.plusSeconds(600));
    }

    @Test
    void noFreeMediaPortFailsTheDialWith503() {
        f.media.failSessionsWith(503);
        var call = f.engine.dial(EngineFixture.dialOptions(), f.recorder);

        CallEvent.DialCompleted dialled = f.recorder.next(CallEvent.DialCompleted.class);
        assertThat(dialled.error().status()).isEqualTo(503);
        assertThat(dialled.error().reason()).contains("scripted media failure");
        assertThat(f.recorder.next(CallEvent.Released.class).cause()).isEqualTo(503);
        assertThat(f.sip.pollDialled()).isNull();
        assertThat(call.isReleased()).isTrue();
    }

    @Test
    void anAnswerWithNoCommonCodecHangsUpWith488() {
        Dialled d = f.dial();
        d.far().answer(new org.cti4j.core.spi.MediaDescription("127.0.0.1", 4000,
                java.util.List.of(new org.cti4j.core.spi.PayloadType(18, "G729", 8000)),
                org.cti4j.core.spi.MediaDirection.SENDRECV));

        assertThat(d.far().awaitAction("hangup", WAIT)).isEqualTo("hangup 488");
        assertThat(f.recorder.nextOf(CallEvent.Released.class).cause()).isEqualTo(488);
    }

    @Test
    void eventsAfterTheEndAreIgnored() {
        Dialled d = f.dial();
        d.far().fail(486, "Busy Here");
        f.recorder.next(CallEvent.DialCompleted.class);
        f.recorder.next(CallEvent.Released.class);

        d.far().answer();
        d.far().ring();
        d.far().remoteHangup(200);
        d.far().fail(500, "Server Error");

        Dialled other = f.connectedCall();
        other.call().drop();
        f.recorder.next(CallEvent.Released.class);
        assertThat(f.recorder.releases()).containsEntry(d.call().resId(), 1);
        assertThat(f.recorder.pending()).isEmpty();
    }

    @Test
    void aLateCancelRaceWithAnswerStillReleasesOnce() {
        Dialled d = f.dial();
        d.call().drop();
        d.far().answer();
        f.recorder.next(CallEvent.DialCompleted.class);
        CallEvent.Released released = f.recorder.next(CallEvent.Released.class);
        assertThat(released.cause()).isEqualTo(487);
        assertThat(f.recorder.releases()).containsEntry(d.call().resId(), 1);
    }
}
