package org.cti4j.sip;

import java.util.Locale;

/** A SIP transport. */
public enum SipTransport {
    /** UDP. */
    UDP,
    /** TCP. */
    TCP;

    /** Returns the name JAIN-SIP and SIP URIs use: {@code udp}, {@code tcp}. */
    String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
