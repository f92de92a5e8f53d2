package org.cti4j.core.internal;

/** What the owner of a {@link Leg} (a call, a duo callback) hears of it. Called on the owner's strand. */
interface LegOwner {
    /** The far end of an outbound leg rings (180/183); {@code earlyMedia} says if its audio now flows. */
    void onLegRinging(Leg leg, boolean earlyMedia);

    /** The leg is connected: an outbound leg was answered, an inbound one confirmed by ACK. */
    void onLegConnected(Leg leg);

    /** The leg ended, for whatever reason; its times, cause and error are final. */
    void onLegEnded(Leg leg);

    /** The far end pressed a DTMF key. */
    void onLegDtmf(Leg leg, char digit);
}
