package org.cti4j.sip;

import gov.nist.core.net.DefaultNetworkLayer;
import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * JAIN-SIP's network layer, with the bytes read from accepted TCP connections guarded against a flaw of its stream
 * parser. JAIN-SIP 1.3.0-91's {@code PipelinedMsgParser.readLine} keeps the CRs that start a line in a two-byte array:
 * a line (or a message after a body) starting with two CRs and then a CR or LF ({@code \r\r\n}) throws
 * {@code ArrayIndexOutOfBoundsException} out of the connection's reading thread, which dies and leaves the connection
 * open and unread — a peer can do it to every connection it opens. Here a CR that follows a CR is read as an LF:
 * {@code \r\r\n} becomes {@code \r\n\n}, blank lines the parser skips between messages. Valid SIP never holds two
 * CRs in a row (a bare CR is no line end, RFC 3261 7), and a body keeps its length, so framing by Content-Length is
 * kept; where the guard cannot know a line starts (after a body), this is the only rule that is always safe.
 *
 * <p>Everything else is JAIN-SIP's default network layer. Connections the stack opens itself (to send to a peer) are
 * not guarded. Installed through the stack property {@code gov.nist.javax.sip.NETWORK_LAYER}; not for applications.
 */
public final class GuardedNetworkLayer implements NetworkLayer {

    private final NetworkLayer delegate = DefaultNetworkLayer.SINGLETON;

    /** Creates the layer (JAIN-SIP calls this). */
    public GuardedNetworkLayer() {
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return new GuardedServerSocket(port, backlog, bindAddress);
    }

    @Override
    public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return delegate.createSSLServerSocket(port, backlog, bindAddress);
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return delegate.createSocket(address, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return delegate.createSocket(address, port, myAddress);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress, int myPort) throws IOException {
        return delegate.createSocket(address, port, myAddress, myPort);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
        return delegate.createSSLSocket(address, port);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return delegate.createSSLSocket(address, port, myAddress);
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

    /** An accepted connection whose input is read through a {@link CrRunGuard}. */
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

    /** Reads a CR that follows a CR as an LF. One reading thread at a time (JAIN-SIP's). */
    static final class CrRunGuard extends FilterInputStream {
        private boolean afterCr;

        CrRunGuard(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            return b < 0 ? b : guard(b);
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            int n = super.read(bytes, offset, length);
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
