package org.cti4j.bench.load;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The bytes the JVM's threads allocated on the heap (HotSpot's per-thread counters, read through
 * {@code com.sun.management.ThreadMXBean}), the harness's own threads apart from the rest: the engine's, with the
 * listeners it calls. Threads that end inside a window are lost (the engine's pools keep theirs). Null when the JVM
 * does not count.
 */
final class ThreadAllocation {

    private final Map<Long, Long> bytesById = new HashMap<>();
    private final Map<Long, String> groupById = new HashMap<>();
    private final Set<Long> harnessIds = new HashSet<>();

    private ThreadAllocation() {
    }

    /** Reads every live thread's allocated bytes now; null if this JVM does not count them. */
    static ThreadAllocation now(OwnThreads own) {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)
                || !mx.isThreadAllocatedMemorySupported() || !mx.isThreadAllocatedMemoryEnabled()) {
            return null;
        }
        ThreadAllocation snapshot = new ThreadAllocation();
        long[] ids = mx.getAllThreadIds();
        long[] bytes = mx.getThreadAllocatedBytes(ids);
        ThreadInfo[] infos = mx.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] != null && bytes[i] >= 0) {
                snapshot.bytesById.put(ids[i], bytes[i]);
                snapshot.groupById.put(ids[i], ThreadCpu.group(infos[i].getThreadName()));
                if (own.owns(ids[i])) {
                    snapshot.harnessIds.add(ids[i]);
                }
            }
        }
        return snapshot;
    }

    /**
     * Returns what the threads allocated since {@code before}, over {@code legs} call legs; null if either snapshot
     * is.
     */
    static RunReport.AllocationFigures between(ThreadAllocation before, ThreadAllocation after, String window,
            int legs) {
        if (before == null || after == null) {
            return null;
        }
        long engine = 0;
        long harness = 0;
        Map<String, Long> byGroup = new HashMap<>();
        for (Map.Entry<Long, Long> e : after.bytesById.entrySet()) {
            long id = e.getKey();
            long bytes = e.getValue() - before.bytesById.getOrDefault(id, 0L);
            if (after.harnessIds.contains(id)) {
                harness += bytes;
            } else {
                engine += bytes;
                byGroup.merge(after.groupById.get(id), bytes, Long::sum);
            }
        }
        return new RunReport.AllocationFigures(window, legs, engine, harness, ThreadCpu.largestFirst(byGroup));
    }
}
