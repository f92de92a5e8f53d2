package org.cti4j.core.internal;

import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes {@code res_id}s, {@code <node>-<module>-<process_id>}. The {@code process_id} is the engine clock's time in
 * microseconds when it is later than the last one given, else the last one plus one: unique and strictly increasing
 * within the engine, and unlikely to repeat after a restart.
 */
final class ResIds {

    private final String nodeId;
    private final InstantSource clock;
    private final AtomicLong last = new AtomicLong();

    ResIds(String nodeId, InstantSource clock) {
        this.nodeId = nodeId;
        this.clock = clock;
    }

    long nextProcessId() {
        long micros = Math.multiplyExact(clock.millis(), 1000L);
        return last.updateAndGet(previous -> Math.max(previous + 1, micros));
    }

    String resId(String module, long processId) {
        return nodeId + "-" + module + "-" + processId;
    }
}
