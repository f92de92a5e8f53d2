package org.cti4j.sip.internal;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.MessageProcessor;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sip.ListeningPoint;
import javax.sip.SipStack;
import org.cti4j.core.CoreEngine;
import org.cti4j.core.testing.Await;
import org.cti4j.core.testing.ScriptedMedia;
import org.cti4j.sip.SipConfig;
import org.cti4j.sip.SipSignalingProvider;
import org.junit.jupiter.api.Test;

/**
 * SIP over UDP is received by {@link UdpProcessor} (one receive buffer, a copy of each datagram's own length), and
 * the engine answers datagrams of every size from its own port.
 */
class UdpProcessorTest {

    @Test
    void theStackReceivesUdpThroughUdpProcessorAndStopsItsWorkers() throws Exception {
        StackHost host = StackHost.start(SipConfig.builder().port(0).threads(3).build(), new QuietListener(),
                (transaction, realm) -> null, null);
        String stack = ((SipStackImpl) host.provider().getSipStack()).getStackName();
        try {
            // the processor's thread starts them
            Await.until("3 UDP workers started", Duration.ofSeconds(5), () -> workersAlive(stack) >= 3);
            assertThat(workersAlive(stack)).as("UDP workers of the running stack").isEqualTo(3);
            List<MessageProcessor> processors = udpProcessors(host.provider().getSipStack());
            assertThat(processors).hasSize(1);
            assertThat(processors.get(0)).isInstanceOf(UdpProcessor.class);
            assertThat(processors.get(0).getPort()).isEqualTo(host.port());
        } finally {
            host.stop();
        }
        Await.until("the UDP workers ended", Duration.ofSeconds(10), () -> workersAlive(stack) == 0);
        assertThat(workersAlive(stack)).as("UDP workers of the stopped stack").isZero();
    }

    /**
     * A processor stopped before its thread ran (an engine closed right after it started, on a busy machine) stops
     * cleanly: JAIN-SIP's stop walks the worker list that run() fills, and with none it threw before it stopped the
     * congestion auditor's timer, whose thread then ran for good (227 of 300 engines started and closed at once under
     * load left one).
     */
    @Test
    void aProcessorStoppedBeforeItsThreadRanLeavesNoThread() throws Exception {
        StackHost host = StackHost.start(SipConfig.builder().port(0).threads(2).build(), new QuietListener(),
                (transaction, realm) -> null, null);
        try {
            SipStackImpl stack = (SipStackImpl) host.provider().getSipStack();
            assertThat(stack.getStackCongestionControlTimeout()).as("congestion auditing on").isPositive();
            // The stack's own processor starts its workers from its thread, soon after the start: not the new one's.
            Await.until("the stack's 2 UDP workers started", Duration.ofSeconds(5),
                    () -> workersAlive(stack.getStackName()) >= 2);
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            UdpProcessor processor = new UdpProcessor(InetAddress.getLoopbackAddress(), stack, 0, 2);
            assertThat(startedSince(before)).as("threads the new processor started")
                    .anyMatch(name -> name.startsWith("BlockingQueueDispatchAuditor-Timer-"));
            processor.stop();
            try {
                Await.until("the processor's threads ended", Duration.ofSeconds(10),
                        () -> startedSince(before).stream().noneMatch(UdpProcessorTest::processors));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; threads started since: " + startedSince(before), e);
            }
        } finally {
            host.stop();
        }
    }

    @Test
    void datagramsOfEverySizeAreAnsweredFromTheEnginesPort() throws Exception {
        SipSignalingProvider sip = new SipSignalingProvider(SipConfig.builder().port(0).build());
        CoreEngine engine = CoreEngine.builder().signaling(sip).media(new ScriptedMedia()).build();
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(200);
            int[] paddings = {0, 1, 1_400, 9_000, 30_000, 60_000};
            Map<String, Integer> answered = new HashMap<>();
            for (int i = 0; i < paddings.length; i++) {
                byte[] request = options(sip.port(), socket.getLocalPort(), "udp-size-" + i, paddings[i]);
                socket.send(new DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(),
                        sip.port()));
            }
            byte[] buffer = new byte[65_536];
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (answered.size() < paddings.length && System.nanoTime() - deadline < 0) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                String response = new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8);
                assertThat(packet.getPort()).as("the port the engine answered from").isEqualTo(sip.port());
                int at = response.indexOf("udp-size-");
                if (response.startsWith("SIP/2.0 ") && at > 0) {
                    answered.put(response.substring(at, response.indexOf('\r', at)),
                            Integer.parseInt(response.substring(8, 11)));
                }
            }
            assertThat(answered).as("final answers by Call-ID").hasSize(paddings.length)
                    .allSatisfy((callId, status) -> assertThat(status).as(callId).isEqualTo(200));
        } finally {
            engine.close();
        }
    }

    private static byte[] options(int enginePort, int peerPort, String callId, int padding) {
        String request = "OPTIONS sip:127.0.0.1:" + enginePort + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + peerPort + ";branch=z9hG4bK-" + callId + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:a@127.0.0.1>;tag=" + callId + "\r\n"
                + "To: <sip:b@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + (padding > 0 ? "X-Padding: " + "a".repeat(padding) + "\r\n" : "")
                + "Content-Length: 0\r\n\r\n";
        return request.getBytes(StandardCharsets.US_ASCII);
    }

    /** Returns the message processors of the stack's UDP listening points. */
    private static List<MessageProcessor> udpProcessors(SipStack stack) {
        List<MessageProcessor> processors = new ArrayList<>();
        for (Iterator<?> points = stack.getListeningPoints(); points.hasNext(); ) {
            if (points.next() instanceof ListeningPointImpl point
                    && ListeningPoint.UDP.equalsIgnoreCase(point.getTransport())) {
                processors.add(point.getMessageProcessor());
            }
        }
        return processors;
    }

    private static List<String> startedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !before.contains(t))
                .map(Thread::getName).toList();
    }

    /** Whether a thread is one a UDP processor starts: its auditor's timer, its receiving and working threads. */
    private static boolean processors(String threadName) {
        return threadName.startsWith("BlockingQueueDispatchAuditor-Timer-")
                || threadName.contains("UDPMessageChannelThread") || threadName.startsWith("MessageProcessorThread");
    }

    private static long workersAlive(String stack) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(stack + "-UDPMessageChannelThread-") && t.isAlive())
                .count();
    }
}
