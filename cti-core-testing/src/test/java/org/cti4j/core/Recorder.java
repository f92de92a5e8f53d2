package org.cti4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.CdrListener;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.Conference;
import org.cti4j.api.ConferenceEvent;
import org.cti4j.api.ConferenceListener;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackListener;

/**
 * A listener of every kind that records what it hears, lets a test wait for the next event, and checks the
 * engine's promises as events arrive: one {@code onReleased} per resource, nothing after it, one thread at a time
 * per resource.
 */
final class Recorder implements CallListener, DuoCallbackListener, ConferenceListener, CdrListener {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final List<Object> all = new CopyOnWriteArrayList<>();
    private final List<CdrRecord> cdrs = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> releases = new ConcurrentHashMap<>();
    private final Map<String, Thread> inside = new ConcurrentHashMap<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();

    private void hear(String resId, Object event) {
        Thread previous = inside.putIfAbsent(resId, Thread.currentThread());
        if (previous != null) {
            violations.add("two listener calls at once for " + resId + ": " + event);
        }
        try {
            if (releases.containsKey(resId)) {
                violations.add("event after onReleased for " + resId + ": " + event);
            }
            if (event instanceof CallEvent.Released || event instanceof DuoCallbackEvent.Released
                    || event instanceof ConferenceEvent.Released) {
                releases.merge(resId, 1, Integer::sum);
            }
            all.add(event);
            events.add(event);
        } finally {
            inside.remove(resId);
        }
    }

    /** Waits for the next event (of any resource) and checks it is a {@code type}. */
    <T> T next(Class<T> type) {
        try {
            Object event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(event).as("the next event, expected a %s", type.getSimpleName()).isNotNull();
            assertThat(event).as("the next event").isInstanceOf(type);
            return type.cast(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits for the next event of type {@code type}, skipping others. */
    <T> T nextOf(Class<T> type) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (true) {
                Object event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertThat(event).as("an event of type %s", type.getSimpleName()).isNotNull();
                if (type.isInstance(event)) {
                    return type.cast(event);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Returns the events not yet taken by {@link #next}. */
    List<Object> pending() {
        return new ArrayList<>(events);
    }

    /** Returns every event heard, in order. */
    List<Object> all() {
        return List.copyOf(all);
    }

    /** Returns the CDRs received. */
    List<CdrRecord> cdrs() {
        return List.copyOf(cdrs);
    }

    /** Returns how many {@code onReleased} each resource had. */
    Map<String, Integer> releases() {
        return Map.copyOf(releases);
    }

    /** Returns the {@code res_id} of a call, duo callback or conference event. */
    static String resIdOf(Object event) {
        if (event instanceof CallEvent e) {
            return e.resId();
        }
        if (event instanceof DuoCallbackEvent e) {
            return e.resId();
        }
        return ((ConferenceEvent) event).resId();
    }

    /** Returns the broken promises seen so far. */
    List<String> violations() {
        return List.copyOf(violations);
    }

    @Override
    public void onIncoming(Call call, CallEvent.Incoming event) {
        hear(call.resId(), event);
    }

    @Override
    public void onDialCompleted(Call call, CallEvent.DialCompleted event) {
        hear(call.resId(), event);
    }

    @Override
    public void onAnswered(Call call, CallEvent.Answered event) {
        hear(call.resId(), event);
    }

    @Override
    public void onRinging(Call call, CallEvent.Ringing event) {
        hear(call.resId(), event);
    }

    @Override
    public void onPlayCompleted(Call call, CallEvent.PlayCompleted event) {
        hear(call.resId(), event);
    }

    @Override
    public void onRecordCompleted(Call call, CallEvent.RecordCompleted event) {
        hear(call.resId(), event);
    }

    @Override
    public void onDtmf(Call call, CallEvent.Dtmf event) {
        hear(call.resId(), event);
    }

    @Override
    public void onReceiveDtmfCompleted(Call call, CallEvent.ReceiveDtmfCompleted event) {
        hear(call.resId(), event);
    }

    @Override
    public void onSendDtmfCompleted(Call call, CallEvent.SendDtmfCompleted event) {
        hear(call.resId(), event);
    }

    @Override
    public void onConnectCompleted(Call call, CallEvent.ConnectCompleted event) {
        hear(call.resId(), event);
    }

    @Override
    public void onHoldCompleted(Call call, CallEvent.HoldCompleted event) {
        hear(call.resId(), event);
    }

    @Override
    public void onReleased(Call call, CallEvent.Released event) {
        hear(call.resId(), event);
    }

    @Override
    public void onStateChanged(DuoCallback duoCallback, DuoCallbackEvent.StateChanged event) {
        hear(duoCallback.resId(), event);
    }

    @Override
    public void onReleased(DuoCallback duoCallback, DuoCallbackEvent.Released event) {
        hear(duoCallback.resId(), event);
    }

    @Override
    public void onMemberEntered(Conference conference, ConferenceEvent.MemberEntered event) {
        hear(conference.resId(), event);
    }

    @Override
    public void onMemberExited(Conference conference, ConferenceEvent.MemberExited event) {
        hear(conference.resId(), event);
    }

    @Override
    public void onReleased(Conference conference, ConferenceEvent.Released event) {
        hear(conference.resId(), event);
    }

    @Override
    public void onCdr(CdrRecord record) {
        cdrs.add(record);
    }
}
