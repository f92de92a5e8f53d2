package org.cti4j.sip.internal;

import gov.nist.core.net.DefaultNetworkLayer;
import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * JAIN-SIP's network layer, with the bytes read from TCP connections (accepted or opened) guarded against a flaw of
 * its stream parser. JAIN-SIP 1.3.0-91's {@code PipelinedMsgParser.readLine} keeps the CRs that start a line in a
 * two-byte array: a line (or a message after a body) starting with two CRs and then a CR or LF ({@code \r\r\n}) throws
 * {@code ArrayIndexOutOfBoundsException} out of the connection's reading thread, which dies and leaves the connection
 * open and unread — a peer can do it to every connection it opens. Here a CR that follows a CR is read as an LF:
 * {@code \r\r\n} becomes {@code \r\n\n}, blank lines the parser skips between messages; and as JAIN-SIP writes
 * {@code \r\n\r\n} behind a connection's last bytes when it ends, a connection that ends on a CR ends with an LF
 * first. Valid SIP never holds two
 * CRs in a row (a bare CR is no line end, RFC 3261 7), and a body keeps its length, so framing by Content-Length is
 * kept; where the guard cannot know a line starts (after a body), this is the only rule that is always safe.
 *
 * <p>Connections are opened as the default layer opens them (from the given local address, any port, an 8 s connect
 * timeout); UDP sockets are the default layer's. TLS connections, accepted ({@link TlsServerSocket}) or opened, are
 * read through the same guard ({@link TlsSocket}) and set up by the stack's own {@link TlsContext}: JAIN-SIP makes the
 * layer by its class name, so the context is found by the stack's name, {@linkplain #register registered} just for
 * the time the stack is being created. Installed through the stack property
 * {@code gov.nist.javax.sip.NETWORK_LAYER}; not for applications.
 */
public final class GuardedNetworkLayer implements NetworkLayer {

    private static final int CONNECT_TIMEOUT_MILLIS = 8_000;
    /** The TLS contexts of the stacks being created, by stack name. */
    private static final Map<String, TlsContext> CREATING = new ConcurrentHashMap<>();

    private final NetworkLayer delegate = DefaultNetworkLayer.SINGLETON;
    private TlsContext tls;

    /** Creates the layer (JAIN-SIP calls this). */
    public GuardedNetworkLayer() {
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return new GuardedServerSocket(port, backlog, bindAddress);
    }

    /** Lets the layer of the stack named {@code stackName}, made while this holds, speak TLS with {@code context}. */
    static void register(String stackName, TlsContext context) {
        CREATING.put(stackName, context);
    }

    /** Ends what {@link #register} started, once the stack is made. */
    static void unregister(String stackName) {
        CREATING.remove(stackName);
    }

    @Override
    public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return new TlsServerSocket(port, backlog, bindAddress, tlsContext());
    }

    private TlsContext tlsContext() throws IOException {
        if (tls == null) {
            throw new IOException("TLS is not configured");
        }
        return tls;
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return connect(address, port, null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return connect(address, port, myAddress);
    }

    /** Like the default layer, the local port is left to the system: {@code myPort} is not used. */
    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress, int myPort) throws IOException {
        return connect(address, port, myAddress);
    }

    /** Opens a guarded connection as the default layer opens one: from {@code myAddress} if given, within 8 s. */
    private static Socket connect(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return connect(new GuardedSocket(), address, port, myAddress);
    }

    private static Socket connect(Socket socket, InetAddress address, int port, InetAddress myAddress)
            throws IOException {
        try {
            if (myAddress != null) {
                socket.bind(new InetSocketAddress(myAddress, 0));
            }
            socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MILLIS);
            return socket;
        } catch (SocketTimeoutException e) {
            socket.close();
            throw new ConnectException("Socket timeout error (8sec)" + address + ":" + port);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
        return createSSLSocket(address, port, null);
    }

    /**
     * Opens a TLS connection to {@code address}; the handshake is left to the stack. The server's certificate is
     * checked against the name {@code address} was made from (the host of the hop dialled), or its literal address.
     */
    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        TlsContext context = tlsContext();
        Socket plain = connect(new Socket(), address, port, myAddress);
        try {
            String peerHost = new InetSocketAddress(address, port).getHostString();
            SSLSocket ssl = (SSLSocket) context.context().getSocketFactory().createSocket(plain, peerHost, port, true);
            context.configureClient(ssl);
            return new TlsSocket(ssl, context, true);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    @Override
    public DatagramSocket createDatagramSocket() throws SocketException {
        return delegate.createDatagramSocket();
    }

    @Override
    public DatagramSocket createDatagramSocket(int port, InetAddress laddr) throws SocketException {
        return delegate.createDatagramSocket(port, laddr);
    }

    @Override
    public void setSipStack(SipStackImpl sipStackImpl) {
        delegate.setSipStack(sipStackImpl);
        tls = CREATING.get(sipStackImpl.getStackName());
    }

    /** A server socket whose connections are {@link GuardedSocket}s. */
    private static final class GuardedServerSocket extends ServerSocket {
        GuardedServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
            super(port, backlog, bindAddress);
        }

        @Override
        public Socket accept() throws IOException {
            if (isClosed()) {
                throw new SocketException("Socket is closed");
            }
            Socket socket = new GuardedSocket();
            implAccept(socket);
            return socket;
        }
    }

    /** A connection whose input is read through a {@link CrRunGuard}. */
    private static final class GuardedSocket extends Socket {
        private InputStream in;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new CrRunGuard(super.getInputStream());
            }
            return in;
        }
    }

    /**
     * Reads a CR that follows a CR as an LF; a stream that ends (or fails) right after a CR ends with an LF first,
     * since JAIN-SIP then writes its own {@code \r\n\r\n} behind it. One reading thread at a time (JAIN-SIP's).
     */
    static final class CrRunGuard extends FilterInputStream {
        private boolean afterCr;
        private IOException failure;

        CrRunGuard(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (failure != null) {
                IOException pending = failure;
                failure = null;
                throw pending;
            }
            int n;
            try {
                n = super.read(bytes, offset, length);
            } catch (IOException e) {
                if (!afterCr) {
                    throw e;
                }
                failure = e;
                n = -1;
            }
            if (n < 0) {
                if (!afterCr) {
                    return n;
                }
                afterCr = false;
                bytes[offset] = '\n';
                return 1;
            }
            for (int i = offset; i < offset + n; i++) {
                bytes[i] = (byte) guard(bytes[i] & 0xFF);
            }
            return n;
        }

        private int guard(int b) {
            if (b == '\r' && afterCr) {
                afterCr = false;
                return '\n';
            }
            afterCr = b == '\r';
            return b;
        }
    }
}
