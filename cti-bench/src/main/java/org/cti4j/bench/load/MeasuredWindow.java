package org.cti4j.bench.load;

/** CPU readings at the start and end of a measured window. */
final class MeasuredWindow {
    long startNanos;
    long endNanos;
    long process;
    long harness;
    long sipp;
    long[] machine;

    static MeasuredWindow open(Sampler sampler, OwnThreads threads) {
        MeasuredWindow w = new MeasuredWindow();
        w.startNanos = System.nanoTime();
        w.process = sampler.processCpuNanos();
        w.harness = threads.cpuNanos();
        w.sipp = sampler.sippCpuNanos();
        w.machine = ProcStats.machineCpuTicks();
        return w;
    }

    void close(Sampler sampler, OwnThreads threads) {
        endNanos = System.nanoTime();
        process = sampler.processCpuNanos() - process;
        harness = threads.cpuNanos() - harness;
        sipp = sampler.sippCpuNanos() - sipp;
        long[] now = ProcStats.machineCpuTicks();
        machine = new long[] {now[0] - machine[0], now[1] - machine[1]};
    }

    double seconds() {
        return (endNanos - startNanos) / 1e9;
    }

    double processCpu() {
        return 100.0 * process / (endNanos - startNanos);
    }

    double harnessCpu() {
        return 100.0 * harness / (endNanos - startNanos);
    }

    double engineCpu() {
        return processCpu() - harnessCpu();
    }

    double sippCpu() {
        return 100.0 * sipp / (endNanos - startNanos);
    }

    double machineCpu() {
        return machine[1] == 0 ? Double.NaN
                : 100.0 * Runtime.getRuntime().availableProcessors() * machine[0] / machine[1];
    }
}
