package org.cti4j.core.spi;

import java.util.Objects;

/**
 * An RTP payload type as negotiated: number, encoding name and clock rate ({@code 0 PCMU/8000},
 * {@code 8 PCMA/8000}, {@code 101 telephone-event/8000}).
 *
 * @param number the payload type number, 0 to 127
 * @param encoding the encoding name, such as {@code PCMU}
 * @param clockRate the clock rate in Hz
 */
public record PayloadType(int number, String encoding, int clockRate) {

    /** G.711 µ-law. */
    public static final PayloadType PCMU = new PayloadType(0, "PCMU", 8000);
    /** G.711 A-law. */
    public static final PayloadType PCMA = new PayloadType(8, "PCMA", 8000);
    /** RFC 4733 DTMF events, on the number cti4j offers. */
    public static final PayloadType TELEPHONE_EVENT = new PayloadType(101, "telephone-event", 8000);

    /** Checks the parts. */
    public PayloadType {
        if (number < 0 || number > 127) {
            throw new IllegalArgumentException("payload type number " + number + " is out of range 0-127");
        }
        Objects.requireNonNull(encoding, "encoding");
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate " + clockRate + " must be positive");
        }
    }

    /** Returns whether this is an RFC 4733 telephone-event type. */
    public boolean isTelephoneEvent() {
        return encoding.equalsIgnoreCase("telephone-event");
    }
}
