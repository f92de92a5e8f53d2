package org.cti4j.bench.load;

import java.util.List;

/**
 * One second of a run, as the {@link Sampler} saw it. CPU figures are in per cent of one core (100 = one core busy
 * for the whole second); the machine's capacity is its number of cores times 100.
 *
 * @param seconds when the second ended, from the start of the run
 * @param phase idle, rate, steady or drain
 * @param launched duo callbacks (or calls) started so far
 * @param setupsPerSecond duo callbacks bridged (calls answered) during the second
 * @param launchesPerSecond duo callbacks (calls) started during the second
 * @param failed failures so far
 * @param liveResources the engines' {@code resources().size()} together at the end of the second
 * @param bridged conversations bridged (answered) and not yet released
 * @param processCpu the whole harness process: the engine and the harness
 * @param harnessCpu the harness's own threads (relays, probe, launcher, sampler, hold timer)
 * @param engineCpu {@code processCpu - harnessCpu}: the engine (and the JVM's GC and JIT threads)
 * @param sippCpu the SIPp processes together
 * @param machineCpu the whole machine, every process
 * @param heapUsedMb the heap in use at the end of the second (garbage included)
 * @param heapAfterGcMb the heap in use after the last collection
 * @param gcPauses GC pauses during the second (System.gc() excluded)
 * @param gcPauseMaxMs the longest of them, in whole milliseconds
 * @param threads the JVM's live threads
 * @param threadsStarted threads started during the second (a pool that does not reuse its threads shows here)
 * @param rtpSockets UDP sockets bound in the engines' RTP port range (RTP and RTCP: two per session)
 * @param refusalsPerSecond duo callbacks (calls) the engines refused during the second (their admission limits)
 */
public record Sample(double seconds, String phase, int launched, double setupsPerSecond, double launchesPerSecond,
        int failed, int liveResources, int bridged, double processCpu, double harnessCpu, double engineCpu,
        double sippCpu, double machineCpu, double heapUsedMb, double heapAfterGcMb, int gcPauses, long gcPauseMaxMs,
        int threads, int threadsStarted, int rtpSockets, double refusalsPerSecond) {

    /** The CSV header matching {@link #csv()}. */
    public static final String CSV_HEADER = "seconds,phase,launched,setups_per_s,launches_per_s,failed,live_resources,"
            + "bridged,process_cpu_pct,harness_cpu_pct,engine_cpu_pct,sipp_cpu_pct,machine_cpu_pct,heap_used_mb,"
            + "heap_after_gc_mb,gc_pauses,gc_pause_max_ms,threads,threads_started,rtp_sockets,refused_per_s";

    /** Returns the sample as one CSV line (no line break). */
    public String csv() {
        return String.join(",", List.of(Format.number(seconds), phase, String.valueOf(launched),
                Format.number(setupsPerSecond, 1), Format.number(launchesPerSecond, 1), String.valueOf(failed),
                String.valueOf(liveResources), String.valueOf(bridged), Format.number(processCpu, 1),
                Format.number(harnessCpu, 1), Format.number(engineCpu, 1), Format.number(sippCpu, 1),
                Format.number(machineCpu, 1), Format.number(heapUsedMb, 1), Format.number(heapAfterGcMb, 1),
                String.valueOf(gcPauses), String.valueOf(gcPauseMaxMs), String.valueOf(threads),
                String.valueOf(threadsStarted), String.valueOf(rtpSockets), Format.number(refusalsPerSecond, 1)));
    }
}
