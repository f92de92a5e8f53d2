package org.cti4j.sip.internal;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Traces every SIP message sent and received at debug level on the SLF4J logger {@code org.cti4j.sip.messages}.
 * Instantiated by JAIN-SIP through its {@code gov.nist.javax.sip.SERVER_LOGGER} property.
 */
public final class Slf4jServerLogger implements ServerLogger {

    private static final Logger log = LoggerFactory.getLogger("org.cti4j.sip.messages");

    /** Creates the logger (JAIN-SIP calls this). */
    public Slf4jServerLogger() {
    }

    /** Returns whether messages are traced (the logger {@code org.cti4j.sip.messages} is at debug level). */
    static boolean isTracing() {
        return log.isDebugEnabled();
    }

    @Override
    public void closeLogFile() {
        // Nothing to close.
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        trace(message, from, to, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
        trace(message, from, to, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
        trace(message, from, to, sender);
    }

    private static void trace(SIPMessage message, String from, String to, boolean sender) {
        if (log.isDebugEnabled()) {
            log.debug("{} {} -> {}\n{}", sender ? "sent" : "received", from, to,
                    Slf4jStackLogger.cut(message.encode()));
        }
    }

    @Override
    public void logException(Exception e) {
        log.warn("JAIN-SIP: {}", e.toString(), e);
    }

    @Override
    public void setStackProperties(Properties properties) {
        // Nothing to configure.
    }

    @Override
    public void setSipStack(SipStack sipStack) {
        // Not needed.
    }
}
