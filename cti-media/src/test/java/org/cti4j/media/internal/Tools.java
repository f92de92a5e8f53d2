package org.cti4j.media.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the independent tools that check the engine's files (sox, ffprobe), with a timeout. Where a tool is missing
 * the test is skipped with a message, except where the environment variable {@code CI} is set: then it fails.
 */
final class Tools {

    private Tools() {
    }

    /** Skips (or, on CI, fails) the test if {@code tool} is not installed. */
    static void require(String tool) {
        boolean present = find(tool) != null;
        if (!present && System.getenv("CI") != null) {
            throw new AssertionError(tool + " is not installed, and CI is set: install it"
                    + " (apt-get install sox ffmpeg)");
        }
        Assumptions.assumeTrue(present, tool + " is not installed; skipping the check by an independent tool");
    }

    private static Path find(String tool) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin:/bin" : path).split(":", 0)) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Runs a command (stdout and stderr together) and returns its output; fails on a non-zero exit or timeout. */
    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        byte[] output;
        try {
            output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out: " + String.join(" ", command));
            }
        } finally {
            process.destroyForcibly();
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + text);
        }
        return text;
    }

    /** Returns the duration in seconds that {@code sox --i -D} reads from a file. */
    static double soxDuration(Path file) throws IOException, InterruptedException {
        return Double.parseDouble(run("sox", "--i", "-D", file.toString()).trim());
    }

    /** Decodes any file sox reads into 8 kHz mono 16-bit samples. */
    static short[] soxDecode(Path file, Path scratch) throws IOException, InterruptedException {
        Path raw = scratch.resolve(file.getFileName() + ".decoded.wav");
        run("sox", file.toString(), "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", raw.toString());
        return Audio.readPcm16(raw);
    }
}
