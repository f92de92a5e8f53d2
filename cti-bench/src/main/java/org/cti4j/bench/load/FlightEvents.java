package org.cti4j.bench.load;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.Category;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;

/**
 * Collects the engines' timing events through a Flight Recorder stream in the harness's own process: {@value
 * #INVITE_ANSWERED} and {@value #FIRST_RELAYED_PACKET} for the bridges, {@value #MEDIA_TICK} for the media clock, read
 * by name (the harness does not depend on the engine's event classes, and an engine without them simply yields none).
 *
 * <p>The stream calls back on its own thread, the only writer: each bridge event is copied into primitive arrays
 * sized for the run before it starts (what does not fit is counted as dropped), each tick into growable samples, and
 * the counts are published through volatile writes. Events reach the stream when the JVM flushes its buffers, about once a second, so {@link #close()} commits a
 * mark of its own and waits, with a deadline, for the stream to deliver it twice over: every event committed before
 * is then in. The figures are read after {@code close()}.
 */
final class FlightEvents implements AutoCloseable {

    static final String INVITE_ANSWERED = "org.cti4j.sip.InviteAnswered";
    static final String FIRST_RELAYED_PACKET = "org.cti4j.media.FirstRelayedPacket";
    static final String MEDIA_TICK = "org.cti4j.media.Tick";
    private static final String MARK = "org.cti4j.bench.FlightMark";
    /** How long each flush may take to bring a mark back: the JVM flushes every second, a loaded machine later. */
    private static final Duration FLUSH_WAIT = Duration.ofSeconds(10);
    private static final AtomicLong COLLECTORS = new AtomicLong();

    /** The harness's own event: where the measured window starts, and the marks that show the stream caught up. */
    @Name(MARK)
    @Label("Load harness mark")
    @Category("cti4j load harness")
    @StackTrace(false)
    static final class Mark extends Event {
        @Label("Collector")
        long collector;
        @Label("Sequence (0: the measured window starts)")
        long sequence;
    }

    private final RecordingStream stream;
    private final String unavailable;
    private final long id = COLLECTORS.incrementAndGet();
    private final OwnThreads threads;

    private final long[] answerAt;
    private final int[] answerPort;
    private volatile int answers;

    private final long[] relayAt;
    private final int[] relaySource;
    private final int[] relaySink;
    private final long[] relaySinceArmed;
    private final long[] relaySinceReceived;
    private volatile int relays;

    /** The media threads' ticks: when each ended (ns since the epoch), how late it began and how long it took. */
    private final LongSamples tickAt = new LongSamples();
    private final LongSamples tickLateness = new LongSamples();
    private final LongSamples tickWork = new LongSamples();
    private volatile int ticks;

    private final AtomicInteger dropped = new AtomicInteger();
    private volatile long measuredFrom = Long.MIN_VALUE;
    private volatile long marksSeen;
    private long marksSent;
    private boolean adopted;
    private boolean closed;
    private boolean caughtUp = true;

    private FlightEvents(RecordingStream stream, String unavailable, int capacity, OwnThreads threads) {
        this.stream = stream;
        this.unavailable = unavailable;
        this.threads = threads;
        int room = stream == null ? 0 : capacity;
        answerAt = new long[room];
        answerPort = new int[room];
        relayAt = new long[room];
        relaySource = new int[room];
        relaySink = new int[room];
        relaySinceArmed = new long[room];
        relaySinceReceived = new long[room];
    }

    /**
     * Starts recording the two events (threshold 0, no stack traces), with room for {@code capacity} of each.
     * If the JVM cannot record (no Flight Recorder), returns a collector that sees nothing and says why.
     *
     * @param threads the harness's threads: the stream's thread is counted among them once it calls back
     */
    static FlightEvents start(int capacity, OwnThreads threads) {
        RecordingStream stream;
        try {
            stream = new RecordingStream();
        } catch (IllegalStateException | SecurityException e) {
            return new FlightEvents(null, String.valueOf(e.getMessage()), 0, threads);
        }
        FlightEvents events = new FlightEvents(stream, null, capacity, threads);
        for (String name : List.of(INVITE_ANSWERED, FIRST_RELAYED_PACKET, MEDIA_TICK, MARK)) {
            stream.enable(name).withThreshold(Duration.ZERO).withoutStackTrace();
        }
        // the matching sorts by time itself: no need for the stream to order each flush
        stream.setOrdered(false);
        stream.setReuse(true);
        stream.onEvent(INVITE_ANSWERED, events::onAnswer);
        stream.onEvent(FIRST_RELAYED_PACKET, events::onRelay);
        stream.onEvent(MEDIA_TICK, events::onTick);
        stream.onEvent(MARK, events::onMark);
        stream.startAsync();
        return events;
    }

    /** Returns why nothing could be recorded, or null if the stream runs. */
    String unavailable() {
        return unavailable;
    }

    /** Marks the start of the measured window: answers from now on count. Call from the launcher. */
    void markMeasuredFrom() {
        mark(0);
    }

