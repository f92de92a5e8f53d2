package org.cti4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.cti4j.examples.Ports;
import org.cti4j.examples.ProcessLines;

/**
 * The server jar ({@code target/cti-server.jar}, made by {@code package}) run as a process, as an operator would:
 * started with flags, awaited until it prints its listening line, stopped with SIGTERM. {@link #close()} kills it if
 * it still runs and prints its log.
 */
final class ServerProcess implements AutoCloseable {

    /** The token every server started here requires, given to it in {@code CTI4J_TOKEN}, as the README advises. */
    static final String TOKEN = "it-token-" + ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path stderr;
    private final String listening;
    private final int sipPort;
    private final int rpcPort;

    private ServerProcess(Process process, Path stderr, String listening, int sipPort, int rpcPort) {
        this.process = process;
        this.stderr = stderr;
        this.listening = listening;
        this.sipPort = sipPort;
        this.rpcPort = rpcPort;
    }

    /**
     * Starts the server on free SIP, RPC and RTP ports (100 RTP ports) requiring {@link #TOKEN}, with {@code flags}
     * added, and waits for its listening line. Its sounds and recordings directories are {@code sounds} and
     * {@code recordings} in {@code dir}, unless {@code flags} say otherwise.
     *
     * @param dir where its log goes, and its working folder
     * @param env environment variables to add
     * @param flags more flags
     */
    static ServerProcess start(Path dir, Map<String, String> env, String... flags) throws Exception {
        int sipPort = Ports.freeSipPort();
        int rpcPort = freeTcpPort();
        int rtpFirst = 40000 + 2 * ThreadLocalRandom.current().nextInt(5000);
        List<String> command = new ArrayList<>(List.of(javaCommand(), "-jar", serverJar().toString(),
                "--sip-port", Integer.toString(sipPort), "--rpc-port", Integer.toString(rpcPort),
                "--rtp-ports", rtpFirst + "-" + (rtpFirst + 99),
                // Never the working directory's: what clients record stays in the test's folder (flags may override).
                "--sounds-dir", dir.resolve("sounds").toString(),
                "--recordings-dir", dir.resolve("recordings").toString()));
        command.addAll(List.of(flags));
        // Run in the test's folder, so that whatever the server writes by default stays out of the source tree.
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put(CtiServerConfig.TOKEN_ENV, TOKEN);
        builder.environment().putAll(env);
        Path stderr = Files.createTempFile(dir, "cti-server-", ".log");
        builder.redirectError(stderr.toFile());
        Process process = builder.start();
        try {
            String line = awaitLine(process, stderr, ProcessLines.of(process, "cti-server"), CtiServer.LISTENING, START_TIMEOUT);
            return new ServerProcess(process, stderr, line, sipPort, rpcPort);
        } catch (Exception | AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Returns the line the server printed when it started listening. */
    String listening() {
        return listening;
    }

    int sipPort() {
        return sipPort;
    }

    int rpcPort() {
        return rpcPort;
    }

    /** Connects a JSON-RPC client with {@link #TOKEN}. */
    RpcTestClient connect() throws Exception {
        return RpcTestClient.connect(rpcPort, TOKEN);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Returns what the server has logged so far. */
    String log() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /** Sends SIGTERM and returns at once: {@link #awaitExit} waits for the server to stop. */
    void signalTerm() {
        process.destroy();
    }

    /**
     * Waits for the process to exit.
     *
     * @return its exit code, or -1 if it still runs after {@code wait}
     */
    int awaitExit(Duration wait) throws InterruptedException {
        return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /**
     * Sends SIGTERM and waits for the process to exit.
     *
     * @return its exit code
     * @throws AssertionError if it does not exit within {@link #STOP_TIMEOUT}
     */
    int terminate() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .as("the server stops within %s of SIGTERM", STOP_TIMEOUT).isTrue();
        return process.exitValue();
    }

    /**
     * Kills the server with SIGKILL ({@link Process#destroyForcibly()} on Linux), as the kernel's out-of-memory
     * killer would: no shutdown hook runs. Waits for it to exit.
     *
     * @return its exit code: 137 (128 + 9) when SIGKILL ended it
     */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .as("the server dies within %s of SIGKILL", STOP_TIMEOUT).isTrue();
        return process.exitValue();
    }

    /** Kills the server if it still runs, and prints its log. */
    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        System.out.println("---- cti-server's log ----");
        System.out.println(log());
        Files.deleteIfExists(stderr);
    }

    private static String awaitLine(Process process, Path stderr, BlockingQueue<String> lines, String prefix,
            Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null) {
                String why = process.isAlive() ? "no '" + prefix + "' line within " + timeout
                        : "the server exited with " + process.exitValue() + " before saying it listens";
                return fail(why + "; its log:%n%s", Files.readString(stderr, StandardCharsets.UTF_8));
            }
        }
    }

    private static Path serverJar() {
        Path jar = Path.of(System.getProperty("cti.server.jar", "target/cti-server.jar"));
        assertThat(jar).as("the server jar (made by mvn package)").exists();
        return jar;
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
