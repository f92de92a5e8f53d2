package org.cti4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cti4j.examples.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server jar started with {@code --sip-advertised-address 192.0.2.1} (a documentation address nothing answers
 * at), against SIPp phones whose scenarios fail the call unless the address is in the Via, Contact and SDP
 * ({@code o=} and {@code c=}) of what they receive: a call the server places (over JSON-RPC) and one it receives.
 * The calls still complete: responses go back to where requests came from (the server's Via asks for rport), and
 * in-dialog requests go to the peer's Contact.
 */
class ServerAdvertisedAddressIT {

    private static final Path SIPP = Path.of("/usr/bin/sipp");
    private static final String ADVERTISED = "192.0.2.1";
    private static final long SIPP_SECONDS = 30;

    @TempDir
    Path dir;

    @Test
    void aCallTheServerPlacesNamesTheAdvertisedAddressInViaContactAndSdp() throws Exception {
        requireSipp();
        try (ServerProcess server = ServerProcess.start(dir, Map.of(), "--sip-advertised-address", ADVERTISED);
                RpcTestClient rpc = server.connect()) {
            assertThat(server.listening()).contains("SIP 127.0.0.1:" + server.sipPort() + " advertised as "
                    + ADVERTISED).contains("advertised as " + ADVERTISED + ", node");
            int sippPort = Ports.freeSipPort();
            Sipp phone = Sipp.start(dir, "advertised-uas.xml", sippPort, null);
            try {
                JsonNode call = rpc.request(1, "sys.call.construct", "{\"from_uri\":\"sip:it@127.0.0.1\","
                        + "\"to_uri\":\"sip:sipp@127.0.0.1:" + sippPort + "\",\"max_answer_seconds\":60}");
                phone.expect(() -> rpc.event("sys.call.on_answered"));
                rpc.request(2, "sys.call.drop", "{\"res_id\":\"" + call.path("res_id").asText() + "\"}");
                phone.assertSucceeded();
            } finally {
                phone.close();
            }
            assertThat(server.terminate()).isZero();
        }
    }

    @Test
    void aCallTheServerReceivesIsAnsweredWithTheAdvertisedAddressAtTheCallersRport() throws Exception {
        requireSipp();
        try (ServerProcess server = ServerProcess.start(dir, Map.of(), "--sip-advertised-address", ADVERTISED);
                RpcTestClient rpc = server.connect()) {
            rpc.request(1, "sys.call.subscribe_incoming", "{}");
            Sipp phone = Sipp.start(dir, "advertised-uac.xml", Ports.freeSipPort(), "127.0.0.1:" + server.sipPort());
            try {
                JsonNode offered = phone.expect(() -> rpc.event("sys.call.on_incoming"));
                rpc.request(2, "sys.call.answer", "{\"res_id\":\"" + offered.path("res_id").asText() + "\"}");
                phone.assertSucceeded();
                phone.expect(() -> rpc.event("sys.call.on_released"));
            } finally {
                phone.close();
            }
            assertThat(server.terminate()).isZero();
        }
    }

    private static void requireSipp() {
        boolean installed = Files.isExecutable(SIPP);
        if (System.getenv("CI") != null && !installed) {
            throw new AssertionError("SIPp is required on CI: apt-get install sip-tester");
        }
        assumeTrue(installed, "SIPp is not installed (apt-get install sip-tester)");
    }

    /** One SIPp process running one call of a scenario from {@code src/test/resources/sipp}. */
    private static final class Sipp {
        private final Process process;
        private final Path output;
        private final Path errors;

        private Sipp(Process process, Path output, Path errors) {
            this.process = process;
            this.output = output;
            this.errors = errors;
        }

        /** Starts SIPp on {@code port}; with a {@code remote}, SIPp calls it, else it waits for a call. */
        static Sipp start(Path dir, String scenario, int port, String remote) throws IOException {
            Path file = dir.resolve(scenario);
            try (InputStream in = ServerAdvertisedAddressIT.class.getResourceAsStream("/sipp/" + scenario)) {
                assertThat(in).as("scenario %s", scenario).isNotNull();
                Files.copy(in, file);
            }
            Path output = dir.resolve(scenario + ".out");
            Path errors = dir.resolve(scenario + ".errors");
            List<String> command = new ArrayList<>(List.of(SIPP.toString(), "-sf", file.toString(),
                    "-i", "127.0.0.1", "-p", Integer.toString(port),
                    "-mi", "127.0.0.1", "-mp", Integer.toString(freeEvenPortPair()),
                    "-m", "1", "-nostdin", "-trace_err", "-error_file", errors.toString(),
                    "-timeout", SIPP_SECONDS + "s", "-timeout_error"));
            if (remote != null) {
                command.addAll(List.of("-s", "service", remote));
            }
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            return new Sipp(process, output, errors);
        }

        /** Runs {@code step}; if it fails, fails with what SIPp said, which usually tells why. */
        <T> T expect(Step<T> step) throws Exception {
            try {
                return step.run();
            } catch (Exception | AssertionError e) {
                throw new AssertionError("waiting for the server failed; SIPp: " + said(), e);
            }
        }

        void assertSucceeded() throws Exception {
            boolean ended = process.waitFor(SIPP_SECONDS + 10, TimeUnit.SECONDS);
            assertThat(ended).as("SIPp ended; it said: %s", said()).isTrue();
            assertThat(process.exitValue()).as("SIPp's exit code (0: the call passed every check); it said: %s",
                    said()).isZero();
        }

        private String said() throws IOException {
            String errorLog = Files.exists(errors) ? Files.readString(errors, StandardCharsets.ISO_8859_1) : "";
            String out = Files.exists(output) ? Files.readString(output, StandardCharsets.ISO_8859_1) : "";
            return errorLog + (out.length() > 4000 ? out.substring(out.length() - 4000) : out);
        }

        /** Stops SIPp if it still runs. */
        void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A step that may throw. */
    private interface Step<T> {
        T run() throws Exception;
    }

    /** Returns an even port whose next three ports are free too (SIPp's RTP and RTCP, audio and video). */
    private static int freeEvenPortPair() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int candidate;
            try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                candidate = probe.getLocalPort() & ~1;
            }
            if (candidate + 3 > 65535) {
                continue;
            }
            List<DatagramSocket> held = new ArrayList<>();
            try {
                for (int port = candidate; port < candidate + 4; port++) {
                    held.add(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
                }
                return candidate;
            } catch (IOException taken) {
                // One of them is in use: try another.
            } finally {
                held.forEach(DatagramSocket::close);
            }
        }
        throw new IOException("no four consecutive free UDP ports");
    }
}
