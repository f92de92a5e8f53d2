package org.cti4j.bench.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The run's running totals, updated by the launcher and the engine's event threads, read by the sampler. */
final class Counters {

    /** Duo callbacks (or calls) the harness started. */
    final AtomicInteger launched = new AtomicInteger();
    /** Those that reached CONNECTED (duo) or were answered (call): set up. */
    final AtomicInteger connected = new AtomicInteger();
    /** Those bridged (or answered) and not yet released. */
    final AtomicInteger bridgedNow = new AtomicInteger();
    /** Those whose on_released the harness heard (the last write of a call: it publishes the others). */
    final AtomicInteger released = new AtomicInteger();
    /** Those that ended otherwise than bridged, then released without error. */
    final AtomicInteger failed = new AtomicInteger();
    /**
     * Those the engine refused to start ({@code EngineUnavailableException}: at its admission limits, or draining):
     * neither failed nor lost, and never on the wire.
     */
    final AtomicInteger refused = new AtomicInteger();
    /** Launches that went out later than due by more than one interval (the concurrency cap, a slow launcher). */
    final AtomicInteger late = new AtomicInteger();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();

    /** Counts a failure and why. */
    void fail(String why) {
        failed.incrementAndGet();
        tally(failures, why);
    }

    /**
     * Counts a refusal and why: the engine's message with its numbers as {@code N} ("engine N.N.N is at its limit: N
     * new calls in this second already"), so that refusals for one reason count as one.
     */
    void refuse(String why) {
        refused.incrementAndGet();
        tally(refusals, why == null ? "(no message)" : why.replaceAll("[0-9]+", "N"));
    }

    private static void tally(Map<String, LongAdder> reasons, String why) {
        String key = reasons.size() < 50 || reasons.containsKey(why) ? why : "(other reasons)";
        reasons.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** Returns why calls failed, and how often. */
    Map<String, Long> failures() {
        return copy(failures);
    }

    /** Returns why the engine refused calls, and how often. */
    Map<String, Long> refusals() {
        return copy(refusals);
    }

    private static Map<String, Long> copy(Map<String, LongAdder> reasons) {
        Map<String, Long> copy = new TreeMap<>();
        reasons.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    /** Returns how many are alive: started, not yet released. */
    int live() {
        return launched.get() - released.get();
    }
}
