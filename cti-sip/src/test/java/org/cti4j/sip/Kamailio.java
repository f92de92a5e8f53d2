package org.cti4j.sip;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Kamailio registrar and proxy for tests (Debian's {@code kamailio}), in its own folder on a free port of 127.0.0.1
 * (UDP and TCP): REGISTERs and initial INVITEs are authenticated by digest ({@code auth}, users and passwords written
 * into the script), bindings are kept in memory ({@code usrloc}, so a restart loses them, as a registrar that crashed
 * would), INVITEs for its domain are routed to the registered contact ({@code registrar}'s {@code lookup}), and
 * OPTIONS for the registrar itself are answered 200. Every REGISTER is logged ({@code xlog}) so that a test can count
 * them. Stopped by {@link #close()}, which deletes its folder.
 *
 * <p>Where Kamailio is not installed the test is skipped with a message — except where the environment variable
 * {@code CI} is set, where that is a failure.
 */
public final class Kamailio implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/sbin/kamailio");
    /** Where Debian puts the modules: under the architecture's library folder. */
    private static final Path MODULES = modules();
    /** The domain the registrar serves (an alias of its address). */
    public static final String DOMAIN = "pbx.test";

    final int port;
    private final Path folder;
    private final Map<String, String> users;
    private Process process;

    /** Skips the test where Kamailio is not installed (fails instead where {@code CI} is set). */
    public static void requireInstalled() {
        boolean installed = Files.isExecutable(BINARY) && Files.isDirectory(MODULES);
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("kamailio is required on CI: apt-get install kamailio");
        }
        assumeTrue(installed, "kamailio is not installed (apt-get install kamailio): skipping");
    }

    /** Returns Kamailio's binary, for tests that run it with a configuration of their own. */
    public static Path binary() {
        return BINARY;
    }

    /** Returns the folder of Kamailio's modules (for its {@code -L} option). */
    public static Path modulesFolder() {
        return MODULES;
    }

    private static Path modules() {
        try (var libraries = Files.list(Path.of("/usr/lib"))) {
            return libraries.map(library -> library.resolve("kamailio/modules")).filter(Files::isDirectory)
                    .findFirst().orElse(Path.of("/usr/lib/kamailio/modules"));
        } catch (IOException e) {
            return Path.of("/usr/lib/kamailio/modules");
        }
    }

    /** Starts a registrar for {@code users} (user name → password) and waits until it answers. */
    public Kamailio(Map<String, String> users) throws IOException {
        requireInstalled();
        this.users = Map.copyOf(users);
        this.folder = Files.createTempDirectory("kamailio");
        try {
            this.port = freePort();
            Files.writeString(folder.resolve("kamailio.cfg"), script());
            start();
        } catch (IOException | RuntimeException e) {
            TestFiles.deleteTree(folder);
            throw e;
        }
    }

    /** The registrar's URI: {@code sip:127.0.0.1:port}. */
    public String uri() {
        return "sip:127.0.0.1:" + port;
    }

    /** Stops the registrar (its bindings are lost) and starts it again on the same port. */
    void restart() throws IOException {
        stop();
        start();
    }

    /** Returns how many REGISTERs from {@code user} it received so far. */
    long registersFrom(String user) {
        return log().lines().filter(line -> line.contains("REGISTER from sip:" + user + "@")).count();
    }

    /** Returns what it logged. */
    String log() {
        try {
            return Files.readString(folder.resolve("kamailio.log"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void start() throws IOException {
        process = new ProcessBuilder(BINARY.toString(), "-DD", "-E", "-f", folder.resolve("kamailio.cfg").toString(),
                "-Y", folder.toString(), "-w", folder.toString(), "-m", "32", "-M", "4")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("kamailio.log").toFile())).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!answersOptions()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                stop();
                throw new IOException("kamailio did not start: " + log());
            }
        }
    }

    /** Sends an OPTIONS and waits 200 ms for any answer. */
    private boolean answersOptions() throws IOException {
        return answersOptions(port);
    }

    /** Sends an OPTIONS to 127.0.0.1:{@code port} over UDP and returns whether any answer came within 200 ms. */
    public static boolean answersOptions(int port) throws IOException {
        String target = "sip:127.0.0.1:" + port;
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String options = "OPTIONS " + target + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort()
                    + ";branch=z9hG4bK" + System.nanoTime() + "\r\nFrom: <sip:probe@127.0.0.1>;tag=p\r\nTo: <"
                    + target + ">\r\nCall-ID: probe-" + System.nanoTime() + "\r\nCSeq: 1 OPTIONS\r\n"
                    + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
            byte[] bytes = options.getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
            socket.setSoTimeout(200);
            socket.receive(new DatagramPacket(new byte[4096], 4096));
            return true;
        } catch (SocketTimeoutException notYet) {
            return false;
        }
    }

    private String script() {
        String passwords = users.entrySet().stream().map(u -> "    if ($au == \"" + u.getKey()
                + "\") { $var(pw) = \"" + u.getValue() + "\"; }\n").collect(Collectors.joining());
        return """
                #!KAMAILIO
                debug=2
                log_stderror=yes
                children=2
                tcp_children=2
                auto_aliases=no
                listen=udp:127.0.0.1:%1$d
                listen=tcp:127.0.0.1:%1$d
                alias="%2$s"
                mpath="%3$s/"
                loadmodule "tm.so"
                loadmodule "sl.so"
                loadmodule "rr.so"
                loadmodule "pv.so"
                loadmodule "maxfwd.so"
                loadmodule "textops.so"
                loadmodule "siputils.so"
                loadmodule "xlog.so"
                loadmodule "usrloc.so"
                loadmodule "registrar.so"
                loadmodule "auth.so"
                modparam("usrloc", "db_mode", 0)
                modparam("registrar", "min_expires", 10)
                modparam("registrar", "default_expires", 60)

                request_route {
                    if (!mf_process_maxfwd_header("10")) {
                        sl_send_reply("483", "Too Many Hops");
                        exit;
                    }
                    if (has_totag()) {
                        if (loose_route() || is_method("ACK")) {
                            t_relay();
                            exit;
                        }
                        sl_send_reply("404", "Not here");
                        exit;
                    }
                    if (is_method("CANCEL")) {
                        if (t_check_trans()) {
                            t_relay();
                        }
                        exit;
                    }
                    if (is_method("OPTIONS") && uri == myself && $rU == $null) {
                        sl_send_reply("200", "Alive");
                        exit;
                    }
                    route(PASSWORD);
                    if (is_method("REGISTER")) {
                        xlog("L_NOTICE", "REGISTER from $fu expires $hdr(Expires)\\n");
                        if ($var(pw) == "" || !pv_www_authenticate("%2$s", "$var(pw)", "0")) {
                            www_challenge("%2$s", "1");
                            exit;
                        }
                        if (!save("location")) {
                            sl_reply_error();
                        }
                        exit;
                    }
                    if (is_method("INVITE")) {
                        if ($var(pw) == "" || !pv_proxy_authenticate("%2$s", "$var(pw)", "0")) {
                            proxy_challenge("%2$s", "1");
                            exit;
                        }
                        consume_credentials();
                    }
                    if (uri == myself && !lookup("location")) {
                        sl_send_reply("404", "Not Found");
                        exit;
                    }
                    t_relay();
                }

                route[PASSWORD] {
                    $var(pw) = "";
                %4$s}
                """.formatted(port, DOMAIN, MODULES, passwords);
    }

    // The sockets only prove both ports free; they close at once.
    @SuppressWarnings("try")
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int candidate;
            try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                candidate = udp.getLocalPort();
            }
            try (ServerSocket tcp = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
                return candidate;
            } catch (IOException taken) {
                // Try another.
            }
        }
        throw new IOException("no port free for both UDP and TCP");
    }

    private void stop() {
        stop(process);
        process = null;
    }

    /**
     * Stops a Kamailio process and its workers: asked first (SIGTERM), killed after 5 s. Killing the main process
     * alone would leave its workers running.
     */
    public static void stop(Process kamailio) {
        if (kamailio == null) {
            return;
        }
        List<ProcessHandle> workers = kamailio.descendants().toList();
        workers.forEach(ProcessHandle::destroy);
        kamailio.destroy();
        try {
            if (!kamailio.waitFor(5, TimeUnit.SECONDS)) {
                kamailio.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** Stops the registrar and deletes its folder (also if stopping it failed). */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            TestFiles.deleteTree(folder);
        }
    }
}
