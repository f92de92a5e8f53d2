package org.cti4j.bench.load;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of the JVM's threads, grouped by name with the numbers taken out ({@code cti-media-worker-N},
 * {@code cti4j-strand-N}), to tell where a window's CPU went. Threads that end inside the window are lost; what no
 * Java thread accounts for (the GC's and the JIT compiler's threads, hidden from {@code ThreadMXBean}) is the rest.
 */
final class ThreadCpu {

    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> cpuById = new HashMap<>();
    private final Map<Long, String> groupById = new HashMap<>();

    /** Reads every live thread's CPU time now. */
    static ThreadCpu now() {
        ThreadCpu snapshot = new ThreadCpu();
        long[] ids = snapshot.mx.getAllThreadIds();
        ThreadInfo[] infos = snapshot.mx.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long cpu = snapshot.mx.getThreadCpuTime(ids[i]);
            if (infos[i] != null && cpu >= 0) {
                snapshot.cpuById.put(ids[i], cpu);
                snapshot.groupById.put(ids[i], group(infos[i].getThreadName()));
            }
        }
        return snapshot;
    }

    /** Returns a thread's group: its name with every number not glued to a letter replaced by N. */
    static String group(String threadName) {
        return threadName.replaceAll("(?<![A-Za-z])\\d+", "N");
    }

    /** Returns the groups' figures ordered largest first. */
    static Map<String, Long> largestFirst(Map<String, Long> byGroup) {
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(byGroup.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        Map<String, Long> ordered = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : sorted) {
            ordered.put(e.getKey(), e.getValue());
        }
        return ordered;
    }

    /**
     * Returns the CPU each group used since {@code before}, in per cent of one core over {@code wallNanos}, largest
     * first, with groups under 0.5 % folded into "other threads".
     */
    Map<String, Double> since(ThreadCpu before, long wallNanos) {
        Map<String, Long> byGroup = new HashMap<>();
        cpuById.forEach((id, cpu) -> byGroup.merge(groupById.get(id), cpu - before.cpuById.getOrDefault(id, 0L),
                Long::sum));
        Map<String, Double> percent = new LinkedHashMap<>();
        double other = 0;
        for (Map.Entry<String, Long> e : largestFirst(byGroup).entrySet()) {
            double p = 100.0 * e.getValue() / wallNanos;
            if (p >= 0.5) {
                percent.put(e.getKey(), p);
            } else {
                other += p;
            }
        }
        if (other > 0) {
            percent.put("other threads", other);
        }
        return percent;
    }
}
