package org.cti4j.bench.load;

import java.time.Duration;
import java.time.Instant;

/**
 * When each step of each duo callback (or call) of a run happened, in {@link System#nanoTime()} of the harness; 0
 * means "not seen". One slot per call id, allocated before the run starts so that keeping them does not grow the heap
 * while it is measured.
 *
 * <p>Each column is written by one thread (the launcher, a relay thread, the probe thread or an engine event thread,
 * first write wins for steps that can repeat, such as a retransmitted INVITE) and read after the run, once those
 * threads have stopped or handed over through a volatile or atomic write.
 */
final class Timelines {

    /** The call ended as it should: answered (bridged), then released without error after its hold. */
    static final byte OK = 1;
    /** The call ended otherwise: an error, never bridged or answered, or it could not be started. */
    static final byte FAILED = 2;
    /** The engine refused to start it ({@code EngineUnavailableException}): not a failure, never on the wire. */
    static final byte REFUSED = 3;

    final long[] construct;
    /** The INVITE to party 1 (or the call's only INVITE) passed the relay. */
    final long[] invite1;
    /** Party 1's (or the callee's) 200 OK to the INVITE passed the relay. */
    final long[] ok1;
    /** The INVITE to party 2 passed the relay. */
    final long[] invite2;
    /** Party 2's 200 OK to the INVITE passed the relay. */
    final long[] ok2;
    /** The engine's time of the move to CONNECTED (duo) or of the answer (call), converted to nanoTime. */
    final long[] connected;
    /** When the harness's listener heard of that move (after the engine's event executor ran it). */
    final long[] connectedHeard;
    /** The probe received the first packet carrying party 1's audio (probe calls only). */
    final long[] audio2;
    /** When the harness's listener heard on_released. */
    final long[] released;
    final byte[] outcome;
    /** Which engine took the call: 1 + the index of the engine its {@code res_id} names; 0 unknown or refused. */
    final byte[] engine;
    final boolean[] probe;
    private final long baseNanos;
    private final Instant baseWall;

    Timelines(int capacity) {
        construct = new long[capacity];
        invite1 = new long[capacity];
        ok1 = new long[capacity];
        invite2 = new long[capacity];
        ok2 = new long[capacity];
        connected = new long[capacity];
        connectedHeard = new long[capacity];
        audio2 = new long[capacity];
        released = new long[capacity];
        outcome = new byte[capacity];
        engine = new byte[capacity];
        probe = new boolean[capacity];
        // The engine's event times are wall-clock Instants (microseconds on Linux); this pair maps them onto nanoTime.
        long before = System.nanoTime();
        baseWall = Instant.now();
        long after = System.nanoTime();
        baseNanos = before + (after - before) / 2;
    }

    int capacity() {
        return construct.length;
    }

    /** Returns the nanoTime an engine event {@link Instant} corresponds to (0 for null). */
    long toNanos(Instant time) {
        if (time == null) {
            return 0;
        }
        return baseNanos + Duration.between(baseWall, time).toNanos();
    }

    /** Sets {@code column[id]} to {@code nanos} unless it is set already or the id is out of range. */
    static void first(long[] column, int id, long nanos) {
        if (id >= 0 && id < column.length && column[id] == 0) {
            column[id] = nanos;
        }
    }

    /**
     * Returns {@code to[i] - from[i]} for each id in {@code [start, end)} where both are set, in nanoseconds.
     * Negative differences (an event seen by two clocks in the other order) are kept: they are part of the truth.
     */
    LongSamples between(long[] from, long[] to, int start, int end) {
        LongSamples samples = new LongSamples(Math.max(16, end - start));
        for (int i = start; i < end; i++) {
            if (from[i] != 0 && to[i] != 0) {
                samples.add(to[i] - from[i]);
            }
        }
        return samples;
    }
}
