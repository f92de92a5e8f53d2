package org.cti4j.core.spi;

import java.util.Optional;
import org.cti4j.api.SipUri;

/** An inbound leg: an INVITE this side received. The provider sent 100 Trying; {@link #ring} sends 180 Ringing. */
public interface InboundLeg extends SignalingLeg {

    /** Returns the caller (the From URI). */
    SipUri from();

    /** Returns the callee (the To URI, or the request URI). */
    SipUri to();

    /** Returns the caller's media offer; empty for an INVITE without SDP (late offer: the offer goes in the 200). */
    Optional<MediaDescription> offer();

    /**
     * Tells the caller the call is being offered (180 Ringing). The engine calls it once it has checked that it can
     * take the call (a media session, a common codec) and just before it offers the call to the application, so that
     * a call refused at once never rings. Ignored once the leg is answered or ended.
     */
    void ring();

    /**
     * Answers with 200 OK carrying {@code local}: the answer to {@link #offer()}, or this side's offer when there was
     * none. The provider retransmits the 200 until ACK arrives, then calls {@link LegListener#onConfirmed}; if none
     * arrives it calls {@link LegListener#onGaveUp} with 408.
     */
    void answer(MediaDescription local);

    /** Refuses the leg with a final response (400 to 699). */
    void reject(int status);

    /**
     * Refuses the leg with a final response (a 503, when the engine takes no new calls for now) that tells the
     * caller to try again after {@code retryAfter} (SIP {@code Retry-After}). The default sends it without.
     */
    default void reject(int status, java.time.Duration retryAfter) {
        reject(status);
    }

    /** Refuses the leg with 302 Moved Temporarily whose Contact is {@code target}. */
    void redirect(SipUri target);
}
