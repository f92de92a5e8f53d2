package org.cti4j.sip.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A connected TLS socket of {@link GuardedNetworkLayer} that hands everything to the JDK's socket but reads its plain
 * text through the same {@link GuardedNetworkLayer.CrRunGuard} as TCP connections, bounds its handshake by the
 * configured timeout (a peer that connects and never finishes it holds the connection's reading thread that long, no
 * longer), and logs a failed handshake once, naming the peer ({@link TlsContext#handshakeFailed}).
 */
final class TlsSocket extends SSLSocket {

    /**
     * Thrown by {@link #startHandshake} when the handshake failed, after it was logged: the stack's own
     * report of it goes out at DEBUG ({@link Slf4jStackLogger}).
     */
    static final class ReportedHandshakeFailure extends SSLHandshakeException {
        private static final long serialVersionUID = 1L;

        ReportedHandshakeFailure(IOException cause) {
            super(String.valueOf(cause.getMessage()));
            initCause(cause);
        }

        /**
         * Returns whether a handshake on this thread failed (and was logged) in the last seconds: the warnings the
         * stack then gives about the connection it could not make are only detail of it.
         */
        static boolean justReportedHere() {
            long at = REPORTED_AT.get()[0];
            return at != 0 && System.nanoTime() - at < REPORTED_NANOS;
        }

        /** Returns the reported failure in {@code throwable}'s causes, or {@code null}. */
        static ReportedHandshakeFailure in(Throwable throwable) {
            for (Throwable t = throwable; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof ReportedHandshakeFailure reported) {
                    return reported;
                }
            }
            return null;
        }
    }

    /** How long after a failed handshake the stack's warnings on that thread are taken to be about it. */
    private static final long REPORTED_NANOS = 2_000_000_000L;
    /** When a handshake on this thread last failed (and was logged), by {@link System#nanoTime()}. */
    private static final ThreadLocal<long[]> REPORTED_AT = ThreadLocal.withInitial(() -> new long[1]);

    private final SSLSocket delegate;
    private final TlsContext tls;
    private final boolean dialling;
    private InputStream in;

    TlsSocket(SSLSocket delegate, TlsContext tls, boolean dialling) {
        this.delegate = delegate;
        this.tls = tls;
        this.dialling = dialling;
    }

    @Override
    public void startHandshake() throws IOException {
        int before = delegate.getSoTimeout();
        delegate.setSoTimeout(tls.handshakeTimeoutMillis());
        try {
            delegate.startHandshake();
        } catch (IOException e) {
            tls.handshakeFailed(delegate.getInetAddress() + ":" + delegate.getPort(), dialling, e);
            REPORTED_AT.get()[0] = System.nanoTime();
            delegate.close();
            throw new ReportedHandshakeFailure(e);
        }
        delegate.setSoTimeout(before);
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (in == null) {
            in = new GuardedNetworkLayer.CrRunGuard(delegate.getInputStream());
        }
        return in;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return delegate.getOutputStream();
    }

    @Override
    public synchronized void close() throws IOException {
        delegate.close();
    }

    @Override
    public boolean isClosed() {
        return delegate.isClosed();
    }

    @Override
    public boolean isConnected() {
        return delegate.isConnected();
    }

    @Override
    public boolean isBound() {
        return delegate.isBound();
    }

    @Override
    public boolean isInputShutdown() {
        return delegate.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return delegate.isOutputShutdown();
    }

    @Override
    public void shutdownInput() throws IOException {
        delegate.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        delegate.shutdownOutput();
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        throw new SocketException("already connected");
    }

    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
        throw new SocketException("already bound");
    }

    @Override
    public InetAddress getInetAddress() {
        return delegate.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return delegate.getLocalAddress();
    }

    @Override
    public int getPort() {
        return delegate.getPort();
    }

    @Override
    public int getLocalPort() {
        return delegate.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return delegate.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return delegate.getLocalSocketAddress();
    }

    @Override
    public SocketChannel getChannel() {
        return null;
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        delegate.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return delegate.getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        delegate.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return delegate.getSoLinger();
    }

    @Override
    public synchronized void setSoTimeout(int timeout) throws SocketException {
        delegate.setSoTimeout(timeout);
    }

    @Override
    public synchronized int getSoTimeout() throws SocketException {
        return delegate.getSoTimeout();
    }

    @Override
    public synchronized void setSendBufferSize(int size) throws SocketException {
        delegate.setSendBufferSize(size);
    }

    @Override
    public synchronized int getSendBufferSize() throws SocketException {
        return delegate.getSendBufferSize();
    }

    @Override
    public synchronized void setReceiveBufferSize(int size) throws SocketException {
        delegate.setReceiveBufferSize(size);
    }

    @Override
    public synchronized int getReceiveBufferSize() throws SocketException {
        return delegate.getReceiveBufferSize();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        delegate.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return delegate.getKeepAlive();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return delegate.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        delegate.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return delegate.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return delegate.getEnabledProtocols();
    }

    /** Keeps to TLS 1.3 and 1.2, whatever the stack asks for. */
    @Override
    public void setEnabledProtocols(String[] protocols) {
        List<String> allowed = List.of(tls.protocols());
        String[] kept = java.util.Arrays.stream(protocols).filter(allowed::contains).toArray(String[]::new);
        delegate.setEnabledProtocols(kept.length > 0 ? kept : tls.protocols());
    }

    @Override
    public SSLSession getSession() {
        return delegate.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return delegate.getHandshakeSession();
    }

    @Override
    public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
        delegate.addHandshakeCompletedListener(listener);
    }

    @Override
    public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
        delegate.removeHandshakeCompletedListener(listener);
    }

    @Override
    public void setUseClientMode(boolean mode) {
        delegate.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return delegate.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        delegate.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return delegate.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        delegate.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return delegate.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        delegate.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return delegate.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return delegate.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
        delegate.setSSLParameters(params);
    }

    @Override
    public String getApplicationProtocol() {
        return delegate.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return delegate.getHandshakeApplicationProtocol();
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(BiFunction<SSLSocket, List<String>, String> selector) {
        delegate.setHandshakeApplicationProtocolSelector(selector);
    }

    @Override
    public BiFunction<SSLSocket, List<String>, String> getHandshakeApplicationProtocolSelector() {
        return delegate.getHandshakeApplicationProtocolSelector();
    }

    @Override
    public String toString() {
        return "TlsSocket[" + delegate + "]";
    }
}
