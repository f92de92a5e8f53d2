package org.cti4j.core.spi;

import java.util.List;
import java.util.Objects;

/**
 * One side's audio stream, in the terms both providers understand (the signalling provider turns it into SDP and
 * back).
 *
 * @param address the IP address media is received on
 * @param port the RTP port (RTCP on {@code port + 1}); 0 when the stream is rejected
 * @param payloadTypes the payload types in order of preference, telephone-event included if offered
 * @param direction the direction from the describing side's point of view
 */
public record MediaDescription(String address, int port, List<PayloadType> payloadTypes, MediaDirection direction) {

    /** Checks the parts. */
    public MediaDescription {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
        }
        payloadTypes = List.copyOf(payloadTypes);
        Objects.requireNonNull(direction, "direction");
    }

    /** Returns the telephone-event payload type, if offered. */
    public java.util.Optional<PayloadType> telephoneEvent() {
        return payloadTypes.stream().filter(PayloadType::isTelephoneEvent).findFirst();
    }

    /** Returns a copy with another direction. */
    public MediaDescription withDirection(MediaDirection newDirection) {
        return new MediaDescription(address, port, payloadTypes, newDirection);
    }
}
