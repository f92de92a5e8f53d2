package org.cti4j.bench.load;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Takes a {@link Sample} every second on a thread of the harness: the counters, the engines' live resources (all of
 * them together), CPU (process, harness threads, SIPp, machine), heap, GC pauses, threads and RTP sockets (in the
 * whole {@code --rtp-ports} range, which holds every engine's slice).
 */
final class Sampler implements AutoCloseable {

    private final IntSupplier liveResources;
    private final Counters counters;
    private final OwnThreads threads;
    private final GcMonitor gc;
    private final List<SippFarEnd> sipps;
    private final int[] rtpPorts;
    private final long startNanos;
    private final OperatingSystemMXBean os =
            ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final ThreadMXBean threadMx = ManagementFactory.getThreadMXBean();
    private final ScheduledExecutorService timer;
    private final List<Sample> samples = new ArrayList<>();
    private volatile String phase = "idle";
    private Reading last;

    /** The cumulative values a sample is the difference of. */
    // A reading is only subtracted from, never compared or hashed.
    @SuppressWarnings("ArrayRecordComponent")
    private record Reading(long nanos, long processCpu, long harnessCpu, long sippCpu, long[] machine, int launched,
            int connected, int refused, int gcPauses, long threadsStarted) {
    }

    /**
     * Creates a sampler; it does not start.
     *
     * @param liveResources the resources live in the engines now (every engine's {@code resources()} together)
     */
    Sampler(IntSupplier liveResources, Counters counters, OwnThreads threads, GcMonitor gc, List<SippFarEnd> sipps,
            int[] rtpPorts, long startNanos) {
        this.liveResources = liveResources;
        this.counters = counters;
        this.threads = threads;
        this.gc = gc;
        this.sipps = List.copyOf(sipps);
        this.rtpPorts = rtpPorts;
        this.startNanos = startNanos;
        this.timer = new ScheduledThreadPoolExecutor(1, threads);
    }

    /** Starts sampling, once a second from now. */
    // Sampling ends with the timer's shutdownNow() in close(), never through its future.
    @SuppressWarnings("FutureReturnValueIgnored")
    void start() {
        last = read();
        timer.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    /** Sets the phase the next samples are marked with. */
    void phase(String name) {
        phase = name;
    }

    /** Returns the phase the samples are marked with now. */
    String phase() {
        return phase;
    }

    /** Returns the samples so far. */
    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** Returns the process's CPU time so far, in nanoseconds. */
    long processCpuNanos() {
        return os.getProcessCpuTime();
    }

    /** Returns the CPU time of the SIPp processes so far, in nanoseconds. */
    long sippCpuNanos() {
        long total = 0;
        for (SippFarEnd sipp : sipps) {
            total += Math.max(0, sipp.cpuNanos());
        }
        return total;
    }

    private Reading read() {
        return new Reading(System.nanoTime(), os.getProcessCpuTime(), threads.cpuNanos(), sippCpuNanos(),
                ProcStats.machineCpuTicks(), counters.launched.get(), counters.connected.get(), counters.refused.get(),
                gc.pauses().size(),
                threadMx.getTotalStartedThreadCount());
    }

    private void sample() {
        try {
            Reading now = read();
            double wall = now.nanos - last.nanos;
            double process = 100.0 * (now.processCpu - last.processCpu) / wall;
            double harness = 100.0 * (now.harnessCpu - last.harnessCpu) / wall;
            double sipp = 100.0 * (now.sippCpu - last.sippCpu) / wall;
            long machineTotal = now.machine[1] - last.machine[1];
            double machine = machineTotal == 0 ? Double.NaN : 100.0 * Runtime.getRuntime().availableProcessors()
                    * (now.machine[0] - last.machine[0]) / machineTotal;
            List<GcMonitor.Pause> pauses = gc.pauses();
            long maxPause = 0;
            for (int i = last.gcPauses; i < pauses.size(); i++) {
                maxPause = Math.max(maxPause, pauses.get(i).millis());
            }
            long afterGc = gc.heapAfterLastGc();
            Sample sample = new Sample((now.nanos - startNanos) / 1e9, phase, now.launched,
                    (now.connected - last.connected) * 1e9 / wall, (now.launched - last.launched) * 1e9 / wall,
                    counters.failed.get(), liveResources.getAsInt(), counters.bridgedNow.get(), process, harness,
                    process - harness, sipp, machine, memory.getHeapMemoryUsage().getUsed() / 1048576.0,
                    afterGc < 0 ? Double.NaN : afterGc / 1048576.0, pauses.size() - last.gcPauses, maxPause,
                    threadMx.getThreadCount(), (int) (now.threadsStarted - last.threadsStarted),
                    ProcStats.udpSocketsInRange(rtpPorts[0], rtpPorts[1]),
                    (now.refused - last.refused) * 1e9 / wall);
            synchronized (this) {
                samples.add(sample);
            }
            last = now;
        } catch (RuntimeException e) {
            // one lost sample must not stop the others
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
