package org.cti4j.bench.load;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The machine and JVM a run was made on.
 *
 * @param cores the processors the JVM sees
 * @param cpuModel the first model name of {@code /proc/cpuinfo}
 * @param ramBytes the machine's memory ({@code MemTotal}), or -1
 * @param os the operating system's name, version and architecture
 * @param jdk the Java runtime's vendor, name and version
 * @param jvmFlags the JVM's input arguments
 * @param collectors the garbage collectors' MXBean names
 * @param maxHeapMb the largest heap the JVM may use
 * @param loadAverage the 1-minute load average when the run started (other work on the machine)
 */
public record MachineInfo(int cores, String cpuModel, long ramBytes, String os, String jdk, List<String> jvmFlags,
        String collectors, double maxHeapMb, double loadAverage) {

    /** Reads them from this JVM and {@code /proc}. */
    static MachineInfo current() {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), ProcStats.cpuModel(),
                ProcStats.memoryBytes(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.runtime.version"),
                ManagementFactory.getRuntimeMXBean().getInputArguments(),
                ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                        .collect(Collectors.joining(", ")),
                Runtime.getRuntime().maxMemory() / 1048576.0, ProcStats.loadAverage());
    }
}
