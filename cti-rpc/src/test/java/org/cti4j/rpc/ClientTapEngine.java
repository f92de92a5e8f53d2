package org.cti4j.rpc;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.Conference;
import org.cti4j.api.ConferenceEvent;
import org.cti4j.api.ConferenceListener;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.CtiEngine;
import org.cti4j.api.DialOptions;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackListener;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.Resource;

/**
 * The embedded engine as the server sees it, with a tap: every event the engine gives the server's listeners is
 * recorded first, so that a test can check the remote client heard the very same events.
 */
final class ClientTapEngine implements CtiEngine {

    private final CtiEngine engine;
    private final List<Object> events = new CopyOnWriteArrayList<>();

    ClientTapEngine(CtiEngine engine) {
        this.engine = engine;
    }

    /** Returns the events the embedded engine gave about {@code resId}, in order. */
    List<Object> events(String resId) {
        return events.stream().filter(e -> resIdOf(e).equals(resId)).toList();
    }

    private static String resIdOf(Object event) {
        if (event instanceof CallEvent e) {
            return e.resId();
        }
        if (event instanceof DuoCallbackEvent e) {
            return e.resId();
        }
        return ((ConferenceEvent) event).resId();
    }

    @Override
    public String nodeId() {
        return engine.nodeId();
    }

    @Override
    public Call dial(DialOptions options, CallListener listener) {
        return engine.dial(options, tap(listener));
    }

    @Override
    public DuoCallback startDuoCallback(DuoCallbackOptions options, DuoCallbackListener listener) {
        return engine.startDuoCallback(options, new DuoCallbackListener() {
            @Override
            public void onStateChanged(DuoCallback duo, DuoCallbackEvent.StateChanged event) {
                events.add(event);
                listener.onStateChanged(duo, event);
            }

            @Override
            public void onReleased(DuoCallback duo, DuoCallbackEvent.Released event) {
                events.add(event);
                listener.onReleased(duo, event);
            }
        });
    }

    @Override
    public Conference createConference(ConferenceOptions options, ConferenceListener listener) {
        return engine.createConference(options, new ConferenceListener() {
            @Override
            public void onMemberEntered(Conference conference, ConferenceEvent.MemberEntered event) {
                events.add(event);
                listener.onMemberEntered(conference, event);
            }

            @Override
            public void onMemberExited(Conference conference, ConferenceEvent.MemberExited event) {
                events.add(event);
                listener.onMemberExited(conference, event);
            }

            @Override
            public void onReleased(Conference conference, ConferenceEvent.Released event) {
                events.add(event);
                listener.onReleased(conference, event);
            }
        });
    }

    @Override
    public Optional<Resource> find(String resId) {
        return engine.find(resId);
    }

    @Override
    public List<Resource> resources() {
        return engine.resources();
    }

    @Override
    public void setIncomingCallListener(CallListener listener) {
        engine.setIncomingCallListener(listener == null ? null : tap(listener));
    }

    @Override
    public CompletionStage<Void> shutdown() {
        return engine.shutdown();
    }

    @Override
    public void close() {
        engine.close();
    }

    private CallListener tap(CallListener listener) {
        return new CallListener() {
            @Override
            public void onIncoming(Call call, CallEvent.Incoming event) {
                events.add(event);
                listener.onIncoming(call, event);
            }

            @Override
            public void onDialCompleted(Call call, CallEvent.DialCompleted event) {
                events.add(event);
                listener.onDialCompleted(call, event);
            }

            @Override
            public void onAnswered(Call call, CallEvent.Answered event) {
                events.add(event);
                listener.onAnswered(call, event);
            }

            @Override
            public void onPlayCompleted(Call call, CallEvent.PlayCompleted event) {
                events.add(event);
                listener.onPlayCompleted(call, event);
            }

            @Override
            public void onRecordCompleted(Call call, CallEvent.RecordCompleted event) {
                events.add(event);
                listener.onRecordCompleted(call, event);
            }

            @Override
            public void onDtmf(Call call, CallEvent.Dtmf event) {
                events.add(event);
                listener.onDtmf(call, event);
            }

            @Override
            public void onRinging(Call call, CallEvent.Ringing event) {
                events.add(event);
                listener.onRinging(call, event);
            }

            @Override
            public void onReceiveDtmfCompleted(Call call, CallEvent.ReceiveDtmfCompleted event) {
                events.add(event);
                listener.onReceiveDtmfCompleted(call, event);
            }

            @Override
            public void onSendDtmfCompleted(Call call, CallEvent.SendDtmfCompleted event) {
                events.add(event);
                listener.onSendDtmfCompleted(call, event);
            }

            @Override
            public void onConnectCompleted(Call call, CallEvent.ConnectCompleted event) {
                events.add(event);
                listener.onConnectCompleted(call, event);
            }

            @Override
            public void onHoldCompleted(Call call, CallEvent.HoldCompleted event) {
                events.add(event);
                listener.onHoldCompleted(call, event);
            }

            @Override
            public void onReleased(Call call, CallEvent.Released event) {
                events.add(event);
                listener.onReleased(call, event);
            }
        };
    }
}
