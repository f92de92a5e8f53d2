package org.cti4j.sip.internal;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.UDPMessageChannel;
import gov.nist.javax.sip.stack.UDPMessageProcessor;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.LinkedList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JAIN-SIP's UDP message processor with a receiving loop that allocates only what a datagram needs. JAIN-SIP's own
 * loop allocates an array of the largest datagram (64 KB) for every datagram it receives and queues it to a worker,
 * which copies the datagram out of it: at 250 duo callbacks a second that was half of all the bytes the engine
 * allocated. This loop receives every datagram into one buffer and queues a copy of the datagram's own length; the
 * workers ({@code UDPMessageChannel}s, {@code THREAD_POOL_SIZE} of them) and everything after them are JAIN-SIP's.
 * {@link #stop()} makes sure the workers end with the processor.
 */
final class UdpProcessor extends UDPMessageProcessor {

    private static final Logger log = LoggerFactory.getLogger(UdpProcessor.class);
    /** Receive failures reported in a row before the rest are only counted (a flood of ICMP errors, say). */
    private static final int MAX_REPORTED_FAILURES = 10;

    private final int workers;

    @SuppressWarnings("JdkObsolete") // JAIN-SIP's field is a LinkedList
    UdpProcessor(InetAddress address, SIPTransactionStack stack, int port, int workers) throws IOException {
        super(address, stack, port);
        this.workers = workers;
        // JAIN-SIP's stop() walks this list before it stops the congestion auditor's timer: left null until run()
        // fills it, a stop() that comes first (an engine closed right after it started) would throw there and
        // leave that timer's thread running for good, and the rest of the stack's stop undone.
        messageChannels = new LinkedList<UDPMessageChannel>();
    }

    /** Starts the workers, then receives datagrams until the processor stops. Runs on the processor's thread. */
    @Override
    @SuppressWarnings("JdkObsolete") // JAIN-SIP's field is a LinkedList: stop() closes the workers through it
    public void run() {
        if (!isRunning) {
            return; // stopped before this thread ran: no worker to start
        }
        LinkedList<UDPMessageChannel> channels = new LinkedList<>();
        String stackName = sipStack instanceof SipStackImpl impl ? impl.getStackName() : "sip";
        for (int i = 0; i < workers; i++) {
            channels.add(new Worker(sipStack, this, stackName + "-UDPMessageChannelThread-" + i));
        }
        messageChannels = channels;
        byte[] buffer = new byte[getMaximumMessageSize()];
        DatagramPacket received = new DatagramPacket(buffer, buffer.length);
        int failures = 0;
        while (isRunning) {
            try {
                received.setLength(buffer.length);
                sock.receive(received);
                int length = received.getLength();
                DatagramPacket datagram = new DatagramPacket(Arrays.copyOf(buffer, length), length,
                        received.getSocketAddress());
                messageQueue.offer(new DatagramQueuedMessageDispatch(datagram, System.currentTimeMillis()));
                failures = 0;
            } catch (SocketTimeoutException e) {
                // only with JAIN-SIP's thread auditor on: a receive times out so that the loop can report itself
            } catch (IOException | RuntimeException e) {
                if (!isRunning) {
                    return;
                }
                failures++;
                if (failures <= MAX_REPORTED_FAILURES) {
                    log.warn("receiving SIP over UDP on port {} failed{}: {}", getPort(),
                            failures == MAX_REPORTED_FAILURES ? " (further failures in a row are not reported)" : "",
                            e.toString());
                }
            }
        }
    }

    /**
     * Stops as JAIN-SIP does, then ends every worker still waiting. JAIN-SIP's {@code stop()} ends the workers by
     * interrupting them; a worker whose interrupt was used up while it handled a datagram, or that {@code stop()}
     * missed (it can throw {@code ConcurrentModificationException} half-way through them), would wait in
     * {@code take()} for good, a thread left behind by every closed engine. A worker checks, after every datagram it
     * takes, whether the processor still runs, and leaves when not: one empty datagram each ends them all.
     */
    @Override
    public void stop() {
        try {
            super.stop();
        } finally {
            for (int i = 0; i < workers; i++) {
                messageQueue.offer(new DatagramQueuedMessageDispatch(new DatagramPacket(new byte[0], 0), 0));
            }
        }
    }

    /** One of JAIN-SIP's UDP workers: its constructor starts a thread that takes datagrams from the queue. */
    private static final class Worker extends UDPMessageChannel {
        Worker(SIPTransactionStack stack, UDPMessageProcessor processor, String name) {
            super(stack, processor, name);
        }
    }
}
