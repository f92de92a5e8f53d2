package org.cti4j.sip.internal;

import gov.nist.core.StackLogger;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends JAIN-SIP's own log to SLF4J (logger {@code org.cti4j.sip.stack}), so that log4j 1.x is never needed.
 * Every line is cut to 2,000 characters: the stack logs each malformed datagram whole, and a flood of them must not
 * flood the log. Instantiated by JAIN-SIP through its {@code gov.nist.javax.sip.STACK_LOGGER} property.
 *
 * <p>Levels: the stack's INFO chatter (its start, its timers, its threads) goes out at DEBUG, so that an application
 * whose log runs at INFO does not see the internals of a library it embeds; WARN and ERROR stay as they are (a
 * malformed message from the network is a WARN, being the peer's fault), but for what cti4j itself causes and
 * expects, which goes out at DEBUG too: an exception saying a socket was closed (only closing this side's socket
 * raises it: the stack stopping, or a connection the stack itself dropped), the notice that TLS is not configured,
 * and the notice that a request is parsed again because the stack cleans up eagerly (as cti4j configures it); and what
 * it reports of a TLS handshake that failed, already logged in one line by {@link TlsContext#handshakeFailed}. Message
 * tracing is unaffected: it is switched on by the logger {@code org.cti4j.sip.messages} at DEBUG (see
 * {@link Slf4jServerLogger}).
 */
public final class Slf4jStackLogger implements StackLogger {

    private static final int MAX_LINE = 2_000;

    private final Logger log;

    /** Creates the logger (JAIN-SIP calls this). */
    public Slf4jStackLogger() {
        this(LoggerFactory.getLogger("org.cti4j.sip.stack"));
    }

    /** Creates a logger writing to {@code log}: for tests. */
    Slf4jStackLogger(Logger log) {
        this.log = log;
    }

    static String cut(String message) {
        if (message == null || message.length() <= MAX_LINE) {
            return message;
        }
        return message.substring(0, MAX_LINE) + "... (" + (message.length() - MAX_LINE) + " more characters)";
    }

    @Override
    public void logStackTrace() {
        if (log.isTraceEnabled()) {
            log.trace("stack trace", new Throwable("stack trace"));
        }
    }

    @Override
    public void logStackTrace(int level) {
        logStackTrace();
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    /** Returns whether {@code throwable}, or one of its causes, says that this side closed the socket. */
    static boolean closedHere(Throwable throwable) {
        for (Throwable t = throwable; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.SocketException && t.getMessage() != null) {
                String message = t.getMessage().toLowerCase(java.util.Locale.ROOT);
                if (message.equals("socket closed") || message.equals("socket is closed")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Returns whether {@code throwable} is a handshake failure {@link TlsSocket} already logged. */
    static boolean reportedHandshake(Throwable throwable) {
        return TlsSocket.ReportedHandshakeFailure.in(throwable) != null;
    }

    @Override
    public void logException(Throwable throwable) {
        if (closedHere(throwable) || reportedHandshake(throwable)) {
            log.debug("JAIN-SIP: {}", cut(String.valueOf(throwable)), throwable);
        } else {
            log.warn("JAIN-SIP: {}", cut(String.valueOf(throwable)), throwable);
        }
    }

    @Override
    public void logDebug(String message) {
        log.debug("{}", cut(message));
    }

    @Override
    public void logDebug(String message, Exception e) {
        log.debug("{}", cut(message), e);
    }

    @Override
    public void logTrace(String message) {
        log.trace("{}", cut(message));
    }

    @Override
    public void logFatalError(String message) {
        log.error("{}", cut(message));
    }

    @Override
    public void logError(String message) {
        // The stack reports malformed input from the network as errors; that is the peer's fault, not ours.
        log.warn("{}", cut(message));
    }

    @Override
    public void logError(String message, Exception e) {
        if (closedHere(e) || reportedHandshake(e)) {
            log.debug("{}", cut(message), e);
        } else {
            log.warn("{}", cut(message), e);
        }
    }

    @Override
    public boolean isLoggingEnabled() {
        // The stack asks this before its INFO lines, which go out at DEBUG.
        return log.isDebugEnabled();
    }

    @Override
    public boolean isLoggingEnabled(int level) {
        if (level >= TRACE_TRACE) {
            return log.isTraceEnabled();
        }
        if (level >= TRACE_DEBUG) {
            return log.isDebugEnabled();
        }
        if (level >= TRACE_INFO) {
            // The stack's INFO lines go out at DEBUG. TRACE_MESSAGES is TRACE_INFO: the stack traces messages when
            // this says yes, so the messages logger at debug level opens it too.
            return log.isDebugEnabled() || Slf4jServerLogger.isTracing();
        }
        return level >= TRACE_WARN ? log.isWarnEnabled() : log.isErrorEnabled();
    }

    @Override
    public void logWarning(String message) {
        // At every start the stack warns that TLS is not configured, although cti4j configures TLS its own way, so
        // that is noise. With the eager clean-up cti4j configures, building a CANCEL, ACK or BYE reparses the request,
        // with a warning. And a TLS handshake that failed was logged already: what the stack says of the connection
        // it could not make is only detail.
        String lower = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("tls") || lower.contains("keystore") || lower.contains("truststore")
                || lower.startsWith("reparsing original request")
                || ((lower.startsWith("failed to connect") || lower.startsWith("couldn't connect"))
                        && TlsSocket.ReportedHandshakeFailure.justReportedHere())) {
            log.debug("{}", cut(message));
        } else {
            log.warn("{}", cut(message));
        }
    }

    @Override
    public void logInfo(String message) {
        // The stack's chatter is not the embedding application's business: DEBUG (see the class comment).
        log.debug("{}", cut(message));
    }

    @Override
    public void disableLogging() {
        // Levels are SLF4J's business.
    }

    @Override
    public void enableLogging() {
        // Levels are SLF4J's business.
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
        log.debug("JAIN-SIP build {}", buildTimeStamp);
    }

    @Override
    public void setStackProperties(Properties properties) {
        // Nothing to configure: levels come from SLF4J.
    }

    @Override
    public String getLoggerName() {
        return log.getName();
    }
}
