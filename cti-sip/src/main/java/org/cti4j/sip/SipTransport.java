package org.cti4j.sip;

import java.util.Locale;
import java.util.Optional;

/** A SIP transport. */
public enum SipTransport {
    /** UDP. */
    UDP,
    /** TCP. */
    TCP,
    /** TLS over TCP (RFC 3261 26.2), listened on only when {@link SipConfig#tls()} is set. */
    TLS;

    /**
     * Returns the transport a URI's {@code transport} parameter names, in any case.
     *
     * @param token {@code udp}, {@code tcp} or {@code tls}
     * @return the transport; empty for any other token
     */
    public static Optional<SipTransport> ofToken(String token) {
        for (SipTransport transport : values()) {
            if (transport.token().equalsIgnoreCase(token)) {
                return Optional.of(transport);
            }
        }
        return Optional.empty();
    }

    /** Returns the name JAIN-SIP and SIP URIs use: {@code udp}, {@code tcp}, {@code tls}. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
