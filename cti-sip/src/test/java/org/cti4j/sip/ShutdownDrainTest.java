package org.cti4j.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.cti4j.api.Call;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallState;
import org.cti4j.api.DialOptions;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.junit.jupiter.api.Test;

/**
 * Closing an engine lets its last requests finish before the sockets close, and logs nothing above INFO: the far end
 * of a call being cancelled gets its 487 acknowledged, the far end of a call being hung up gets its BYE and answers
 * it, and the log of the close holds no warning, error or stack trace.
 */
class ShutdownDrainTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** How long this far end takes to send its 487 after a CANCEL: a slow one, as some are. */
    private static final Duration SLOW_487 = Duration.ofMillis(500);

    @Test
    void closeWaitsForTheFarEndToEndARingingAndAConnectedCall() throws Exception {
        try (RawSipPeer peer = new RawSipPeer(); LogCapture logs = new LogCapture()) {
            SipSignalingProvider sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
            CoreEngine engine = CoreEngine.builder().nodeId("0.0.7").signaling(sip).media(new ScriptedMedia())
                    .build();
            CompletableFuture<Void> closed = null;
            try {
                Events events = new Events();
                // Call 1 rings at the far end.
                Call ringing = engine.dial(options(peer), events);
                String invite1 = peer.receive(WAIT, m -> m.startsWith("INVITE "));
                assertThat(invite1).as("the first INVITE").isNotNull();
                peer.send(response(peer, invite1, 180, "Ringing", "ring-1", ""), sip.port());
                Await.until("call 1 ringing", WAIT, () -> ringing.state() == CallState.RING);
                // Call 2 is answered.
                Call talking = engine.dial(options(peer), events);
                // Not a retransmission of the first (Timer A, 500 ms after it, if the 180 took that long).
                String call1 = RawSipPeer.header(invite1, "Call-ID", "i");
                String invite2 = peer.receive(WAIT,
                        m -> m.startsWith("INVITE ") && !call1.equals(RawSipPeer.header(m, "Call-ID", "i")));
                assertThat(invite2).as("the second INVITE").isNotNull();
                peer.send(response(peer, invite2, 200, "OK", "talk-2", RawCalls.pcmu(40_002)), sip.port());
                assertThat(peer.receive(WAIT, m -> m.startsWith("ACK "))).as("the ACK of the 200").isNotNull();
                Await.until("call 2 connected", WAIT, () -> talking.state().isConnected());

                logs.start();
                closed = CompletableFuture.runAsync(engine::close);
                String cancel = peer.receive(WAIT, m -> m.startsWith("CANCEL "));
                assertThat(cancel).as("the CANCEL of call 1").isNotNull();
                String bye = peer.receive(WAIT, m -> m.startsWith("BYE "));
                assertThat(bye).as("the BYE of call 2").isNotNull();
                peer.send(response(peer, bye, 200, "OK", null, ""), sip.port());
                peer.send(response(peer, cancel, 200, "OK", null, ""), sip.port());
                // The BYE is answered and the CANCEL too: only the INVITE's 487 is still to come.
                LockSupport.parkNanos(SLOW_487.toNanos());
                String terminated = response(peer, invite1, 487, "Request Terminated", "ring-1", "");
                peer.send(terminated, sip.port());
                assertThat(peer.receive(WAIT, m -> m.startsWith("ACK ") && m.contains("CSeq: 1 ACK")))
                        .as("the ACK of the 487: the engine still listened when it came").isNotNull();

                closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                logs.stop();
                assertThat(sip.unfinishedAtStop()).as("transactions still unfinished when the stack stopped")
                        .isZero();
                assertThat(logs.noise()).as("what closing the engine logged above INFO, and stack traces").isEmpty();
            } finally {
                logs.stop();
                engine.close();
            }
        }
    }

    /**
     * Over TCP, between two engines: closing the caller's engine CANCELs the ringing call and BYEs the connected one
     * on the connection to the callee, whose engine sees both calls end as the far end's doing; then both engines
     * close their connections. Neither close logs a warning or a stack trace ("Socket closed" from JAIN-SIP's
     * reader threads).
     */
    @Test
    void closingTwoEnginesWithCallsOverTcpIsQuiet() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            SipSignalingProvider aSip = new SipSignalingProvider(SipConfig.builder().port(0)
                    .transport(SipTransport.TCP).build());
            SipSignalingProvider bSip = new SipSignalingProvider(SipConfig.builder().port(0).build());
            Events aEvents = new Events();
            Events bEvents = new Events();
            CoreEngine a = CoreEngine.builder().nodeId("0.0.8").signaling(aSip).media(new ScriptedMedia()).build();
            CoreEngine b = CoreEngine.builder().nodeId("0.0.9").signaling(bSip).media(new ScriptedMedia())
                    .incomingCallListener(bEvents).build();
            try {
                DialOptions toB = DialOptions.builder().fromUri("sip:1000@127.0.0.1")
                        .toUri("sip:2000@127.0.0.1:" + bSip.port()).maxAnswerSeconds(60).maxRingSeconds(30).build();
                Call ringing = a.dial(toB, aEvents);
                bEvents.next(CallEvent.Incoming.class);
                Await.until("call 1 ringing", WAIT, () -> ringing.state() == CallState.RING);
                Call talking = a.dial(toB, aEvents);
                bEvents.next(CallEvent.Incoming.class);
                bEvents.calls.get(1).answer();
                Await.until("call 2 connected", WAIT, () -> talking.state().isConnected()
                        && bEvents.calls.get(1).state().isConnected());

                logs.start();
                a.close();
                CallEvent.Released first = bEvents.next(CallEvent.Released.class);
                CallEvent.Released second = bEvents.next(CallEvent.Released.class);
                assertThat(java.util.List.of(first.cause(), second.cause())).as("the callee's calls ended by")
                        .containsExactlyInAnyOrder(487, 200);
                assertThat(aSip.unfinishedAtStop()).as("the caller's transactions unfinished at its stop").isZero();
                b.close();
                assertThat(bSip.unfinishedAtStop()).as("the callee's transactions unfinished at its stop").isZero();
                logs.stop();
                assertThat(logs.noise()).as("what closing the engines logged above INFO, and stack traces").isEmpty();
            } finally {
                logs.stop();
                a.close();
                b.close();
            }
        }
    }

    private static DialOptions options(RawSipPeer peer) {
        return DialOptions.builder().fromUri("sip:1000@127.0.0.1").toUri("sip:2000@127.0.0.1:" + peer.port())
                .maxAnswerSeconds(60).maxRingSeconds(30).build();
    }

    /** A response to {@code request}: its Via, From, Call-ID and CSeq, its To with {@code toTag} added if given. */
    private static String response(RawSipPeer peer, String request, int status, String reason, String toTag,
            String sdp) {
        StringBuilder out = new StringBuilder("SIP/2.0 " + status + " " + reason + "\r\n");
        for (String line : request.substring(0, request.indexOf("\r\n\r\n")).split("\r\n", 0)) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("via:") || lower.startsWith("from:") || lower.startsWith("call-id:")
                    || lower.startsWith("cseq:")) {
                out.append(line).append("\r\n");
            } else if (lower.startsWith("to:")) {
                out.append(line).append(toTag != null && !lower.contains(";tag=") ? ";tag=" + toTag : "")
                        .append("\r\n");
            }
        }
        if (toTag != null && status >= 180) {
            out.append("Contact: <sip:2000@127.0.0.1:").append(peer.port()).append(">\r\n");
        }
        if (!sdp.isEmpty()) {
            out.append("Content-Type: application/sdp\r\n");
        }
        return out.append("Content-Length: ").append(sdp.length()).append("\r\n\r\n").append(sdp).toString();
    }

    /**
     * What the engine logs while started: slf4j-simple, the tests' binding, writes to {@code System.err} as it is at
     * each call, so it is swapped for a copy for that time.
     */
    private static final class LogCapture implements AutoCloseable {
        private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        private PrintStream original;

        synchronized void start() {
            original = System.err;
            System.setErr(new PrintStream(new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    captured.write(b);
                    original.write(b);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) {
                    captured.write(bytes, offset, length);
                    original.write(bytes, offset, length);
                }
            }, true, StandardCharsets.UTF_8));
        }

        synchronized void stop() {
            if (original != null) {
                System.setErr(original);
                original = null;
            }
        }

        /** Returns the lines logged at WARN or ERROR, and the lines of stack traces, whatever the level shown. */
        synchronized java.util.List<String> noise() {
            return captured.toString(StandardCharsets.UTF_8).lines()
                    .filter(line -> line.contains(" WARN ") || line.contains(" ERROR ") || line.startsWith("\tat ")
                            || line.startsWith("Caused by: "))
                    .toList();
        }

        @Override
        public void close() {
            stop();
        }
    }
}
