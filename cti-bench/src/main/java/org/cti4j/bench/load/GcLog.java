package org.cti4j.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * The JVM's own GC log, switched on by the harness at run time (the {@code VM.log} diagnostic command, as
 * {@code jcmd PID VM.log} does), for pause lengths with microsecond resolution, which the MXBean notifications of
 * {@link GcMonitor} do not have.
 */
final class GcLog {

    /**
     * "GC(12) Pause Young (Normal) (G1 Evacuation Pause) 24M->3M(256M) 2.345ms", "GC(3) Pause Mark End 0.020ms",
     * generational ZGC's "GC(0) Y: Pause Mark Start (Major) 0.068ms" (Y: young, O: old generation).
     */
    private static final Pattern PAUSE =
            Pattern.compile("GC\\(\\d+\\) (?:[YO]: )?(Pause .*?) (\\d+(?:\\.\\d+)?)ms\\s*$");
    /** The uptime decoration at the start of a line: "[12.345s]". */
    private static final Pattern UPTIME = Pattern.compile("^\\[(\\d+(?:\\.\\d+)?)s\\]");

    private final Path file;
    private final boolean enabled;

    private GcLog(Path file, boolean enabled) {
        this.file = file;
        this.enabled = enabled;
    }

    /** Asks the JVM to log GC pauses to {@code file}; returns a log that is empty if the JVM cannot. */
    static GcLog start(Path file) {
        try {
            ObjectName dcmd = new ObjectName("com.sun.management:type=DiagnosticCommand");
            String[] args = {"output=file=" + file.toAbsolutePath(), "what=gc=info,gc+phases=info,gc+cpu=info",
                "decorators=uptime"};
            ManagementFactory.getPlatformMBeanServer().invoke(dcmd, "vmLog", new Object[] {args},
                    new String[] {String[].class.getName()});
            return new GcLog(file, true);
        } catch (Exception e) {
            return new GcLog(file, false);
        }
    }

    /** Returns a reader of a GC log written before (for tests). */
    static GcLog existing(Path file) {
        return new GcLog(file, true);
    }

    /** Returns whether the JVM writes the log. */
    boolean enabled() {
        return enabled;
    }

    /** Returns the log's file. */
    Path file() {
        return file;
    }

    /**
     * Returns the pauses logged so far that began at JVM uptime {@code fromUptimeMillis} or later, in microseconds,
     * without those of {@code System.gc()} (the harness's own, to weigh the heap).
     */
    List<Long> pauseMicros(long fromUptimeMillis) {
        List<Long> pauses = new ArrayList<>();
        if (!enabled || !Files.exists(file)) {
            return pauses;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                Long micros = parsePause(line);
                Matcher uptime = UPTIME.matcher(line);
                if (micros != null && uptime.find()
                        && Double.parseDouble(uptime.group(1)) * 1000 >= fromUptimeMillis) {
                    pauses.add(micros);
                }
            }
        } catch (IOException e) {
            return pauses;
        }
        return pauses;
    }

    /** "GC(3) User=0.02s Sys=0.00s Real=0.01s": the CPU one collection used. */
    private static final Pattern CPU = Pattern.compile("GC\\(\\d+\\) User=(\\d+\\.\\d+)s Sys=(\\d+\\.\\d+)s");

    /**
     * Returns the CPU time (user + system) of the collections logged between two JVM uptimes, in seconds, or NaN if
     * the log is not written. Collections of {@code System.gc()} are counted too: their CPU is the process's.
     */
    double cpuSeconds(long fromUptimeMillis, long toUptimeMillis) {
        if (!enabled || !Files.exists(file)) {
            return Double.NaN;
        }
        double total = 0;
        try {
            for (String line : Files.readAllLines(file)) {
                Matcher cpu = CPU.matcher(line);
                Matcher uptime = UPTIME.matcher(line);
                if (cpu.find() && uptime.find()) {
                    double at = Double.parseDouble(uptime.group(1)) * 1000;
                    if (at >= fromUptimeMillis && at <= toUptimeMillis) {
                        total += Double.parseDouble(cpu.group(1)) + Double.parseDouble(cpu.group(2));
                    }
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return total;
    }

    /** Returns the pause a log line reports, in microseconds, or null (not a pause, or a System.gc() one). */
    static Long parsePause(String line) {
        Matcher m = PAUSE.matcher(line);
        if (!m.find() || m.group(1).contains("System.gc()")) {
            return null;
        }
        return Math.round(Double.parseDouble(m.group(2)) * 1000);
    }
}
