package org.cti4j.core.spi;

/** An outbound leg: the INVITE this side sent. */
public interface OutboundLeg extends SignalingLeg {

    /** Gives up before answer: sends CANCEL (or, if no provisional response arrived yet, CANCEL once one does). */
    void cancel();
}
