package org.cti4j.core.internal;

import org.cti4j.api.DroppedBy;
import org.cti4j.core.spi.LegListener;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaListener;

/**
 * Hands what the providers report about one {@link Leg} — from the signalling provider's and the media provider's
 * threads — to the owning resource's strand, where the leg handles it; an event that arrives after the leg ended is
 * dropped there, so a leg ends exactly once whatever the order of events.
 */
final class LegEventRelay implements LegListener, MediaListener {

    private final Leg leg;
    private final AbstractResource resource;

    LegEventRelay(Leg leg, AbstractResource resource) {
        this.leg = leg;
        this.resource = resource;
    }

    @Override
    public void onProvisional(int status, MediaDescription earlyMedia) {
        onStrand(() -> leg.provisional(earlyMedia));
    }

    @Override
    public void onAnswered(MediaDescription remote) {
        onStrand(() -> leg.answered(remote));
    }

    @Override
    public void onConfirmed(MediaDescription remote) {
        onStrand(() -> leg.confirmed(remote));
    }

    @Override
    public void onFailed(int status, String reason) {
        onStrand(() -> leg.endedBy(DroppedBy.USR, status, reason));
    }

    @Override
    public void onGaveUp(int status, String reason) {
        onStrand(() -> leg.endedBy(DroppedBy.SYS, status, reason));
    }

    @Override
    public void onRemoteHangup(int hangupCause) {
        onStrand(() -> leg.endedBy(DroppedBy.USR, hangupCause, "ended by the far end"));
    }

    @Override
    public void onRemoteMediaChanged(MediaDescription remote) {
        onStrand(() -> leg.applyRemote(remote));
    }

    /** A key from either provider: SIP INFO or RFC 4733. */
    @Override
    public void onDtmf(char digit) {
        onStrand(() -> leg.dtmf(digit));
    }

    @Override
    public void onInactivity() {
        onStrand(leg::inactivity);
    }

    @Override
    public void whenTakenIn(Runnable done) {
        // On the strand already, the earlier events are queued behind the running task: waiting would deadlock, so
        // this is the one case where done runs before they are taken in.
        if (resource.inStrand()) {
            done.run();
        } else {
            resource.post(done);
        }
    }

    private void onStrand(Runnable event) {
        resource.post(() -> {
            if (!leg.isEnded()) {
                event.run();
            }
        });
    }
}
