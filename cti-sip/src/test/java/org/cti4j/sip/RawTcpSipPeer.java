package org.cti4j.sip;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * A SIP peer made of one TCP (or TLS) connection to the engine on 127.0.0.1: it sends hand-written messages and cuts
 * what comes back into messages by their Content-Length, as RFC 3261 18.3 frames a stream.
 */
final class RawTcpSipPeer implements RawPeer {

    private final Socket socket;
    private final InputStream in;
    private final int sipPort;
    private final String transport;
    private byte[] pending = new byte[0];
    private boolean closedByServer;

    RawTcpSipPeer(int sipPort) throws IOException {
        this(connect(new Socket(), sipPort), sipPort, "TCP");
    }

    /** A peer on {@code socket}, connected to {@code sipPort}, naming {@code transport} (TCP, TLS) in its Via. */
    RawTcpSipPeer(Socket socket, int sipPort, String transport) throws IOException {
        this.sipPort = sipPort;
        this.transport = transport;
        this.socket = socket;
        try {
            in = socket.getInputStream();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Connects {@code socket} to {@code sipPort} on 127.0.0.1 within 5 s; closes it if that fails. */
    static Socket connect(Socket socket, int sipPort) throws IOException {
        try {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), sipPort), 5_000);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public String transport() {
        return transport;
    }

    @Override
    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public void send(String message, int port) throws IOException {
        if (port != sipPort) {
            throw new IllegalArgumentException("this TCP peer is connected to " + sipPort + ", not " + port);
        }
        socket.getOutputStream().write(message.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    @Override
    public String receive(Duration wait, Predicate<String> wanted) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            String message = next(deadline);
            if (message == null || wanted.test(message)) {
                return message;
            }
        }
    }

    /** Returns whether the engine closed the connection within {@code wait} (what it sent before is dropped). */
    boolean closedByServer(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!closedByServer && next(deadline) != null) {
            // Read on until the end of the stream or the deadline.
        }
        return closedByServer;
    }

    private String next(long deadline) throws IOException {
        byte[] chunk = new byte[65536];
        while (true) {
            String framed = frame();
            if (framed != null) {
                return framed;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0 || closedByServer) {
                return null;
            }
            socket.setSoTimeout((int) left);
            int read;
            try {
                read = in.read(chunk);
            } catch (SocketTimeoutException e) {
                return null;
            } catch (SocketException e) {
                read = -1;
            }
            if (read < 0) {
                closedByServer = true;
                return null;
            }
            byte[] more = Arrays.copyOf(pending, pending.length + read);
            System.arraycopy(chunk, 0, more, pending.length, read);
            pending = more;
        }
    }

    /** Takes one whole message off the front of what was read, or returns {@code null} if none is complete yet. */
    private String frame() {
        String text = new String(pending, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return null;
        }
        String length = RawSipPeer.header(text.substring(0, headEnd + 2), "Content-Length", "l");
        int total = headEnd + 4 + (length == null ? 0 : Integer.parseInt(length.trim()));
        if (pending.length < total) {
            return null;
        }
        pending = Arrays.copyOfRange(pending, total, pending.length);
        return text.substring(0, total);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing left to release.
        }
    }
}
