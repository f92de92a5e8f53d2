package org.cti4j.sip;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A baresip phone for tests (Debian's {@code baresip-core}): its own folder, SIP port, RTP ports and control socket;
 * commands ({@code dial}, {@code accept}, {@code hangup}) and events ({@code CALL_INCOMING},
 * {@code CALL_ESTABLISHED}, {@code CALL_CLOSED}, ...) go through its {@code ctrl_tcp} module. Stopped by
 * {@link #close()}, which deletes its folder: read what it heard before closing it.
 *
 * <p>Where baresip is not installed the test is skipped with a message — except where the environment variable
 * {@code CI} is set, where that is a failure.
 */
public final class Baresip implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/baresip");
    private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final Pattern PARAM = Pattern.compile("\"param\"\\s*:\\s*\"([^\"]*)\"");

    /** The phone's SIP port on 127.0.0.1. */
    public final int sipPort;
    /** The phone's folder: config, accounts, log, and {@code dump/} with what it heard. Deleted on close. */
    public final Path folder;
    private final Process process;
    private final Socket control;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final Thread reader;

    /** How the phone answers. */
    public enum AnswerMode {
        /** Answers at once. */
        AUTO,
        /** Rings until told. */
        MANUAL
    }

    /** Skips the test where baresip is not installed (fails instead where {@code CI} is set). */
    public static void requireInstalled() {
        boolean installed = Files.isExecutable(BINARY);
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("baresip is required on CI: apt-get install baresip-core");
        }
        assumeTrue(installed, "baresip is not installed (apt-get install baresip-core): skipping");
    }

    /**
     * Starts a phone.
     *
     * @param name a name for its folder
     * @param answerMode auto-answer or let it ring
     * @param audioSource the WAV file it says (8 kHz mono 16-bit)
     */
    public Baresip(String name, AnswerMode answerMode, Path audioSource) throws IOException {
        this(name, answerMode, audioSource, List.of(), "");
    }

    /**
     * Starts a phone with more modules and account parameters, e.g. {@code srtp.so} and {@code ;mediaenc=srtp-mand}.
     *
     * @param modules module files loaded before the usual ones
     * @param accountParams appended to the account line, each starting with {@code ;}
     */
    public Baresip(String name, AnswerMode answerMode, Path audioSource, List<String> modules, String accountParams)
            throws IOException {
        this(name, answerMode, audioSource, modules, accountParams, List.of());
    }

    /**
     * Starts a phone with more modules, account parameters and configuration lines, e.g. {@code sip_certificate} and
     * {@code sip_cafile} for SIP over TLS, which it then listens for on {@link #tlsPort()}.
     *
     * @param config lines added to its {@code config} file
     */
    public Baresip(String name, AnswerMode answerMode, Path audioSource, List<String> modules, String accountParams,
            List<String> config) throws IOException {
        this(name, answerMode, audioSource, modules, accountParams, config, false);
    }

    /**
     * Starts a phone as above that also writes every SIP message it sends and receives into its {@link #log()}
     * ({@code baresip -s}), so that a failure message shows what it was sent.
     *
     * @param sipTrace whether to trace SIP messages
     */
    public Baresip(String name, AnswerMode answerMode, Path audioSource, List<String> modules, String accountParams,
            List<String> config, boolean sipTrace) throws IOException {
        requireInstalled();
        this.folder = Files.createTempDirectory("baresip-" + name);
        Process started = null;
        Socket socket = null;
        try {
            this.sipPort = freeUdpAndTcpPort();
            int controlPort = freePort();
            int rtpLow = 30000 + (int) (Math.random() * 10000) / 2 * 2;
            Files.createDirectories(folder.resolve("dump"));
            Files.writeString(folder.resolve("config"), String.join("\n",
                    "sip_listen 127.0.0.1:" + sipPort,
                    "audio_source aufile," + audioSource,
                    "audio_player aubridge,nil",
                    "audio_alert aubridge,nil",
                    "module_path /usr/lib/baresip/modules",
                    // Before account.so: an account naming a media encryption needs its module loaded first.
                    modules.stream().map(module -> "module " + module + "\n").collect(Collectors.joining()),
                    "module g711.so",
                    "module account.so",
                    "module aufile.so",
                    "module aubridge.so",
                    "module sndfile.so",
                    "module_app menu.so",
                    "module_app ctrl_tcp.so",
                    "ctrl_tcp_listen 127.0.0.1:" + controlPort,
                    "snd_path " + folder.resolve("dump"),
                    "rtp_ports " + rtpLow + "-" + (rtpLow + 20),
                    String.join("\n", config),
                    "") + "\n");
            Files.writeString(folder.resolve("accounts"), "<sip:" + name + "@127.0.0.1:" + sipPort
                    // No registration unless the parameters ask for one (";regint=60;outbound=...").
                    + ">" + (accountParams.contains(";regint=") ? "" : ";regint=0") + ";answermode="
                    + answerMode.name().toLowerCase(java.util.Locale.ROOT)
                    + ";audio_codecs=PCMU,PCMA" + accountParams + "\n");
            List<String> command = new ArrayList<>(List.of(BINARY.toString(), "-f", folder.toString()));
            if (sipTrace) {
                command.add("-s");
            }
            started = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(folder.resolve("baresip.log").toFile()).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (socket == null) {
                try {
                    socket = new Socket();
                    socket.connect(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), controlPort), 500);
                } catch (IOException notYet) {
                    socket = null;
                    if (!started.isAlive() || System.nanoTime() > deadline) {
                        throw new IOException("baresip did not start: " + log());
                    }
                    LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
                }
            }
        } catch (IOException | RuntimeException e) {
            if (started != null) {
                stop(started);
            }
            try {
                TestFiles.deleteTree(folder);
            } catch (RuntimeException notDeleted) {
                e.addSuppressed(notDeleted);
            }
            throw e;
        }
        process = started;
        control = socket;
        reader = new Thread(this::readEvents, "baresip-" + name + "-events");
        reader.setDaemon(true);
        reader.start();
    }

    /** A port free for both UDP and TCP on 127.0.0.1, and the next one for TCP: baresip listens on all three. */
    // The sockets only prove both ports free; they close at once.
    @SuppressWarnings("try")
    private static int freeUdpAndTcpPort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int candidate;
            try (java.net.DatagramSocket udp = new java.net.DatagramSocket(0,
                    java.net.InetAddress.getLoopbackAddress())) {
                candidate = udp.getLocalPort();
            }
            if (candidate == 65535) {
                continue;
            }
            // baresip also listens for SIP over TLS on the next port.
            try (ServerSocket tcp = new ServerSocket(candidate, 1, java.net.InetAddress.getLoopbackAddress());
                    ServerSocket tls = new ServerSocket(candidate + 1, 1, java.net.InetAddress.getLoopbackAddress())) {
                return candidate;
            } catch (IOException taken) {
                // Try another.
            }
        }
        throw new IOException("no port free for both UDP and TCP");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Returns the port the phone listens on for SIP over TLS, when configured for it: the SIP port's next. */
    public int tlsPort() {
        return sipPort + 1;
    }

    /** Returns this phone's address as a SIP URI. */
    public String uri(String user) {
        return "sip:" + user + "@127.0.0.1:" + sipPort;
    }

    /** Sends a command, such as {@code dial sip:...}, {@code accept}, {@code hangup}. */
    public void command(String command, String params) throws IOException {
        String json = "{\"command\":\"" + command + "\",\"params\":\"" + params + "\",\"token\":\"t\"}";
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        OutputStream out = control.getOutputStream();
        out.write((payload.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.write(payload);
        out.write(',');
        out.flush();
    }

    /** Waits for an event of {@code type} (such as {@code CALL_CLOSED}) and returns its text. */
    public String awaitEvent(String type, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                String event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (event == null) {
                    throw new AssertionError("baresip sent no " + type + " within " + wait + "; it sent " + seen
                            + "\nits log:\n" + log());
                }
                Matcher m = TYPE.matcher(event);
                if (m.find() && m.group(1).equals(type)) {
                    return event;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Returns the {@code param} of an event (for CALL_CLOSED, the reason). */
    public static String param(String event) {
        Matcher m = PARAM.matcher(event);
        return m.find() ? m.group(1) : "";
    }

    private void readEvents() {
        try (InputStream in = control.getInputStream()) {
            while (true) {
                int length = 0;
                int c;
                while ((c = in.read()) != ':') {
                    if (c < 0) {
                        return;
                    }
                    length = length * 10 + (c - '0');
                }
                byte[] payload = in.readNBytes(length);
                in.read();
                String message = new String(payload, StandardCharsets.UTF_8);
                if (message.contains("\"event\":true")) {
                    seen.add(message);
                    events.add(message);
                }
            }
        } catch (IOException closed) {
            // The phone stopped.
        }
    }

    /**
     * Returns the newest file of what the phone heard ({@code dump/*-dec.wav}, which baresip's sndfile module
     * completes when a call ends), waiting until it is complete.
     */
    public Path heard(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try (var files = Files.list(folder.resolve("dump"))) {
                var newest = files.filter(f -> f.getFileName().toString().endsWith("-dec.wav"))
                        .max(java.util.Comparator.comparing(f -> f.toFile().lastModified()));
                if (newest.isPresent() && finished(newest.get())) {
                    return newest.get();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("baresip wrote no dump of what it heard within " + wait);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    /** Returns whether a WAV file is complete: its RIFF size (written last, when baresip closes it) matches. */
    private static boolean finished(Path wav) throws IOException {
        long size = Files.size(wav);
        if (size <= 44) {
            return false;
        }
        byte[] head = new byte[8];
        try (InputStream in = Files.newInputStream(wav)) {
            if (in.readNBytes(head, 0, 8) < 8) {
                return false;
            }
        }
        long riff = (head[4] & 0xffL) | (head[5] & 0xffL) << 8 | (head[6] & 0xffL) << 16 | (head[7] & 0xffL) << 24;
        return riff + 8 == size;
    }

    /** Returns what the phone logged. */
    public String log() {
        try {
            return Files.readString(folder.resolve("baresip.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the phone and deletes its folder (also if stopping it failed). */
    @Override
    public void close() throws IOException {
        try {
            control.close();
        } finally {
            try {
                stop(process);
            } finally {
                TestFiles.deleteTree(folder);
            }
        }
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
