package org.cti4j.sip;

import java.util.Locale;
import java.util.Optional;

/** A SIP transport. */
public enum SipTransport {
    /** UDP. */
    UDP,
    /** TCP. */
    TCP;

    /**
     * Returns the transport a URI's {@code transport} parameter names, in any case.
     *
     * @param token {@code udp} or {@code tcp}
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

    /** Returns the name JAIN-SIP and SIP URIs use: {@code udp}, {@code tcp}. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
