package org.cti4j.sip;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Predicate;

/** A hand-written SIP peer on 127.0.0.1 over one transport: {@link RawSipPeer} (UDP) or {@link RawTcpSipPeer}. */
interface RawPeer extends AutoCloseable {

    /** Returns {@code "UDP"} or {@code "TCP"}, as a Via names it. */
    String transport();

    /** Returns the local port: the one to put in a Via's sent-by. */
    int port();

    /** Sends a message (with CRLF line ends) to {@code 127.0.0.1:port}. */
    void send(String message, int port) throws IOException;

    /** Returns the next message matching {@code wanted} within {@code wait}, or {@code null}. */
    String receive(Duration wait, Predicate<String> wanted) throws IOException;

    /** Returns the next final response (status 200 or more) within {@code wait}, or {@code null}. */
    default String finalResponse(Duration wait) throws IOException {
        return receive(wait, m -> m.startsWith("SIP/2.0 ") && RawSipPeer.status(m) >= 200);
    }

    /** Opens a peer over {@code transport}; a TCP one connects to {@code sipPort}. */
    static RawPeer open(String transport, int sipPort) throws IOException {
        return transport.equals("TCP") ? new RawTcpSipPeer(sipPort) : new RawSipPeer();
    }

    @Override
    void close();
}
