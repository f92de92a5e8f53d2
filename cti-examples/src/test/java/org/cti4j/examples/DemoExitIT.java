package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's demo run as a new user runs it, as a JVM of its own: once it has printed "engine stopped" its
 * {@code main} returns and the JVM exits by itself, without {@code System.exit}, because no thread that the engine,
 * its phones or their SIP stacks started is left running.
 */
class DemoExitIT {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(5);
    private static final String STOPPED = "engine stopped";

    @Test
    void theDemoExitsByItselfWithinFiveSecondsOfStoppingItsEngine(@TempDir Path temp) throws Exception {
        Path stderr = temp.resolve("demo.log");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Its own temporary folder stays in the test's, like everything else it writes.
                "-Djava.io.tmpdir=" + temp,
                "-cp", classPath(), Demo.class.getName(), temp.resolve("demo.wav").toString()))
                .directory(temp.toFile())
                .redirectError(stderr.toFile());
        Process process = builder.start();
        try {
            BlockingQueue<String> lines = ProcessLines.of(process, "demo");
            long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
            String line;
            do {
                line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } while (line != null && !line.contains(STOPPED));
            assertThat(line).as("a line saying '%s' within %s; the demo's log:%n%s", STOPPED, RUN_TIMEOUT,
                    Files.readString(stderr)).isNotNull();
            boolean exited = process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(exited).as("the demo's JVM exited within %s of '%s'; its threads then:%n%s", EXIT_TIMEOUT,
                    STOPPED, exited ? "" : threadDump(process)).isTrue();
            assertThat(process.exitValue()).as("the demo's exit code").isZero();
        } finally {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Returns the test's class path: the module's classes and every dependency, as the demo needs them. */
    static String classPath() {
        // Failsafe runs the tests through a manifest-only jar; it gives the real class path in this property.
        String path = System.getProperty("surefire.test.class.path");
        return path != null && !path.isBlank() ? path : System.getProperty("java.class.path");
    }

    /** Returns the names of the threads of a process still running, from {@code jcmd}, for the failure message. */
    private static String threadDump(Process process) {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), "Thread.print").redirectErrorStream(true).start();
            String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor(10, TimeUnit.SECONDS);
            StringBuilder names = new StringBuilder();
            for (String line : dump.split("\n", 0)) {
                if (line.startsWith("\"")) {
                    names.append(line).append('\n');
                }
            }
            return names.toString();
        } catch (Exception e) {
            return "(no thread dump: " + e + ")";
        }
    }
}
