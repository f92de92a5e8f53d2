package org.cti4j.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cti4j.rpc.ClientFixture.T0;
import static org.cti4j.rpc.ClientFixture.WAIT;
import static org.cti4j.rpc.ClientFixture.awaitState;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cti4j.api.Call;
import org.cti4j.api.CallDirection;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallState;
import org.cti4j.api.ConnectEndReason;
import org.cti4j.api.ConnectMode;
import org.cti4j.api.ConnectOptions;
import org.cti4j.api.DialError;
import org.cti4j.api.DroppedBy;
import org.cti4j.api.EngineUnavailableException;
import org.cti4j.api.ErrorCode;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.InvalidStateException;
import org.cti4j.api.PlayEndReason;
import org.cti4j.api.PlayOptions;
import org.cti4j.api.ReceiveDtmfEndReason;
import org.cti4j.api.ReceiveDtmfOptions;
import org.cti4j.api.RecordEndReason;
import org.cti4j.api.SendDtmfEndReason;
import org.cti4j.api.RecordFormat;
import org.cti4j.api.RecordOptions;
import org.cti4j.api.SipUri;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.core.testing.ScriptedSignaling;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Calls through {@link RemoteCtiEngine}: the same calls, events and stages as with the embedded engine. */
class RemoteCallTest {

    private final ClientFixture f = new ClientFixture();
    private final ClientRecorder heard = new ClientRecorder();

    @AfterEach
    void close() {
        f.close();
        assertThat(heard.violations()).isEmpty();
    }

    @Test
    void anOutboundCallIsDialledAnsweredPlayedToAndDroppedWithTheEmbeddedEnginesEvents() {
        RemoteCtiEngine remote = f.connect(f.client());
        assertThat(remote.nodeId()).isEqualTo("1.2.3");

        Call call = remote.dial(ClientFixture.dialOptions(), heard);
        ScriptedSignaling.Outbound far = f.sip.nextDialled(WAIT);
        assertThat(far.from()).isEqualTo(SipUri.parse("sip:1000@127.0.0.1"));
        assertThat(far.to()).isEqualTo(SipUri.parse("sip:2000@127.0.0.1:5062"));
        assertThat(call.resId()).isEqualTo("1.2.3-sys.call-" + call.processId());
        assertThat(call.module()).isEqualTo(Call.MODULE);
        assertThat(call.direction()).isEqualTo(CallDirection.OUTBOUND);
        assertThat(call.fromUri()).isEqualTo(SipUri.parse("sip:1000@127.0.0.1"));
        assertThat(call.toUri()).isEqualTo(SipUri.parse("sip:2000@127.0.0.1:5062"));
        assertThat(call.beginTime()).isEqualTo(T0);
        assertThat(call.beginTime()).isEqualTo(f.core.call(call.resId()).beginTime());
        assertThat(call.state()).isEqualTo(CallState.INITIATED);
        assertThat(call.userData()).isEqualTo("ticket-7");
        assertThat(remote.find(call.resId())).containsSame(call);
        assertThat(remote.call(call.resId())).isSameAs(call);
        assertThat(remote.resources()).containsExactly(call);

        f.clock.advance(Duration.ofSeconds(1));
        far.ring();
        awaitState(call, CallState.RING);
        assertThat(heard.next(CallEvent.Ringing.class)).isEqualTo(new CallEvent.Ringing(call.resId(),
                T0.plusSeconds(1)));
        f.clock.advance(Duration.ofSeconds(4));
        far.answer();

        CallEvent.DialCompleted dialled = heard.next(CallEvent.DialCompleted.class);
        assertThat(dialled).isEqualTo(new CallEvent.DialCompleted(call.resId(), T0, T0.plusSeconds(5),
                T0.plusSeconds(5), null));
        assertThat(call.whenDialCompleted()).succeedsWithin(WAIT).isEqualTo(dialled);
        assertThat(heard.next(CallEvent.Answered.class))
                .isEqualTo(new CallEvent.Answered(call.resId(), T0.plusSeconds(5)));
        awaitState(call, CallState.IDLE);

        AtomicBoolean listenerFirst = new AtomicBoolean();
        CompletionStage<CallEvent.PlayCompleted> play = call.playStart(f.dirs.sound("welcome.wav"));
        play.thenAccept(event -> listenerFirst.set(heard.all().contains(event)));
        assertThat(call.isPlaying()).isTrue();
        assertThat(call.state()).isEqualTo(CallState.PLAY);
        ScriptedMedia.Operation playback = f.session(0).last("play " + f.soundPath("welcome.wav"));
        playback.finish();
        CallEvent.PlayCompleted played = heard.next(CallEvent.PlayCompleted.class);
        assertThat(played).isEqualTo(new CallEvent.PlayCompleted(call.resId(), "welcome.wav",
                PlayEndReason.FINISHED, null));
        assertThat(play).succeedsWithin(WAIT).isEqualTo(played);
        assertThat(listenerFirst).as("the stage completes after the listener heard the event").isTrue();

        CompletionStage<CallEvent.PlayCompleted> list = call.playStart(PlayOptions.builder()
                .playFile(f.dirs.sound("you-have.wav")).playFile(f.dirs.sound("messages.wav")).playRepeat(1)
                .finishKey("#").build());
        ScriptedMedia.Operation listed = f.session(0).last("play " + f.soundPath("you-have.wav"));
        assertThat(listed.what()).isEqualTo("play " + f.soundPath("you-have.wav") + " "
                + f.soundPath("messages.wav") + " repeat 1");
        f.session(0).dtmf('#');
        assertThat(heard.next(CallEvent.Dtmf.class).digit()).isEqualTo('#');
        CallEvent.PlayCompleted keyed = heard.next(CallEvent.PlayCompleted.class);
        assertThat(keyed).isEqualTo(new CallEvent.PlayCompleted(call.resId(), "you-have.wav",
                PlayEndReason.FINISH_KEY, '#', null));
        assertThat(list).succeedsWithin(WAIT).isEqualTo(keyed);

        f.clock.advance(Duration.ofSeconds(60));
        call.drop();
        assertThat(far.awaitAction("hangup", WAIT)).isEqualTo("hangup 200");
        CallEvent.Released released = heard.next(CallEvent.Released.class);
        assertThat(released).isEqualTo(new CallEvent.Released(call.resId(), CallDirection.OUTBOUND,
                SipUri.parse("sip:1000@127.0.0.1"), SipUri.parse("sip:2000@127.0.0.1:5062"), T0, T0.plusSeconds(5),
                T0.plusSeconds(65), DroppedBy.SYS, 200, "ticket-7"));
        assertThat(call.whenReleased()).succeedsWithin(WAIT).isEqualTo(released);
        assertThat(call.isReleased()).isTrue();
        assertThat(call.state()).isEqualTo(CallState.RELEASED);
        assertThat(call.isPlaying()).isFalse();
        assertThat(call.conferenceId()).isEmpty();
        assertThat(call.userData()).isEqualTo("ticket-7");
        assertThat(remote.find(call.resId())).isEmpty();
        assertThat(remote.resources()).isEmpty();
        assertThatThrownBy(call::drop).isInstanceOf(InvalidStateException.class)
                .hasMessage("drop refused: " + call.resId() + " is RELEASED (released)");

        f.assertSameEvents(heard, call.resId());
        assertThat(heard.releases()).containsEntry(call.resId(), 1);
    }

