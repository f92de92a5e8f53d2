package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.CdrListener;
import org.cti4j.api.CdrRecord;

/** Records the call events and CDRs of an engine, for tests to wait on. */
final class Events implements CallListener, CdrListener {

    static final Duration WAIT = Duration.ofSeconds(20);

    private final BlockingQueue<CallEvent> events = new LinkedBlockingQueue<>();
    final List<CdrRecord> cdrs = new CopyOnWriteArrayList<>();
    final List<Call> calls = new CopyOnWriteArrayList<>();

    <T extends CallEvent> T next(Class<T> type) {
        return next(type, WAIT);
    }

    <T extends CallEvent> T next(Class<T> type, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                CallEvent event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertThat(event).as("an event of type %s within %s", type.getSimpleName(), wait).isNotNull();
                if (type.isInstance(event)) {
                    return type.cast(event);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Returns the next event already received, or {@code null}: no waiting. */
    CallEvent nextOrNull() {
        return events.poll();
    }

    @Override
    public void onIncoming(Call call, CallEvent.Incoming event) {
        calls.add(call);
        events.add(event);
    }

    @Override
    public void onDialCompleted(Call call, CallEvent.DialCompleted event) {
        events.add(event);
    }

    @Override
    public void onAnswered(Call call, CallEvent.Answered event) {
        events.add(event);
    }

    @Override
    public void onRinging(Call call, CallEvent.Ringing event) {
        events.add(event);
    }

    @Override
    public void onDtmf(Call call, CallEvent.Dtmf event) {
        events.add(event);
    }

    @Override
    public void onSendDtmfCompleted(Call call, CallEvent.SendDtmfCompleted event) {
        events.add(event);
    }

    @Override
    public void onReleased(Call call, CallEvent.Released event) {
        events.add(event);
    }

    @Override
    public void onCdr(CdrRecord record) {
        cdrs.add(record);
    }
}
