package org.cti4j.media.internal;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;
import org.cti4j.core.spi.PayloadType;

/**
 * What a session knows of its far end: the negotiated codec and direction, the signalled address, the address its
 * packets really come from (symmetric RTP: the first valid packet fixes it, later ones must come from there, or from
 * the signalled address, which always wins), and which payload type numbers it accepts. Worker thread only.
 */
public final class RemoteEndpoint {

    /** A payload type the session does not accept. */
    public static final byte NONE = 0;
    /** G.711 µ-law audio. */
    public static final byte PCMU = 1;
    /** G.711 A-law audio. */
    public static final byte PCMA = 2;
    /** RFC 4733 telephone events. */
    public static final byte EVENT = 3;

    private final byte[] kinds = new byte[128];
    private Negotiation negotiation;
    private InetSocketAddress signalled;
    private InetSocketAddress latched;
    private final SrtpStreams srtp = new SrtpStreams();

    public RemoteEndpoint() {
        apply(null, null);
    }

    /**
     * Applies an offer/answer outcome. A new address forgets where packets came from.
     *
     * @return whether the address changed
     */
    public boolean apply(Negotiation chosen, InetSocketAddress address) {
        boolean moved = !Objects.equals(address, signalled);
        if (moved) {
            latched = null;
        }
        signalled = address;
        negotiation = chosen;
        Arrays.fill(kinds, NONE);
        kinds[0] = PCMU;
        kinds[8] = PCMA;
        kinds[PayloadType.TELEPHONE_EVENT.number()] = EVENT;
        if (chosen != null) {
            kinds[chosen.payloadType()] = chosen.codec() == Codec.PCMA ? PCMA : PCMU;
            if (chosen.telephoneEvent() >= 0) {
                kinds[chosen.telephoneEvent()] = EVENT;
            }
        }
        return moved;
    }

    /** Returns the SRTP state of the session: what protects packets to and from the far end. */
    SrtpStreams srtp() {
        return srtp;
    }

    /** Returns what a payload type number carries: {@link #PCMU}, {@link #PCMA}, {@link #EVENT} or {@link #NONE}. */
    public byte kindOf(int payloadType) {
        return kinds[payloadType];
    }

    /**
     * Returns whether a valid packet from {@code from} is the far end's. The first one fixes where that is (the far
     * end may be behind a NAT), except that a packet from the signalled address always is the far end's and fixes it
     * there: a stranger whose packets came first cannot keep the session from its far end.
     */
    public boolean accept(InetSocketAddress from) {
        if (signalled == null) {
            return false;
        }
        if (latched == null || (!latched.equals(from) && from.equals(signalled))) {
            latched = from;
            return true;
        }
        return latched.equals(from);
    }

    /** Returns whether the far end sends from another address than it signalled. */
    public boolean moved() {
        return latched != null && !latched.equals(signalled);
    }

    /** Returns where to send: where the far end's packets come from, else where it said; {@code null} if unknown. */
    public InetSocketAddress target() {
        return latched != null ? latched : signalled;
    }

    /** Returns the signalled address, or {@code null}. */
    public InetSocketAddress signalled() {
        return signalled;
    }

    /** Returns the negotiation, or {@code null} before one (or after the stream was disabled). */
    public Negotiation negotiation() {
        return negotiation;
    }

    /** Returns whether this side should send now: the far end is known and listens. */
    public boolean sending() {
        return signalled != null && negotiation != null && negotiation.sends();
    }

    /** Returns whether the far end should be sending now (so that silence means it is gone). */
    public boolean expectingMedia() {
        return signalled != null && negotiation != null && negotiation.receives();
    }
}
