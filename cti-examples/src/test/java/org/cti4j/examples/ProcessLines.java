package org.cti4j.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** The standard output of a process that a test started (the demo, the standalone server), line by line. */
public final class ProcessLines {

    private ProcessLines() {
    }

    /**
     * Collects the process's standard output, line by line, on a thread of its own (it ends with the process), and
     * echoes each line prefixed with {@code name}.
     */
    public static BlockingQueue<String> of(Process process, String name) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    System.out.println(name + "> " + line);
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(stdout unreadable: " + e + ")");
            }
        }, name + "-stdout");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }
}
