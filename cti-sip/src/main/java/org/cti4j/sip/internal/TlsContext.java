package org.cti4j.sip.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.cti4j.api.EngineFailureException;
import org.cti4j.sip.SipTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of one provider: an {@link SSLContext} built from its {@link SipTls} alone (never from the
 * {@code javax.net.ssl.*} system properties), the parameters its sockets get (TLS 1.3 and 1.2 only, no client
 * certificate asked for, the server's name checked when dialling), and the log of failed handshakes, bounded like the
 * other faults a peer decides: one line per {@value #WINDOW_MILLIS} ms, the others counted in the next one.
 */
final class TlsContext {

    private static final Logger log = LoggerFactory.getLogger(TlsContext.class);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    static final long WINDOW_MILLIS = 10_000;

    private final SSLContext context;
    private final SipTls config;
    private final String[] protocols;
    private final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    private TlsContext(SSLContext context, SipTls config) {
        this.context = context;
        this.config = config;
        this.protocols = Arrays.stream(PROTOCOLS)
                .filter(Arrays.asList(context.getSupportedSSLParameters().getProtocols())::contains)
                .toArray(String[]::new);
    }

    /**
     * Reads the stores {@code config} names and builds the context.
     *
     * @throws EngineFailureException naming the store that cannot be read (missing, unreadable, a wrong password),
     *     never the password
     */
    static TlsContext load(SipTls config) {
        KeyManager[] keys = null;
        if (config.keyStore() != null) {
            char[] password = config.keyStorePassword().toCharArray();
            KeyStore store = read("key store", config.keyStore(), config.keyStoreType(), password);
            try {
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(store, password);
                keys = factory.getKeyManagers();
            } catch (GeneralSecurityException e) {
                throw unreadable("key store", config.keyStore(), e);
            }
        }
        Path trustPath = config.trustStore() != null ? config.trustStore()
                : Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
        String trustPassword = config.trustStorePassword();
        KeyStore trusted = read("trust store", trustPath, null, trustPassword.isEmpty() ? null
                : trustPassword.toCharArray());
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust.getTrustManagers(), null);
            return new TlsContext(context, config);
        } catch (GeneralSecurityException e) {
            throw unreadable("trust store", trustPath, e);
        }
    }

    /** Reads a store; its type detected when {@code type} is null. */
    private static KeyStore read(String what, Path path, String type, char[] password) {
        try {
            if (type == null) {
                return KeyStore.getInstance(path.toFile(), password);
            }
            KeyStore store = KeyStore.getInstance(type);
            try (InputStream in = Files.newInputStream(path)) {
                store.load(in, password);
            }
            return store;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw unreadable(what, path, e);
        }
    }

    private static EngineFailureException unreadable(String what, Path path, Exception e) {
        String reason = e instanceof java.nio.file.NoSuchFileException || e instanceof java.io.FileNotFoundException
                ? "no such file" : e.getMessage();
        return new EngineFailureException("cannot read the SIP TLS " + what + " " + path + ": " + reason, e);
    }

    SSLContext context() {
        return context;
    }

    /** Returns the protocols spoken: TLS 1.3 and 1.2, as far as the JDK has them. */
    String[] protocols() {
        return protocols.clone();
    }

    /** Returns the cipher suites the JDK enables by default for these protocols. */
    String[] cipherSuites() {
        return context.getDefaultSSLParameters().getCipherSuites();
    }

    int handshakeTimeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, config.handshakeTimeout().toMillis());
    }

    /** Sets up a socket that dials {@code peerHost}: its name checked against the certificate unless told not to. */
    void configureClient(SSLSocket socket) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(protocols);
        if (config.verifyHostname()) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        socket.setSSLParameters(parameters);
    }

    /** Sets up an accepted socket: no client certificate asked for. */
    void configureServer(SSLSocket socket) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(protocols);
        parameters.setNeedClientAuth(false);
        parameters.setWantClientAuth(false);
        socket.setSSLParameters(parameters);
        socket.setUseClientMode(false);
    }

    /** Logs a failed handshake with {@code peer}: one INFO line per window, the others counted. */
    void handshakeFailed(String peer, boolean dialling, Throwable reason) {
        if (Slf4jStackLogger.closedHere(reason)) {
            // This side closed it: the provider closing, or the stack giving the connection up.
            log.debug("TLS handshake {} {} ended: this side closed the connection", dialling ? "to" : "from", peer);
            return;
        }
        long now = System.nanoTime() / 1_000_000;
        long last = lastLogged.get();
        String text = HandlingFailures.cut(String.valueOf(reason.getMessage() != null ? reason.getMessage()
                : reason));
        if ((last != Long.MIN_VALUE && now - last < WINDOW_MILLIS) || !lastLogged.compareAndSet(last, now)) {
            suppressed.incrementAndGet();
            log.debug("TLS handshake {} {} failed: {}", dialling ? "to" : "from", peer, text);
            return;
        }
        long skipped = suppressed.getAndSet(0);
        log.info("TLS handshake {} {} failed: {}{}", dialling ? "to" : "from", peer, text, skipped > 0
                ? " (" + skipped + " more failed handshakes in the last " + WINDOW_MILLIS / 1000 + " s)" : "");
    }
}
