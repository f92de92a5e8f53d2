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

    /** Returns whether the side this describes sends media. */
    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    /** Returns whether the side this describes receives media. */
    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    /**
     * Returns the direction that allows only what both allow: e.g. what this side may answer when it holds the far
     * end ({@code SENDONLY}) and the far end's offer, reversed, says {@code RECVONLY}.
     */
    public MediaDirection and(MediaDirection other) {
        boolean send = sends() && other.sends();
        boolean receive = receives() && other.receives();
        if (send && receive) {
            return SENDRECV;
        }
        if (send) {
            return SENDONLY;
        }
        return receive ? RECVONLY : INACTIVE;
    }
}
