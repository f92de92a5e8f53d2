package org.cti4j.rpc;

import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.Conference;
import org.cti4j.api.ConferenceEvent;
import org.cti4j.api.ConferenceListener;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackListener;

/**
 * Hears one resource's events in the engine and routes them, as notifications, to the session that owns it. Runs on
 * the engine's event executor; it only encodes and queues, never blocks.
 */
final class ServerListener implements CallListener, DuoCallbackListener, ConferenceListener {

    private final ServerSessions sessions;
    private final Route route;

    ServerListener(ServerSessions sessions, Route route) {
        this.sessions = sessions;
        this.route = route;
    }

    @Override
    public void onDialCompleted(Call call, CallEvent.DialCompleted event) {
        route.emit(EventFrames.of(event));
    }

    @Override
    public void onAnswered(Call call, CallEvent.Answered event) {
        route.emit(EventFrames.of(event));
    }

    @Override
    public void onRinging(Call call, CallEvent.Ringing event) {
        route.emit(EventFrames.of(event));
    }

    @Override
    public void onPlayCompleted(Call call, CallEvent.PlayCompleted event) {
        route.emit(EventFrames.of(event));
    }

    @Override
    public void onRecordCompleted(Call call, CallEvent.RecordCompleted event) {
        route.emit(EventFrames.of(event));
    }

    @Override
    public void onDtmf(Call call, CallEvent.Dtmf event) {
        route.emit(EventFrames.of(event));
    }

    @Override
    public void onReceiveDtmfCompleted(Call call, CallEvent.ReceiveDtmfCompleted event) {
        route.emit(EventFrames.of(event));
    }

    @Override
    public void onSendDtmfCompleted(Call call, CallEvent.SendDtmfCompleted event) {
        route.emit(EventFrames.of(event));
    }

    @Override
    public void onConnectCompleted(Call call, CallEvent.ConnectCompleted event) {
        route.emit(EventFrames.of(event));
    }

    @Override
    public void onHoldCompleted(Call call, CallEvent.HoldCompleted event) {
        route.emit(EventFrames.of(event));
    }

    @Override
    public void onReleased(Call call, CallEvent.Released event) {
        route.emit(EventFrames.of(event));
        sessions.released(route);
    }

    @Override
    public void onStateChanged(DuoCallback duoCallback, DuoCallbackEvent.StateChanged event) {
        route.emit(EventFrames.of(event));
    }

    @Override
    public void onReleased(DuoCallback duoCallback, DuoCallbackEvent.Released event) {
        route.emit(EventFrames.of(event));
        sessions.released(route);
    }

    @Override
    public void onMemberEntered(Conference conference, ConferenceEvent.MemberEntered event) {
        route.emit(EventFrames.of(event));
    }

    @Override
    public void onMemberExited(Conference conference, ConferenceEvent.MemberExited event) {
        route.emit(EventFrames.of(event));
    }

    @Override
    public void onReleased(Conference conference, ConferenceEvent.Released event) {
        route.emit(EventFrames.of(event));
        sessions.released(route);
    }
}