    private void mark(long sequence) {
        Mark mark = new Mark();
        mark.collector = id;
        mark.sequence = sequence;
        mark.commit();
    }

    private void onAnswer(RecordedEvent e) {
        adoptStreamThread();
        int n = answers;
        if (n == answerAt.length) {
            dropped.incrementAndGet();
            return;
        }
        long waited;
        try {
            answerPort[n] = e.getInt("mediaPort");
            // the event is committed when the leg takes the 2xx in; it arrived this long before
            waited = e.getDuration("sinceReceived").toNanos();
        } catch (IllegalArgumentException | ArithmeticException ex) {
            dropped.incrementAndGet();
            return;
        }
        answerAt[n] = epochNanos(e.getStartTime()) - waited;
        answers = n + 1;
    }

    private void onRelay(RecordedEvent e) {
        adoptStreamThread();
        int n = relays;
        if (n == relayAt.length) {
            dropped.incrementAndGet();
            return;
        }
        try {
            relaySource[n] = e.getInt("sourcePort");
            relaySink[n] = e.getInt("sinkPort");
            relaySinceArmed[n] = e.getDuration("sinceArmed").toNanos();
            relaySinceReceived[n] = e.getDuration("sinceReceived").toNanos();
        } catch (IllegalArgumentException | ArithmeticException ex) {
            dropped.incrementAndGet();
            return;
        }
        relayAt[n] = epochNanos(e.getStartTime());
        relays = n + 1;
    }

    private void onTick(RecordedEvent e) {
        adoptStreamThread();
        long lateness;
        long work;
        try {
            lateness = e.getDuration("lateness").toNanos();
            work = e.getDuration("work").toNanos();
        } catch (IllegalArgumentException | ArithmeticException ex) {
            dropped.incrementAndGet();
            return;
        }
        tickAt.add(epochNanos(e.getStartTime()));
        tickLateness.add(lateness);
        tickWork.add(work);
        ticks = tickAt.size(); // publishes the samples to the thread that reads them after close
    }

    private void onMark(RecordedEvent e) {
        if (e.getLong("collector") != id) {
            return;
        }
        long sequence = e.getLong("sequence");
        if (sequence == 0) {
            measuredFrom = epochNanos(e.getStartTime());
        } else if (sequence > marksSeen) {
            marksSeen = sequence; // this thread is the only writer
        }
    }

    private void adoptStreamThread() {
        if (!adopted && threads != null) {
            adopted = true;
            threads.adopt(Thread.currentThread());
        }
    }

    private static long epochNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /**
     * Waits until the stream has delivered everything committed before this call (at most twice {@code
     * FLUSH_WAIT}), then stops it. Safe to call twice: later calls only tell what the first found.
     *
     * @return whether the stream caught up within the deadline
     */
    boolean drainAndClose() {
        if (closed || stream == null) {
            closed = true;
            return caughtUp;
        }
        closed = true;
        try {
            // A flush that delivers the first mark may have taken another thread's buffer before that thread's
            // last commit; the flush that delivers the second began after the first was delivered, so it did not.
            boolean first = awaitMark();
            caughtUp = first && awaitMark();
        } finally {
            stream.close();
        }
        return caughtUp;
    }

    @Override
    public void close() {
        drainAndClose();
    }

    private boolean awaitMark() {
        long sequence = ++marksSent;
        mark(sequence);
        long deadline = System.nanoTime() + FLUSH_WAIT.toNanos();
        while (marksSeen < sequence) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(10_000_000L);
        }
        return true;
    }

    /** Returns the answers seen so far. */
    List<FlightMatch.Answer> answers() {
        int n = answers;
        List<FlightMatch.Answer> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(new FlightMatch.Answer(answerAt[i], answerPort[i]));
        }
        return list;
    }

    /** Returns the first relayed packets seen so far. */
    List<FlightMatch.Relay> relays() {
        int n = relays;
        List<FlightMatch.Relay> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(new FlightMatch.Relay(relayAt[i], relaySource[i], relaySink[i], relaySinceArmed[i],
                    relaySinceReceived[i]));
        }
        return list;
    }

    /**
     * Returns the figures of the bridges answered since {@link #markMeasuredFrom()} (of every bridge if it was not
     * called or its mark was not seen). Call after {@link #close()}.
     */
    RunReport.FlightFigures figures() {
        return FlightMatch.figures(answers(), relays(), measuredFrom, dropped.get()).withClock(clock());
    }

    /** Returns how the media threads' clock kept time from {@link #markMeasuredFrom()} on. Call after close. */
    RunReport.MediaClock clock() {
        int n = ticks;
        long from = measuredFrom;
        LongSamples lateness = new LongSamples(n);
        LongSamples work = new LongSamples(n);
        for (int i = 0; i < n; i++) {
            if (tickAt.get(i) >= from) {
                lateness.add(tickLateness.get(i));
                work.add(tickWork.get(i));
            }
        }
        return RunReport.MediaClock.of(lateness.sorted(), work.percentiles().scaled(1e6));
    }
}