    @Test
    void aDrainingEngineRefusesARemoteDialWithEngineUnavailableWhileTheLiveCallGoesOn() {
        RemoteCtiEngine remote = f.connect(f.client());
        Call live = remote.dial(ClientFixture.dialOptions(), heard);
        f.sip.nextDialled(WAIT).answer();
        heard.next(CallEvent.DialCompleted.class);
        heard.next(CallEvent.Answered.class);

        f.core.drain(Duration.ofMinutes(5));

        assertThatThrownBy(() -> remote.dial(ClientFixture.dialOptions(), heard))
                .isInstanceOfSatisfying(EngineUnavailableException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessage("engine 1.2.3 is draining: sys.call refused; place it on another engine");
        live.drop();
        assertThat(heard.next(CallEvent.Released.class).resId()).isEqualTo(live.resId());
    }

    @Test
    void aBusyCalleeCompletesTheDialWithTheStatusAndReleasesTheCallWithIt() {
        RemoteCtiEngine remote = f.connect(f.client());
        Call call = remote.dial(ClientFixture.dialOptions(), heard);
        ScriptedSignaling.Outbound far = f.sip.nextDialled(WAIT);
        far.ring();
        far.fail(486, "Busy Here");

        heard.next(CallEvent.Ringing.class);
        CallEvent.DialCompleted dialled = heard.next(CallEvent.DialCompleted.class);
        assertThat(dialled.error()).isEqualTo(new DialError(486, "Busy Here"));
        assertThat(dialled.answerTime()).isNull();
        assertThat(call.whenDialCompleted()).succeedsWithin(WAIT).isEqualTo(dialled);
        CallEvent.Released released = heard.next(CallEvent.Released.class);
        assertThat(released.cause()).isEqualTo(486);
        assertThat(released.droppedBy()).isEqualTo(DroppedBy.USR);
        assertThat(released.answerTime()).isNull();
        f.assertSameEvents(heard, call.resId());
    }

    @Test
    void anInboundCallIsOfferedToTheRemoteListenerAndAnsweredRemotely() {
        RemoteCtiEngine remote = f.connect(f.client().incomingCallListener(heard));
        ScriptedSignaling.Inbound caller = f.sip.incoming("sip:3000@127.0.0.1:5070", "sip:4000@127.0.0.1", true);

        CallEvent.Incoming incoming = heard.next(CallEvent.Incoming.class);
        assertThat(incoming.fromUri()).isEqualTo(SipUri.parse("sip:3000@127.0.0.1:5070"));
        assertThat(incoming.toUri()).isEqualTo(SipUri.parse("sip:4000@127.0.0.1"));
        assertThat(incoming.beginTime()).isEqualTo(T0);
        Call call = remote.call(incoming.resId());
        assertThat(heard.resource(incoming.resId())).isSameAs(call);
        assertThat(call.direction()).isEqualTo(CallDirection.INBOUND);
        assertThat(call.fromUri()).isEqualTo(incoming.fromUri());
        assertThat(call.state()).isEqualTo(CallState.INITIATED);
        assertThatThrownBy(call::whenDialCompleted).isInstanceOf(InvalidStateException.class);

        call.answer("crm-42");
        caller.awaitAction("answer", WAIT);
        assertThat(call.state()).isEqualTo(CallState.ANSWER);
        caller.confirm();
        awaitState(call, CallState.IDLE);
        assertThat(call.userData()).isEqualTo("crm-42");

        CompletionStage<CallEvent.RecordCompleted> recording = call.recordStart(RecordOptions.builder()
                .recordFile("msg.wav").finishKey("#").build());
        assertThat(call.isRecording()).isTrue();
        caller.infoDtmf('5');
        caller.infoDtmf('#');
        assertThat(heard.next(CallEvent.Dtmf.class).digit()).isEqualTo('5');
        assertThat(heard.next(CallEvent.Dtmf.class).digit()).isEqualTo('#');
        CallEvent.RecordCompleted recorded = heard.next(CallEvent.RecordCompleted.class);
        assertThat(recorded).isEqualTo(new CallEvent.RecordCompleted(call.resId(), "msg.wav",
                RecordEndReason.FINISH_KEY, '#', null));
        assertThat(recording).succeedsWithin(WAIT).isEqualTo(recorded);
        assertThat(f.session(0).last("record").what())
                .isEqualTo("record " + f.recordingPath("msg.wav") + " " + RecordFormat.PCM_16BIT + " new");
        CompletionStage<CallEvent.RecordCompleted> stereo = call.recordStart(RecordOptions.builder()
                .recordFile("both.wav").recordFormat(RecordFormat.ULAW).stereo(true).build());
        assertThat(f.session(0).last("record").what())
                .isEqualTo("record " + f.recordingPath("both.wav") + " " + RecordFormat.ULAW + " new stereo");
        call.recordStop();
        assertThat(heard.next(CallEvent.RecordCompleted.class).reason()).isEqualTo(RecordEndReason.STOPPED);
        assertThat(stereo).succeedsWithin(WAIT);

        caller.remoteHangup(200);
        CallEvent.Released released = heard.next(CallEvent.Released.class);
        assertThat(released.callDir()).isEqualTo(CallDirection.INBOUND);
        assertThat(released.droppedBy()).isEqualTo(DroppedBy.USR);
        assertThat(released.userData()).isEqualTo("crm-42");
        assertThat(call.whenReleased()).succeedsWithin(WAIT).isEqualTo(released);
        f.assertSameEvents(heard, call.resId());
    }

    @Test
    void withoutAnIncomingListenerInboundCallsAreNoLongerOfferedToTheClient() {
        RemoteCtiEngine remote = f.connect(f.client().incomingCallListener(heard));
        remote.setIncomingCallListener(null);

        ScriptedSignaling.Inbound caller = f.sip.incoming("sip:3000@127.0.0.1", "sip:4000@127.0.0.1", true);
        assertThat(caller.awaitAction("reject", WAIT)).isEqualTo("reject 480");

        remote.setIncomingCallListener(heard);
        f.sip.incoming("sip:3001@127.0.0.1", "sip:4000@127.0.0.1", true);
        assertThat(heard.next(CallEvent.Incoming.class).fromUri()).isEqualTo(SipUri.parse("sip:3001@127.0.0.1"));
        Await.until("the offered call in the registry", WAIT, () -> remote.resources().size() == 1);
    }

    @Test
    void aCallDroppedBeforeItsPlaybackEndsCompletesTheStageWithHangup() {
        RemoteCtiEngine remote = f.connect(f.client());
        ClientFixture.Dialled d = f.connectedCall(remote, heard);
        CompletionStage<CallEvent.PlayCompleted> play = d.call().playStart(f.dirs.sound("long.wav"));

        d.far().remoteHangup(200);

        assertThat(heard.next(CallEvent.PlayCompleted.class).reason()).isEqualTo(PlayEndReason.HANGUP);
        assertThat(play).succeedsWithin(WAIT).extracting(CallEvent.PlayCompleted::reason)
                .isEqualTo(PlayEndReason.HANGUP);
        assertThat(heard.next(CallEvent.Released.class).cause()).isEqualTo(200);
        f.assertSameEvents(heard, d.call().resId());
    }

    @Test
    void digitsAreCollectedRemotelyAfterAPromptNamedInTheSoundsDirectory() {
        RemoteCtiEngine remote = f.connect(f.client());
        ClientFixture.Dialled d = f.connectedCall(remote, heard);
        String prompt = f.dirs.sound("menu.wav");
        CompletionStage<CallEvent.ReceiveDtmfCompleted> collected = d.call().receiveDtmfStart(ReceiveDtmfOptions
                .builder().playFile(prompt).maxKeys(3).build());
        assertThat(d.call().isPlaying()).as("the prompt plays").isTrue();
        d.far().infoDtmf('1');
        d.far().infoDtmf('2');
        d.far().infoDtmf('3');
        for (char key : new char[] {'1', '2', '3'}) {
            assertThat(heard.next(CallEvent.Dtmf.class).digit()).isEqualTo(key);
        }

        CallEvent.ReceiveDtmfCompleted event = heard.next(CallEvent.ReceiveDtmfCompleted.class);
        assertThat(event.keys()).isEqualTo("123");
        assertThat(event.reason()).isEqualTo(ReceiveDtmfEndReason.MAX_KEYS);
        assertThat(collected).succeedsWithin(WAIT).isEqualTo(event);
        assertThatThrownBy(d.call()::receiveDtmfStop).isInstanceOf(InvalidStateException.class)
                .hasMessageContaining("no digit collection runs");

        CompletionStage<CallEvent.ReceiveDtmfCompleted> cut = d.call().receiveDtmfStart(ReceiveDtmfOptions.builder()
                .build());
        d.far().remoteHangup(200);
        assertThat(heard.next(CallEvent.ReceiveDtmfCompleted.class).reason()).isEqualTo(ReceiveDtmfEndReason.HANGUP);
        assertThat(cut).succeedsWithin(WAIT).extracting(CallEvent.ReceiveDtmfCompleted::reason)
                .isEqualTo(ReceiveDtmfEndReason.HANGUP);
        heard.next(CallEvent.Released.class);
        f.assertSameEvents(heard, d.call().resId());
    }

    @Test
    void twoCallsAreConnectedRemotelyUntilTheSecondHangsUp() {
        RemoteCtiEngine remote = f.connect(f.client());
        ClientFixture.Dialled a = f.connectedCall(remote, heard);
        ClientFixture.Dialled b = f.connectedCall(remote, heard);
        assertThatThrownBy(() -> a.call().connectStart(ConnectOptions.builder().call(a.call()).build()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("itself");
        assertThatThrownBy(() -> a.call().connectStop()).isInstanceOf(InvalidStateException.class);
        CompletionStage<CallEvent.ConnectCompleted> connected = a.call().connectStart(ConnectOptions.builder()
                .call(b.call()).mode(ConnectMode.FIRST_HEARS_SECOND).maxSeconds(600).build());
        awaitState(b.call(), CallState.CONNECT);
        assertThat(a.call().state()).isEqualTo(CallState.CONNECT);
        assertThatThrownBy(() -> b.call().connectStart(ConnectOptions.builder().call(a.call()).build()))
                .isInstanceOf(InvalidStateException.class).hasMessageContaining("already");
        Await.until("b flows to a", WAIT, () -> f.media.openConnections().size() == 1
                && f.media.openConnections().get(0).sink() == f.session(0));
        f.clock.advance(Duration.ofSeconds(7));
        b.far().remoteHangup(200);
        // Two calls' events: the second's on_released and the first's on_connect_completed, in either order.
        assertThat(connected).succeedsWithin(WAIT);
        CallEvent.ConnectCompleted event = connected.toCompletableFuture().join();
        assertThat(event).isEqualTo(new CallEvent.ConnectCompleted(a.call().resId(), b.call().resId(),
                ConnectEndReason.PEER_HANGUP, event.beginTime(), event.beginTime().plusSeconds(7), "", null));
        assertThat(heard.next(CallEvent.class)).isIn(event, b.call().whenReleased().toCompletableFuture().join());
        assertThat(heard.next(CallEvent.class)).isIn(event, b.call().whenReleased().toCompletableFuture().join());
        awaitState(a.call(), CallState.IDLE);
        a.far().remoteHangup(200);
        heard.next(CallEvent.Released.class);
        f.assertSameEvents(heard, a.call().resId());
    }

    @Test
    void keysAreSentRemotelyAndTheirCompletionArrives() {
        RemoteCtiEngine remote = f.connect(f.client());
        ClientFixture.Dialled d = f.connectedCall(remote, heard);
        assertThatThrownBy(() -> d.call().sendDtmfStart("9x")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("'x'");
        CompletionStage<CallEvent.SendDtmfCompleted> sent = d.call().sendDtmfStart("12,#");
        Await.until("the keys handed to the media", WAIT, () -> f.session(0).last("dtmf 12,#") != null);
        f.session(0).last("dtmf 12,#").finish();
        CallEvent.SendDtmfCompleted event = heard.next(CallEvent.SendDtmfCompleted.class);
        assertThat(event).isEqualTo(new CallEvent.SendDtmfCompleted(d.call().resId(), "12,#",
                SendDtmfEndReason.FINISHED, null));
        assertThat(sent).succeedsWithin(WAIT).isEqualTo(event);
        assertThatThrownBy(d.call()::sendDtmfStop).isInstanceOf(InvalidStateException.class)
                .hasMessageContaining("no keys are being sent");
        CompletionStage<CallEvent.SendDtmfCompleted> stopped = d.call().sendDtmfStart("123");
        Await.until("the keys handed to the media", WAIT, () -> f.session(0).last("dtmf 123") != null);
        d.call().sendDtmfStop();
        assertThat(stopped).succeedsWithin(WAIT).extracting(CallEvent.SendDtmfCompleted::reason)
                .isEqualTo(SendDtmfEndReason.STOPPED);
        assertThat(heard.next(CallEvent.SendDtmfCompleted.class).reason()).isEqualTo(SendDtmfEndReason.STOPPED);
        d.far().remoteHangup(200);
        heard.next(CallEvent.Released.class);
        f.assertSameEvents(heard, d.call().resId());
    }

    @Test
    void aCallIsHeldAndTakenOffHoldRemotely() {
        RemoteCtiEngine remote = f.connect(f.client());
        ClientFixture.Dialled d = f.connectedCall(remote, heard);
        assertThatThrownBy(d.call()::unhold).isInstanceOf(InvalidStateException.class)
                .hasMessageContaining("its far end is not on hold");
        CompletionStage<CallEvent.HoldCompleted> held = d.call().hold();
        d.far().awaitAction("reoffer", WAIT);
        d.far().answerReoffer(ScriptedSignaling.FAR_END_MEDIA.withDirection(MediaDirection.RECVONLY), 200, null);
        CallEvent.HoldCompleted event = heard.next(CallEvent.HoldCompleted.class);
        assertThat(event).isEqualTo(new CallEvent.HoldCompleted(d.call().resId(), true, null));
        assertThat(held).succeedsWithin(WAIT).isEqualTo(event);
        assertThat(d.call().isHeld()).isTrue();

        CompletionStage<CallEvent.HoldCompleted> refused = d.call().unhold();
        Await.until("the unhold's re-INVITE", WAIT, () -> d.far().actions().contains("reoffer SENDRECV"));
        d.far().answerReoffer(null, 491, "491 Request Pending");
        assertThat(refused).succeedsWithin(WAIT)
                .isEqualTo(new CallEvent.HoldCompleted(d.call().resId(), true, "491 Request Pending"));
        assertThat(heard.next(CallEvent.HoldCompleted.class).error()).isEqualTo("491 Request Pending");
        d.far().remoteHangup(200);
        heard.next(CallEvent.Released.class);
        assertThat(d.call().isHeld()).isFalse();
        f.assertSameEvents(heard, d.call().resId());
    }
}
