package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo on a Java runtime built without the {@code jdk.jfr} module (as {@code jlink} builds a small one): the
 * engine's Flight Recorder events are then never loaded, and the duo callback still rings, bridges and records. The
 * events of cti-sip and cti-media are touched only behind a check that the module is present; this runs that check's
 * other side.
 */
class DemoWithoutFlightRecorderIT {

    private static final Duration LINK_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    private static final String STOPPED = "engine stopped";

    @Test
    void theDemoBridgesAndRecordsOnARuntimeWithoutTheFlightRecorder(@TempDir Path temp) throws Exception {
        Path runtime = temp.resolve("runtime");
        Path javaHome = Path.of(System.getProperty("java.home"));
        String output = run(temp, LINK_TIMEOUT, javaHome.resolve("bin").resolve("jlink").toString(),
                "--add-modules", "java.se,jdk.unsupported", "--no-header-files", "--no-man-pages",
                "--output", runtime.toString());
        Path java = runtime.resolve("bin").resolve("java");
        assertThat(Files.isExecutable(java)).as("jlink built a runtime; its output:%n%s", output).isTrue();
        assertThat(run(temp, LINK_TIMEOUT, java.toString(), "--list-modules"))
                .as("the runtime's modules").contains("java.base").doesNotContain("jdk.jfr");

        Path recording = temp.resolve("demo.wav");
        Path log = temp.resolve("demo.log");
        Process demo = new ProcessBuilder(java.toString(), "-Djava.io.tmpdir=" + temp, "-cp", DemoExitIT.classPath(),
                Demo.class.getName(), recording.toString()).directory(temp.toFile()).redirectError(log.toFile())
                .start();
        List<String> seen = new ArrayList<>();
        try {
            BlockingQueue<String> lines = ProcessLines.of(demo, "demo without jdk.jfr");
            long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
            String line;
            do {
                line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line != null) {
                    seen.add(line);
                }
            } while (line != null && !line.contains(STOPPED));
            assertThat(line).as("'%s' within %s; the demo printed:%n%s%nand logged:%n%s", STOPPED, RUN_TIMEOUT,
                    String.join("\n", seen), Files.readString(log)).isNotNull();
            assertThat(demo.waitFor(10, TimeUnit.SECONDS)).as("the demo's JVM exited").isTrue();
            assertThat(demo.exitValue()).as("the demo's exit code").isZero();
        } finally {
            demo.destroyForcibly();
            demo.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(seen).as("the demo's events").anyMatch(l -> l.contains("ANSWERED -> CONNECTED"));
        assertThat(Files.readString(log)).as("the demo's log").doesNotContain("NoClassDefFoundError");
        assertThat(loudestSample(recording)).as("the loudest sample of the recorded conversation")
                .isGreaterThan(3_000);
    }

    /** Runs a command in {@code dir}, waits for it, and returns what it printed; fails if it does not end well. */
    private static String run(Path dir, Duration timeout, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).as("%s ended", command[0])
                    .isTrue();
            assertThat(process.exitValue()).as("%s's exit code; it printed:%n%s", command[0], output).isZero();
            return output;
        } finally {
            process.destroyForcibly();
        }
    }

    /** Returns the largest absolute sample of a 16-bit little-endian WAV file, its 44-byte header skipped. */
    private static int loudestSample(Path wav) throws Exception {
        ByteBuffer samples = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
        int loudest = 0;
        for (int at = 44; at + 1 < samples.limit(); at += 2) {
            loudest = Math.max(loudest, Math.abs(samples.getShort(at)));
        }
        return loudest;
    }
}
