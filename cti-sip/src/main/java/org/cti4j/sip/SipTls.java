package org.cti4j.sip;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.cti4j.api.InvalidArgumentException;

/**
 * SIP over TLS (RFC 3261 26.2): what a {@link SipSignalingProvider} listens with and trusts. Set it with
 * {@link SipConfig.Builder#tls}, or through the engine properties {@code sip.tls-port}, {@code sip.tls.key-store},
 * {@code sip.tls.key-store-password}, {@code sip.tls.key-store-type}, {@code sip.tls.trust-store} and
 * {@code sip.tls.trust-store-password} (see {@link SipConfig#fromProperties}).
 *
 * <p>The TLS context is built from this configuration only, never from the {@code javax.net.ssl.*} system properties,
 * so that several providers in one JVM each have their own. Only TLS 1.3 and TLS 1.2 are spoken. The peer's
 * certificate is always checked against the trust store; when dialling, the certificate must also name the host of
 * the next hop (the outbound proxy, else the target URI), as HTTPS checks it ({@code verifyHostname}, on by default).
 * Client certificates are not asked for.
 *
 * <p><b>Trusting a private CA.</b> A PBX or carrier whose certificate is signed by a private CA is trusted by giving a
 * trust store that holds that CA's certificate, e.g. {@code keytool -importcert -alias pbx-ca -file ca.pem -keystore
 * trust.p12 -storetype PKCS12 -storepass secret -noprompt}. A trust store replaces the JDK's default one: add the
 * public CAs it should trust as well, if any.
 *
 * <p>The passwords are left out of {@link #toString()}. The stores are read when the provider starts; an unreadable
 * store or a wrong password fails {@link SipSignalingProvider#start} with an
 * {@link org.cti4j.api.EngineFailureException} naming the file.
 *
 * @param port the port to listen on for TLS; 0 picks a free one (see {@link SipSignalingProvider#tlsPort()}).
 *     Default 5061
 * @param keyStore the key store holding this side's certificate and private key, shown to peers that connect (and
 *     needed for them to connect at all), or {@code null} when TLS is only used to dial out: inbound TLS connections
 *     then fail their handshake
 * @param keyStorePassword the password of the key store and of its key; empty for none
 * @param keyStoreType the key store's type. Default {@code PKCS12}
 * @param trustStore the certificates of the CAs to trust, or {@code null} for the JDK's default trust store
 *     ({@code lib/security/cacerts} of the running JDK). Its type is detected (PKCS12 or JKS)
 * @param trustStorePassword the trust store's password; empty for none
 * @param handshakeTimeout how long a TLS handshake may take before its connection is closed. Default 10 s
 * @param verifyHostname whether the certificate of a server dialled must name the host dialled. Default true
 */
public record SipTls(int port, Path keyStore, String keyStorePassword, String keyStoreType, Path trustStore,
        String trustStorePassword, Duration handshakeTimeout, boolean verifyHostname) {

    /** The default port of SIP over TLS (RFC 3261 26.2). */
    public static final int DEFAULT_PORT = 5061;

    /** Checks the parts. */
    public SipTls {
        if (port < 0 || port > 65535) {
            throw new InvalidArgumentException("sip.tls-port", "sip.tls-port " + port + " is out of range 0-65535");
        }
        Objects.requireNonNull(keyStorePassword, "keyStorePassword");
        Objects.requireNonNull(keyStoreType, "keyStoreType");
        if (keyStoreType.isBlank()) {
            throw new InvalidArgumentException("sip.tls.key-store-type", "sip.tls.key-store-type is empty");
        }
        Objects.requireNonNull(trustStorePassword, "trustStorePassword");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (handshakeTimeout.toMillis() < 1) {
            throw new InvalidArgumentException("handshakeTimeout", "the TLS handshake timeout must be positive");
        }
    }

    /** Returns a builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Describes the configuration without the passwords. */
    @Override
    public String toString() {
        return "SipTls[port=" + port + ", keyStore=" + keyStore + ", keyStoreType=" + keyStoreType + ", trustStore="
                + (trustStore != null ? trustStore : "JDK default") + ", handshakeTimeout=" + handshakeTimeout
                + ", verifyHostname=" + verifyHostname + "]";
    }

    /** Builds a {@link SipTls}. Not thread-safe. */
    public static final class Builder {
        private int port = DEFAULT_PORT;
        private Path keyStore;
        private String keyStorePassword = "";
        private String keyStoreType = "PKCS12";
        private Path trustStore;
        private String trustStorePassword = "";
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private boolean verifyHostname = true;

        private Builder() {
        }

        /** Sets the TLS port (default 5061; 0 picks a free one). */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** Sets the key store holding this side's certificate and key, with its password. */
        public Builder keyStore(Path path, String password) {
            this.keyStore = Objects.requireNonNull(path, "path");
            this.keyStorePassword = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Sets the key store's type (default PKCS12). */
        public Builder keyStoreType(String value) {
            this.keyStoreType = Objects.requireNonNull(value, "keyStoreType");
            return this;
        }

        /** Trusts the CAs in this store, instead of the JDK's default ones. */
        public Builder trustStore(Path path, String password) {
            this.trustStore = Objects.requireNonNull(path, "path");
            this.trustStorePassword = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Sets how long a handshake may take (default 10 s). */
        public Builder handshakeTimeout(Duration value) {
            this.handshakeTimeout = Objects.requireNonNull(value, "handshakeTimeout");
            return this;
        }

        /**
         * Sets whether a server's certificate must name the host dialled (default true). Turning it off still checks
         * the certificate against the trust store; it is meant for peers reached by an address their certificate does
         * not name.
         */
        public Builder verifyHostname(boolean value) {
            this.verifyHostname = value;
            return this;
        }

        /** Returns the configuration. */
        public SipTls build() {
            return new SipTls(port, keyStore, keyStorePassword, keyStoreType, trustStore, trustStorePassword,
                    handshakeTimeout, verifyHostname);
        }
    }
}
