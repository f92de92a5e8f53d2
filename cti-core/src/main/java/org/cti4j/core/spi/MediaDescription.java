package org.cti4j.core.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One side's audio stream, in the terms both providers understand (the signalling provider turns it into SDP and
 * back).
 *
 * @param address the IP address media is received on
 * @param port the RTP port (RTCP on {@code port + 1}); 0 when the stream is rejected
 * @param payloadTypes the payload types in order of preference, telephone-event included if offered
 * @param direction the direction from the describing side's point of view
 * @param crypto the SRTP keys offered or accepted with SDES (RFC 4568 {@code a=crypto} lines), in order of
 *     preference; empty for plain RTP
 * @param secureProfile whether the stream is described with the {@code RTP/SAVP} profile (SRTP required) rather than
 *     {@code RTP/AVP} (where {@code crypto} lines, if any, offer SRTP as an option)
 */
public record MediaDescription(String address, int port, List<PayloadType> payloadTypes, MediaDirection direction,
        List<SdesCrypto> crypto, boolean secureProfile) {

    /** Checks the parts. */
    public MediaDescription {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
        }
        payloadTypes = List.copyOf(payloadTypes);
        Objects.requireNonNull(direction, "direction");
        crypto = List.copyOf(crypto);
    }

    /** Describes a plain RTP stream ({@code RTP/AVP}, no crypto lines). */
    public MediaDescription(String address, int port, List<PayloadType> payloadTypes, MediaDirection direction) {
        this(address, port, payloadTypes, direction, List.of(), false);
    }

    /** Returns the telephone-event payload type, if offered. */
    public Optional<PayloadType> telephoneEvent() {
        return payloadTypes.stream().filter(PayloadType::isTelephoneEvent).findFirst();
    }

    /** Returns a copy with another direction. */
    public MediaDescription withDirection(MediaDirection newDirection) {
        return new MediaDescription(address, port, payloadTypes, newDirection, crypto, secureProfile);
    }

    /** Returns a copy with other SRTP keys and profile. */
    public MediaDescription withCrypto(List<SdesCrypto> newCrypto, boolean newSecureProfile) {
        return new MediaDescription(address, port, payloadTypes, direction, newCrypto, newSecureProfile);
    }
}
