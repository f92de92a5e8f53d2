package org.cti4j.sip.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The TLS listening socket of {@link GuardedNetworkLayer}: each connection it accepts is a TLS server (a
 * {@link TlsSocket}) over a plain accepted socket, set up by {@link TlsContext}. JAIN-SIP sets protocols, cipher
 * suites and client authentication here from its own properties; the policy of {@link TlsContext} applies to each
 * connection instead, so those setters change nothing.
 */
final class TlsServerSocket extends SSLServerSocket {
    private final TlsContext tls;

    TlsServerSocket(int port, int backlog, InetAddress bindAddress, TlsContext tls) throws IOException {
        super(port, backlog, bindAddress);
        this.tls = tls;
    }

    @Override
    public Socket accept() throws IOException {
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        Socket plain = new Socket();
        implAccept(plain);
        try {
            // Server mode; the handshake starts on the connection's own thread (TLSMessageChannel.run).
            SSLSocket ssl = (SSLSocket) tls.context().getSocketFactory().createSocket(plain, null, true);
            tls.configureServer(ssl);
            return new TlsSocket(ssl, tls, false);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return tls.cipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        // TlsContext's policy applies.
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return tls.context().getSupportedSSLParameters().getCipherSuites();
    }

    @Override
    public String[] getSupportedProtocols() {
        return tls.context().getSupportedSSLParameters().getProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return tls.protocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        // TlsContext's policy applies.
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        // TlsContext's policy applies: no client certificate is asked for.
    }

    @Override
    public boolean getNeedClientAuth() {
        return false;
    }

    @Override
    public void setWantClientAuth(boolean want) {
        // TlsContext's policy applies: no client certificate is asked for.
    }

    @Override
    public boolean getWantClientAuth() {
        return false;
    }

    @Override
    public void setUseClientMode(boolean mode) {
        // Accepted connections are servers.
    }

    @Override
    public boolean getUseClientMode() {
        return false;
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        // Every accepted connection creates its session.
    }

    @Override
    public boolean getEnableSessionCreation() {
        return true;
    }
}
