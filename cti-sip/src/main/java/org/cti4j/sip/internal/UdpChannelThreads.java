package org.cti4j.sip.internal;

import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import gov.nist.javax.sip.stack.UDPMessageProcessor;
import java.lang.reflect.Field;
import java.net.DatagramPacket;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import javax.sip.ListeningPoint;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the UDP worker threads of a stopped JAIN-SIP stack. Each worker ({@code UDPMessageChannelThread}) waits in
 * {@code take()} on its processor's queue, and {@code stop()} ends it by interrupting it; a worker whose interrupt
 * was used up while it handled a message (or that {@code stop()} missed: it can throw
 * {@code ConcurrentModificationException} half-way through the workers) waits in {@code take()} for good, a thread
 * left behind by every closed engine. Each worker checks, after every message it takes, whether its processor still
 * runs, and leaves when not: so one empty message per worker, put in the queue after the stop, ends them all.
 */
final class UdpChannelThreads {

    private static final Logger log = LoggerFactory.getLogger(UdpChannelThreads.class);
    private static final Field QUEUE = field("messageQueue");
    private static final Field POOL_SIZE = field("threadPoolSize");
    /** When the pool size cannot be read: more than any configuration here uses. */
    private static final int FALLBACK_WORKERS = 64;

    private UdpChannelThreads() {
    }

    private static Field field(String name) {
        try {
            Field field = UDPMessageProcessor.class.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("cannot reach UDPMessageProcessor.{}: {}", name, e.toString());
            return null;
        }
    }

    /** Returns the stack's UDP processors: taken before {@code stop()}, which forgets them. */
    static List<UDPMessageProcessor> of(SipStack stack) {
        List<UDPMessageProcessor> processors = new ArrayList<>();
        Iterator<?> points = stack.getListeningPoints();
        while (points != null && points.hasNext()) {
            Object point = points.next();
            if (point instanceof ListeningPointImpl impl
                    && ListeningPoint.UDP.equalsIgnoreCase(impl.getTransport())
                    && impl.getMessageProcessor() instanceof UDPMessageProcessor udp) {
                processors.add(udp);
            }
        }
        return processors;
    }

    /** After {@code stop()}: wakes every worker of {@code processors} still waiting, so that it sees the stop. */
    static void wake(List<UDPMessageProcessor> processors) {
        if (QUEUE == null) {
            return;
        }
        for (UDPMessageProcessor processor : processors) {
            try {
                @SuppressWarnings("unchecked")
                BlockingQueue<DatagramQueuedMessageDispatch> queue =
                        (BlockingQueue<DatagramQueuedMessageDispatch>) QUEUE.get(processor);
                int workers = POOL_SIZE == null ? FALLBACK_WORKERS : Math.max(1, POOL_SIZE.getInt(processor));
                for (int i = 0; i < workers && queue != null; i++) {
                    queue.offer(new DatagramQueuedMessageDispatch(new DatagramPacket(new byte[0], 0), 0));
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                log.debug("cannot wake the UDP workers: {}", e.toString());
            }
        }
    }
}
