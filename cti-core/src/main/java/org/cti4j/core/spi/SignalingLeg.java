package org.cti4j.core.spi;

/** A call leg of the signalling provider: what both directions can do. */
public interface SignalingLeg {

    /**
     * Ends an answered leg: sends BYE with a {@code Reason: SIP;cause=...} header. Also allowed on an inbound leg that
     * was answered but not yet confirmed by ACK.
     *
     * @param cause the SIP status code for the Reason header (200 for normal clearing)
     */
    void hangup(int cause);
}
