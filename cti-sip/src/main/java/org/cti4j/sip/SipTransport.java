package org.cti4j.sip;

import java.util.Locale;

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
     * @return the transport, or {@code null} for any other token
     */
    static SipTransport ofToken(String token) {
        for (SipTransport transport : values()) {
            if (transport.token().equalsIgnoreCase(token)) {
                return transport;
            }
        }
        return null;
    }

    /** Returns the name JAIN-SIP and SIP URIs use: {@code udp}, {@code tcp}. */
    String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
