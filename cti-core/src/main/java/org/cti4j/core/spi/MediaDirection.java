package org.cti4j.core.spi;

/** Which way media flows, from the point of view of the side that describes it (SDP's direction attributes). */
public enum MediaDirection {
    /** Both ways. */
    SENDRECV,
    /** This side sends only (the other side is on hold, or this side puts it there). */
    SENDONLY,
    /** This side receives only. */
    RECVONLY,
    /** Neither way. */
    INACTIVE;

    /** Returns the direction as the other side sees it. */
    public MediaDirection reversed() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            default -> this;
        };
    }
}
