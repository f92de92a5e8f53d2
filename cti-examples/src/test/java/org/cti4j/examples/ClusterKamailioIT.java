package org.cti4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.CallState;
import org.cti4j.api.DroppedBy;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.media.RtpMediaConfig;
import org.cti4j.media.RtpMediaProvider;
import org.cti4j.sip.Kamailio;
import org.cti4j.sip.SipConfig;
import org.cti4j.sip.SipSignalingProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three engines behind Kamailio, configured with the dispatcher configuration operators get
 * ({@code deploy/kamailio/cti4j-dispatcher.cfg}, only its listening port and list file changed): SIPp places
 * {@value #CALLS} calls through Kamailio, four a second, each held 4 s and hung up by SIPp. The engines listen on
 * 127.0.0.2, .3 and .4. Once calls have reached every engine, the second is drained; later the third is killed (its
 * SIP stack closed under it without a word, as a crashed machine goes silent). Shown: the calls are spread over the
 * three; no call on the drained engine is dropped (each is ended by its caller, and the engine stops once the last
 * is); calls after the kill go to the survivor; every call is set up exactly once; and the only failed calls are the
 * killed engine's live ones, whose BYEs find nobody.
 */
class ClusterKamailioIT {

    private static final Path CONFIG = Path.of("..", "deploy", "kamailio", "cti4j-dispatcher.cfg");
    private static final Path SIPP = Path.of("/usr/bin/sipp");
    private static final int CALLS = 40;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path temp;
    private final List<Node> nodes = new ArrayList<>();
    private Process kamailio;
    private Process sipp;
    /** The engine the last call was offered to, and when (System.nanoTime()). */
    private volatile Node lastOffered;
    private volatile long lastOfferedAt;

    /** One engine, and what its application saw. */
    private final class Node implements CallListener {
        final String address;
        final SipSignalingProvider sip;
        final CoreEngine engine;
        final AtomicInteger offered = new AtomicInteger();
        final List<CallEvent.Released> released = new CopyOnWriteArrayList<>();
        final List<Call> calls = new CopyOnWriteArrayList<>();

        Node(int number, boolean killable) {
            address = "127.0.0." + (number + 2);
            SipConfig.Builder config = SipConfig.builder().host(address).port(0);
            if (killable) {
                config.closeDrain(Duration.ZERO);
            }
            sip = new SipSignalingProvider(config.build());
            RtpMediaConfig media = RtpMediaConfig.builder().bindAddress("127.0.0.1")
                    .rtpPorts(30000 + number * 1000, 30999 + number * 1000).build();
            engine = CoreEngine.builder().nodeId("0.0." + (number + 1)).signaling(sip)
                    .media(new RtpMediaProvider(media)).incomingCallListener(this).build();
        }

        @Override
        public void onIncoming(Call call, CallEvent.Incoming event) {
            offered.incrementAndGet();
            calls.add(call);
            lastOfferedAt = System.nanoTime();
            lastOffered = this;
            call.answer();
        }

        @Override
        public void onReleased(Call call, CallEvent.Released event) {
            released.add(event);
        }

        int live() {
            return offered.get() - released.size();
        }

        /** Returns whether every call it took is connected (its 200 OK acknowledged) or over. */
        boolean settled() {
            return calls.stream().allMatch(c -> c.state() != CallState.INITIATED && c.state() != CallState.ANSWER);
        }
    }

    @AfterEach
    void stop() {
        if (sipp != null) {
            sipp.destroyForcibly();
        }
        Kamailio.stop(kamailio);
        for (Node node : nodes) {
            node.engine.close();
        }
    }

    @Test
    void callsSpreadOverThreeEnginesAndSurviveADrainAndAKill() throws Exception {
        Kamailio.requireInstalled();
        requireSipp();
        for (int i = 0; i < 3; i++) {
            nodes.add(new Node(i, i == 2));
        }
        Node first = nodes.get(0);
        Node drained = nodes.get(1);
        Node killed = nodes.get(2);
        int proxyPort = startKamailio();
        startSipp(proxyPort);

        Await.until("calls on every engine", WAIT, () -> nodes.stream().allMatch(n -> n.offered.get() >= 2));
        CompletableFuture<Void> drainEnded = drained.engine.drain(WAIT).toCompletableFuture();
        int drainedTook = drained.offered.get();

        // Killed between calls: a call whose INVITE it took but had not answered would be left ringing in Kamailio
        // (the engine's 100 Trying stops the failover), which no dispatcher can help. So the kill comes just after a
        // call went to the first engine (SIPp's next is 250 ms away), with every call of the third answered.
        Await.until("24 calls set up, the last on the first engine, the third engine's answered", WAIT,
                () -> total() >= 24 && lastOffered == first && killed.settled()
                        && System.nanoTime() - lastOfferedAt < Duration.ofMillis(100).toNanos());
        killed.sip.close();
        int killedTook = killed.offered.get();

        assertThat(sipp.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("SIPp placed its calls").isTrue();
        int[] outcome = sippOutcome();
        drainEnded.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        // SIPp is done once its BYEs were answered; the engines report the releases a moment later.
        Await.until("the calls of the first two engines released", WAIT,
                () -> first.live() == 0 && drained.live() == 0);

        assertThat(total()).as("calls set up, each on one engine (%s)", offers()).isEqualTo(CALLS);
        assertThat(killed.offered.get()).as("calls set up on the killed engine after the kill").isEqualTo(killedTook);
        assertThat(drained.offered.get()).as("calls set up on the drained engine after its drain began")
                .isLessThanOrEqualTo(drainedTook + 1);
        assertThat(first.offered.get()).as("calls on the survivor").isGreaterThan(CALLS / 3);
        for (Node node : List.of(first, drained)) {
            assertThat(node.released).as(() -> node.address + ": every call ended by its caller; SIPp's errors: "
                    + sippErrors()).hasSize(node.offered.get())
                    .allMatch(r -> r.droppedBy() == DroppedBy.USR && r.cause() == 200);
        }
        // The killed engine's calls not ended by their caller: live at the kill (their BYEs found nobody; the engine
        // may have given them up since, for want of RTP).
        long lost = killed.offered.get() - killed.released.stream()
                .filter(r -> r.droppedBy() == DroppedBy.USR && r.cause() == 200).count();
        assertThat(outcome).as(() -> "SIPp's successful and failed calls (the failed: the killed engine's live calls);"
                + " SIPp's errors: " + sippErrors())
                .containsExactly((int) (CALLS - lost), (int) lost);
    }

    private int total() {
        return nodes.stream().mapToInt(n -> n.offered.get()).sum();
    }

    private String offers() {
        return nodes.stream().map(n -> n.address + ": " + n.offered.get()).toList().toString();
    }

    /** Starts Kamailio with the operators' configuration, listing the engines; returns its port. */
    private int startKamailio() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("kamailio"));
        Path list = folder.resolve("engines.list");
        StringBuilder engines = new StringBuilder();
        for (Node node : nodes) {
            engines.append("1 sip:").append(node.address).append(':').append(node.sip.port()).append('\n');
        }
        Files.writeString(list, engines);
        int port = Ports.freeUdp();
        String config = Files.readString(CONFIG);
        String configured = config.replace("\"!CTI4J_LISTEN_PORT!5060!\"", "\"!CTI4J_LISTEN_PORT!" + port + "!\"")
                .replace("!/etc/kamailio/cti4j-engines.list!", "!" + list + "!");
        assertThat(configured).as("the values the test sets").isNotEqualTo(config)
                .contains("!" + port + "!").contains(list.toString());
        Path cfg = folder.resolve("kamailio.cfg");
        Files.writeString(cfg, configured);
        kamailio = new ProcessBuilder(Kamailio.binary().toString(), "-DD", "-E", "-f", cfg.toString(), "-Y",
                folder.toString(), "-w", folder.toString(), "-m", "32", "-M", "8", "-L",
                Kamailio.modulesFolder().toString())
                .redirectErrorStream(true).redirectOutput(folder.resolve("kamailio.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!Kamailio.answersOptions(port)) {
            if (!kamailio.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("kamailio did not start: " + read(folder.resolve("kamailio.log")));
            }
        }
        return port;
    }

    private void startSipp(int proxyPort) throws IOException {
        Path run = Files.createDirectories(temp.resolve("sipp"));
        Path scenario = run.resolve("call-through-proxy.xml");
        try (InputStream in = ClusterKamailioIT.class.getResourceAsStream("/sipp/call-through-proxy.xml")) {
            Files.copy(in, scenario);
        }
        sipp = new ProcessBuilder(SIPP.toString(), "127.0.0.1:" + proxyPort, "-sf", scenario.toString(), "-s",
                "agents", "-i", "127.0.0.1", "-p", String.valueOf(Ports.freeUdp()), "-mp",
                String.valueOf(Ports.freeEvenUdpPair()), "-r", "4", "-m", String.valueOf(CALLS),
                // A message that comes during the pause is ignored, not a reason to abort the call (see the scenario).
                "-default_behaviors", "all,-abortunexp", "-trace_err", "-trace_stat", "-stf",
                run.resolve("stats.csv").toString(), "-fd", "1", "-timeout", "90s", "-nostdin")
                .directory(run.toFile()).redirectErrorStream(true).redirectOutput(run.resolve("sipp.log").toFile())
                .start();
    }

    /** Reads SIPp's final counts: successful and failed calls. */
    private int[] sippOutcome() throws IOException {
        List<String> rows = Files.readAllLines(temp.resolve("sipp").resolve("stats.csv"), StandardCharsets.UTF_8);
        List<String> header = Arrays.asList(rows.get(0).split(";", -1));
        String[] last = rows.get(rows.size() - 1).split(";", -1);
        return new int[] {Integer.parseInt(last[header.indexOf("SuccessfulCall(C)")]),
            Integer.parseInt(last[header.indexOf("FailedCall(C)")])};
    }

    /** Returns what SIPp logged as errors ({@code -trace_err}), for a failure's message. */
    private String sippErrors() {
        try (var files = Files.list(temp.resolve("sipp"))) {
            StringBuilder errors = new StringBuilder();
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith("_errors.log")).toList()) {
                errors.append(read(file));
            }
            return errors.length() == 0 ? "(none)" : errors.toString();
        } catch (IOException e) {
            return "(cannot read: " + e.getMessage() + ")";
        }
    }

    private static void requireSipp() {
        boolean installed = Files.isExecutable(SIPP);
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("SIPp is required on CI: apt-get install sip-tester");
        }
        assumeTrue(installed, "SIPp is not installed (apt-get install sip-tester): skipping");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(none: " + e.getMessage() + ")";
        }
    }
}
