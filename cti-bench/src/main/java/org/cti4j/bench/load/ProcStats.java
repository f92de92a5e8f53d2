package org.cti4j.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What Linux's {@code /proc} tells of the machine, of a process and of UDP sockets. Every method returns a neutral
 * value (0, -1, empty) where {@code /proc} cannot be read, so that the harness still runs, with less to say.
 */
final class ProcStats {

    /** Clock ticks per second of {@code /proc/PID/stat} (USER_HZ; 100 on every Linux the JDK runs on). */
    static final int TICKS_PER_SECOND = 100;

    private ProcStats() {
    }

    /** Returns how many UDP sockets (IPv4 and IPv6) are bound to a local port within {@code [first, last]}. */
    static int udpSocketsInRange(int first, int last) {
        int count = 0;
        for (String file : new String[] {"/proc/net/udp", "/proc/net/udp6"}) {
            for (String line : lines(file)) {
                int port = localPort(line);
                if (port >= first && port <= last) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Returns whether some UDP socket is bound to {@code port}. */
    static boolean udpBound(int port) {
        return udpSocketsInRange(port, port) > 0;
    }

    private static int localPort(String line) {
        // "  sl  local_address rem_address ...": "  12: 0100007F:1F90 00000000:0000 07 ..."
        String[] parts = line.trim().split("\\s+", 0);
        if (parts.length < 2 || !parts[0].endsWith(":")) {
            return -1;
        }
        int colon = parts[1].lastIndexOf(':');
        try {
            return Integer.parseInt(parts[1].substring(colon + 1), 16);
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            return -1;
        }
    }

    /** Returns the CPU time (user + system) a process used, in nanoseconds, or -1. */
    static long processCpuNanos(long pid) {
        List<String> stat = lines("/proc/" + pid + "/stat");
        if (stat.isEmpty()) {
            return -1;
        }
        String line = stat.get(0);
        // the command name (field 2) is in parentheses and may hold spaces: count fields after its ')'
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ", 0);
        try {
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * (1_000_000_000L / TICKS_PER_SECOND);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return -1;
        }
    }

    /** Returns the machine's CPU time so far as {busy, total} in ticks (all cores), or {0, 0}. */
    static long[] machineCpuTicks() {
        List<String> stat = lines("/proc/stat");
        if (stat.isEmpty() || !stat.get(0).startsWith("cpu ")) {
            return new long[] {0, 0};
        }
        String[] f = stat.get(0).trim().split("\\s+", 0);
        long total = 0;
        long idle = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            long v = Long.parseLong(f[i]);
            total += v;
            if (i == 4 || i == 5) {
                idle += v;
            }
        }
        return new long[] {total - idle, total};
    }

    /** Returns the CPU model name, or "unknown". */
    static String cpuModel() {
        for (String line : lines("/proc/cpuinfo")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown";
    }

    /** Returns the machine's memory in bytes, or -1. */
    static long memoryBytes() {
        for (String line : lines("/proc/meminfo")) {
            if (line.startsWith("MemTotal:")) {
                String[] f = line.trim().split("\\s+", 0);
                return Long.parseLong(f[1]) * 1024;
            }
        }
        return -1;
    }

    /** Returns the 1-minute load average, or NaN. */
    static double loadAverage() {
        List<String> load = lines("/proc/loadavg");
        return load.isEmpty() ? Double.NaN : Double.parseDouble(load.get(0).split(" ", 0)[0]);
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
