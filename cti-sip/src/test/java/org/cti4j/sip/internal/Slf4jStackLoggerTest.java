package org.cti4j.sip.internal;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.core.LogLevels;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The levels JAIN-SIP's own lines reach SLF4J at, checked on a logger that records what it is asked to log. */
class Slf4jStackLoggerTest {

    /** The SLF4J levels, lowest first, as a recording logger's threshold. */
    private static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error");

    /** A logger enabled from {@code threshold} up that records "level: message" for every line it is given. */
    private static Logger recording(String threshold, List<String> lines) {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.startsWith("is") && name.endsWith("Enabled")) {
                        String level = name.substring(2, name.length() - 7).toLowerCase(java.util.Locale.ROOT);
                        return LEVELS.indexOf(level) >= LEVELS.indexOf(threshold);
                    }
                    if (LEVELS.contains(name)) {
                        lines.add(name + ": " + args[args.length > 1 ? 1 : 0]);
                        return null;
                    }
                    return name.equals("getName") ? "org.cti4j.sip.stack" : null;
                });
    }

    @Test
    void theStacksInfoLinesGoOutAtDebugAndAreNotEvenAskedForAtInfo() {
        List<String> lines = new ArrayList<>();
        Slf4jStackLogger logger = new Slf4jStackLogger(recording("info", lines));

        assertThat(logger.isLoggingEnabled(LogLevels.TRACE_INFO)).isFalse();
        assertThat(logger.isLoggingEnabled()).isFalse();
        logger.logInfo("the stack timer started");

        assertThat(lines).containsExactly("debug: the stack timer started");
    }

    @Test
    void atDebugTheStacksInfoLinesAreAskedFor() {
        Slf4jStackLogger logger = new Slf4jStackLogger(recording("debug", new ArrayList<>()));

        assertThat(logger.isLoggingEnabled(LogLevels.TRACE_INFO)).isTrue();
        assertThat(logger.isLoggingEnabled(LogLevels.TRACE_DEBUG)).isTrue();
        assertThat(logger.isLoggingEnabled(LogLevels.TRACE_TRACE)).isFalse();
    }

    @Test
    void warningsAndErrorsKeepTheirLevels() {
        List<String> lines = new ArrayList<>();
        Slf4jStackLogger logger = new Slf4jStackLogger(recording("info", lines));

        assertThat(logger.isLoggingEnabled(LogLevels.TRACE_WARN)).isTrue();
        assertThat(logger.isLoggingEnabled(LogLevels.TRACE_ERROR)).isTrue();
        logger.logWarning("could not send");
        logger.logError("bad message from the network");
        logger.logFatalError("the stack is broken");

        assertThat(lines).containsExactly("warn: could not send", "warn: bad message from the network",
                "error: the stack is broken");
    }

    @Test
    void whatClosingThisSidesSocketsRaisesGoesOutAtDebug() {
        List<String> lines = new ArrayList<>();
        Slf4jStackLogger logger = new Slf4jStackLogger(recording("trace", lines));

        logger.logException(new java.net.SocketException("Socket closed"));
        logger.logError("Problem Accepting Connection", new java.io.IOException("accept",
                new java.net.SocketException("Socket is closed")));
        logger.logWarning("reparsing original request [B@4714fa9c since it was eagerly cleaned up, but beware");
        logger.logException(new java.net.SocketException("Connection reset"));
        logger.logError("Problem Accepting Connection", new java.net.SocketException("Too many open files"));

        assertThat(lines).containsExactly("debug: java.net.SocketException: Socket closed",
                "debug: Problem Accepting Connection",
                "debug: reparsing original request [B@4714fa9c since it was eagerly cleaned up, but beware",
                "warn: java.net.SocketException: Connection reset", "warn: Problem Accepting Connection");
    }
}
