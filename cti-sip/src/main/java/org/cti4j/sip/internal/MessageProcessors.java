package org.cti4j.sip.internal;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.OIOMessageProcessorFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import javax.sip.ListeningPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JAIN-SIP's message processors, UDP's receiving loop excepted ({@link UdpProcessor}: one receive buffer instead of
 * a 64 KB array per datagram). Named in the stack's properties ({@code gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY})
 * and made by the stack, hence public; not API.
 */
public final class MessageProcessors extends OIOMessageProcessorFactory {

    private static final Logger log = LoggerFactory.getLogger(MessageProcessors.class);
    /** The stack sends UDP from its UDP processor's socket only when this is set (JAIN-SIP's factory sets it). */
    private static final Field UDP_FLAG = udpFlag();

    /** Made by the stack, by name. */
    public MessageProcessors() {
    }

    private static Field udpFlag() {
        try {
            Field field = SIPTransactionStack.class.getDeclaredField("udpFlag");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("cannot reach SIPTransactionStack.udpFlag: {}", e.toString());
            return null;
        }
    }

    @Override
    public MessageProcessor createMessageProcessor(SIPTransactionStack stack, InetAddress address, int port,
            String transport) throws IOException {
        int workers = workers(stack);
        if (!ListeningPoint.UDP.equalsIgnoreCase(transport) || UDP_FLAG == null || workers < 1) {
            return super.createMessageProcessor(stack, address, port, transport);
        }
        UdpProcessor processor = new UdpProcessor(address, stack, port, workers);
        try {
            UDP_FLAG.setBoolean(stack, true);
        } catch (IllegalAccessException | RuntimeException e) {
            // not reached once the field was made accessible; JAIN-SIP's own processor works without it
            processor.stop();
            return super.createMessageProcessor(stack, address, port, transport);
        }
        return processor;
    }

    /** The stack's {@code THREAD_POOL_SIZE}: how many workers parse and dispatch the datagrams received. */
    private static int workers(SIPTransactionStack stack) {
        if (!(stack instanceof SipStackImpl impl) || impl.getConfigurationProperties() == null) {
            return 0;
        }
        try {
            return Integer.parseInt(impl.getConfigurationProperties()
                    .getProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "0").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
