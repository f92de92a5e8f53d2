package org.cti4j.sip.internal;

import java.util.Properties;
import org.cti4j.sip.SipConfig;

/**
 * The JAIN-SIP stack properties of a {@link org.cti4j.sip.SipSignalingProvider}: bounded where JAIN-SIP's defaults are not (a
 * fixed thread pool, a maximum message size, TCP read timeouts, a connection limit), logging through SLF4J, and a
 * finished call's state released as soon as RFC 3261 allows.
 */
final class StackProperties {

    private StackProperties() {
    }

    static Properties of(SipConfig config, String name, TlsContext tls) {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", name);
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "DEBUG");
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "true");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", String.valueOf(config.threads()));
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "false");
        // Over TCP JAIN-SIP allows headers of half this size and closes the connection, without an answer, on
        // longer ones: 128 KB lets a TCP request carry the same 64 KB of headers a UDP datagram can, so that a
        // request with a hostile header gets its 400 over both transports.
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "131072");
        p.setProperty("gov.nist.javax.sip.READ_TIMEOUT", "5000");
        p.setProperty("gov.nist.javax.sip.MAX_CONNECTIONS", "1024");
        p.setProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", "20000");
        p.setProperty("gov.nist.javax.sip.MAX_CLIENT_TRANSACTIONS", "20000");
        p.setProperty("gov.nist.javax.sip.MAX_LISTENER_RESPONSE_TIME", "120");
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        // A finished call's state must go when the call does, not linger (see issue #7: lingering dialogs and
        // transactions survive young collections and lengthen GC pauses with the call rate). The RFC 3261 timers
        // (K, J, I, D) still run: they absorb retransmissions over UDP. What goes is what JAIN-SIP adds on top:
        // LINGER_TIMER (default 8 s) delays removing a terminated dialog and cleaning up a server transaction whose
        // timers have run out. It is a static field of the stack class, so it holds for every JAIN-SIP stack in
        // the JVM; 0 makes SIPDialog.setState(TERMINATED) remove the dialog at once.
        p.setProperty("gov.nist.javax.sip.LINGER_TIMER", "0");
        // The transactions that must stay for Timer K/J keep only their request's bytes, not the parsed messages
        // and the dialog (SIPTransactionImpl.cleanUpOnTimer / cleanUp); same as AGGRESSIVE_CLEANUP=true.
        p.setProperty("gov.nist.javax.sip.RELEASE_REFERENCES_STRATEGY", "Normal");
        // The default timer is a java.util.Timer: a cancelled task stays queued, holding its dialog or transaction,
        // until it would have fired (a dialog's early-state timer: EARLY_DIALOG_TIMEOUT_SECONDS, 180 s). JAIN-SIP's
        // ScheduledExecutorSipTimer removes cancelled tasks but leaves a non-daemon thread behind the stack's stop;
        // StackTimer does neither.
        p.setProperty("gov.nist.javax.sip.TIMER_CLASS_NAME", StackTimer.class.getName());
        p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", StrictMessageParserFactory.class.getName());
        // UDP is received without a 64 KB array per datagram (UdpProcessor); TCP and TLS are JAIN-SIP's own.
        p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", MessageProcessors.class.getName());
        // Every message received is counted before the transaction layer (EngineStatistics.Signaling); then a
        // response nothing waits for is dropped before the stack compares it with every client transaction.
        p.setProperty("gov.nist.javax.sip.SIP_MESSAGE_VALVE",
                MessageCounter.class.getName() + "," + StrayResponses.class.getName());
        // Accepted TCP connections are read through a guard against a flaw of the stream parser (a line starting
        // with two CRs kills the connection's reading thread).
        p.setProperty("gov.nist.javax.sip.NETWORK_LAYER", GuardedNetworkLayer.class.getName());
        if (tls != null) {
            // The stack sets these on its TLS sockets itself: JAIN-SIP's defaults are TLS 1.0 to 1.2 with a few old
            // cipher suites (some anonymous), and client certificates required.
            p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", String.join(",", tls.protocols()));
            p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(",", tls.cipherSuites()));
            p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
            // Its watchdog closes a connection whose handshake is not done by then (TlsSocket bounds it too).
            p.setProperty("gov.nist.javax.sip.SSL_HANDSHAKE_TIMEOUT", String.valueOf(tls.handshakeTimeoutMillis()));
        }
        return p;
    }
}
