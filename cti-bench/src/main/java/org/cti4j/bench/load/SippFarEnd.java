package org.cti4j.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One SIPp process acting as the far-end phones of one party: it answers every INVITE with G.711 A-law after a 180,
 * and either streams a tone ({@link Kind#STREAM}, SIPp A), echoes the audio ({@link Kind#ECHO}, SIPp B) or names the
 * harness's {@link RtpProbe} as its media address ({@link Kind#PROBE}, SIPp P). Its scenario, screen output and
 * errors are written to the run's folder.
 */
final class SippFarEnd implements AutoCloseable {

    /** What the phones do with the audio. */
    enum Kind {
        /** Answer, then stream a looped A-law tone with {@code rtp_stream} (party 1). */
        STREAM,
        /** Answer and echo the audio with {@code -rtp_echo} (party 2). */
        ECHO,
        /** Answer with the probe's address as the media address (probe calls' party 2). */
        PROBE
    }

    private final String name;
    private final Process process;
    private final InetSocketAddress address;
    private final Path log;

    private SippFarEnd(String name, Process process, InetSocketAddress address, Path log) {
        this.name = name;
        this.process = process;
        this.address = address;
        this.log = log;
    }

    /**
     * Writes the scenario and starts SIPp, then waits (at most 10 s) until it listens.
     *
     * @param probePort the probe's RTP port ({@link Kind#PROBE} only)
     * @param lifetime how long SIPp may run at most before it stops by itself (in case the harness dies)
     * @throws IOException if SIPp cannot be started or does not listen in time
     */
    static SippFarEnd start(String name, Kind kind, Path sipp, Path folder, int probePort, Duration lifetime)
            throws IOException {
        int sipPort = freeUdpPort();
        int mediaPort = freeEvenPortPair();
        Path scenario = folder.resolve("sipp-" + name + ".xml");
        String template = resource(kind == Kind.STREAM ? "uas-stream.xml" : "uas-echo.xml");
        Files.writeString(scenario, template
                .replace("@AUDIO@", folder.resolve("party1-tone.alaw").toAbsolutePath().toString())
                .replace("@MEDIA_PORT@", kind == Kind.PROBE ? String.valueOf(probePort) : "[media_port]"),
                StandardCharsets.ISO_8859_1);
        if (kind == Kind.STREAM) {
            Files.write(folder.resolve("party1-tone.alaw"), Alaw.tone(440, 1.0));
        }
        List<String> command = new ArrayList<>(List.of(sipp.toString(), "-sf", scenario.toString(),
                "-i", "127.0.0.1", "-p", String.valueOf(sipPort), "-mi", "127.0.0.1", "-mp", String.valueOf(mediaPort),
                "-aa", "-nostdin", "-trace_err",
                "-error_file", folder.resolve("sipp-" + name + "-errors.log").toString(),
                "-timeout", Math.max(60, lifetime.toSeconds()) + "s"));
        if (kind == Kind.ECHO) {
            command.add("-rtp_echo");
        }
        Path log = folder.resolve("sipp-" + name + ".log");
        Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        InetSocketAddress sipAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), sipPort);
        SippFarEnd sippFarEnd = new SippFarEnd(name, process, sipAddress, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ProcStats.udpBound(sipPort)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                sippFarEnd.close();
                throw new IOException("SIPp " + name + " did not start listening on " + sipPort + " (see " + log
                        + "): " + String.join(" ", command));
            }
            sleepQuietly(20);
        }
        return sippFarEnd;
    }

    /** Returns where its SIP listens. */
    InetSocketAddress address() {
        return address;
    }

    /** Returns its process id. */
    long pid() {
        return process.pid();
    }

    /** Returns whether it is still running. */
    boolean isAlive() {
        return process.isAlive();
    }

    /** Returns the CPU time it used so far, in nanoseconds (-1 once it has ended). */
    long cpuNanos() {
        return ProcStats.processCpuNanos(process.pid());
    }

    /** Stops it (SIGTERM, then SIGKILL after 5 s). Safe to call twice. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "SIPp " + name + " (pid " + process.pid() + ", " + address + ", log " + log + ")";
    }

    private static String resource(String file) {
        try (InputStream in = SippFarEnd.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns a UDP port free on loopback now. */
    static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Returns an even port whose next one is free too, for SIPp's RTP and RTCP. */
    static int freeEvenPortPair() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = freeUdpPort() & ~1;
            DatagramSocket rtp = null;
            try {
                rtp = new DatagramSocket(port, loopback);
                new DatagramSocket(port + 1, loopback).close();
                return port;
            } catch (SocketException taken) {
                // try another pair
            } finally {
                if (rtp != null) {
                    rtp.close();
                }
            }
        }
        throw new IOException("no free pair of UDP ports on loopback");
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
