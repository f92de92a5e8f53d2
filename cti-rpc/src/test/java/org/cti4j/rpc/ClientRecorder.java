package org.cti4j.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
import org.cti4j.api.Conference;
import org.cti4j.api.ConferenceEvent;
import org.cti4j.api.ConferenceListener;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackListener;
import org.cti4j.api.Resource;

/**
 * A listener of every kind that records what it hears, lets a test wait for the next event, and checks the
 * client's promises as events arrive: one {@code onReleased} per resource, nothing after it, one listener call at a
 * time, never on the WebSocket's threads, and the resource passed is the one the event names.
 */
final class ClientRecorder implements CallListener, DuoCallbackListener, ConferenceListener {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final List<Object> all = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> releases = new ConcurrentHashMap<>();
    private final Map<String, Resource> resources = new ConcurrentHashMap<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Object inside = new Object();
    private volatile Thread current;

    private void hear(Resource resource, String resId, Object event) {
        Thread me = Thread.currentThread();
        if (current != null) {
            violations.add("two listener calls at once: " + event);
        }
        current = me;
        try {
            synchronized (inside) {
                if (me.getName().startsWith("cti4j-rpc-client") || me.getName().startsWith("HttpClient")) {
                    violations.add("a listener ran on the WebSocket thread " + me.getName() + ": " + event);
                }
                if (!resource.resId().equals(resId)) {
                    violations.add("event of " + resId + " given with " + resource.resId());
                }
                if (releases.containsKey(resId)) {
                    violations.add("event after onReleased for " + resId + ": " + event);
                }
                if (event instanceof CallEvent.Released || event instanceof DuoCallbackEvent.Released
                        || event instanceof ConferenceEvent.Released) {
                    releases.merge(resId, 1, Integer::sum);
                }
                resources.put(resId, resource);
                all.add(event);
                events.add(event);
            }
        } finally {
            current = null;
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

    /** Returns the events not yet taken by {@link #next}. */
    List<Object> pending() {
        return List.copyOf(events);
    }

    /** Returns every event heard, in order. */
    List<Object> all() {
        return List.copyOf(all);
    }

    /** Returns the resource the listener was last given for {@code resId}. */
    Resource resource(String resId) {
        return resources.get(resId);
    }

    /** Returns how many {@code onReleased} each resource had. */
    Map<String, Integer> releases() {
        return Map.copyOf(releases);
    }

    /** Returns the broken promises seen so far. */
    List<String> violations() {
        return List.copyOf(violations);
    }

    @Override
    public void onIncoming(Call call, CallEvent.Incoming event) {
        hear(call, event.resId(), event);
    }

    @Override
    public void onDialCompleted(Call call, CallEvent.DialCompleted event) {
        hear(call, event.resId(), event);
    }

    @Override
    public void onAnswered(Call call, CallEvent.Answered event) {
        hear(call, event.resId(), event);
    }

    @Override
    public void onPlayCompleted(Call call, CallEvent.PlayCompleted event) {
        hear(call, event.resId(), event);
    }

    @Override
    public void onRecordCompleted(Call call, CallEvent.RecordCompleted event) {
        hear(call, event.resId(), event);
    }

    @Override
    public void onDtmf(Call call, CallEvent.Dtmf event) {
        hear(call, event.resId(), event);
    }

    @Override
    public void onRinging(Call call, CallEvent.Ringing event) {
        hear(call, event.resId(), event);
    }

    @Override
    public void onReceiveDtmfCompleted(Call call, CallEvent.ReceiveDtmfCompleted event) {
        hear(call, event.resId(), event);
    }

    @Override
    public void onSendDtmfCompleted(Call call, CallEvent.SendDtmfCompleted event) {
        hear(call, event.resId(), event);
    }

    @Override
    public void onConnectCompleted(Call call, CallEvent.ConnectCompleted event) {
        hear(call, event.resId(), event);
    }

    @Override
    public void onHoldCompleted(Call call, CallEvent.HoldCompleted event) {
        hear(call, event.resId(), event);
    }

    @Override
    public void onReleased(Call call, CallEvent.Released event) {
        hear(call, event.resId(), event);
    }

    @Override
    public void onStateChanged(DuoCallback duoCallback, DuoCallbackEvent.StateChanged event) {
        hear(duoCallback, event.resId(), event);
    }

    @Override
    public void onReleased(DuoCallback duoCallback, DuoCallbackEvent.Released event) {
        hear(duoCallback, event.resId(), event);
    }

    @Override
    public void onMemberEntered(Conference conference, ConferenceEvent.MemberEntered event) {
        hear(conference, event.resId(), event);
    }

    @Override
    public void onMemberExited(Conference conference, ConferenceEvent.MemberExited event) {
        hear(conference, event.resId(), event);
    }

    @Override
    public void onReleased(Conference conference, ConferenceEvent.Released event) {
        hear(conference, event.resId(), event);
    }
}
