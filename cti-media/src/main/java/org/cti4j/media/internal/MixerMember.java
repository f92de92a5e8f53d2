package org.cti4j.media.internal;

/**
 * One session's place in a mixer: what it receives goes to the mixer through {@link #toMixer} (written by the
 * session's worker, read by the mixer's), and what it is to send comes back through {@link #fromMixer}.
 */
public final class MixerMember {

    public final RtpSessionImpl session;
    public final RtpMixer mixer;
    public final PcmRing toMixer = new PcmRing(2048);
    public final PcmRing fromMixer = new PcmRing(2048);
    /** Mixer worker only: this tick's frame from the member. */
    public final short[] frame = new short[WorkerBuffers.FRAME];
    private volatile boolean left;

    public MixerMember(RtpSessionImpl session, RtpMixer mixer) {
        this.session = session;
        this.mixer = mixer;
    }

    /** Marks it gone; both workers drop it at their next tick. */
    public void leave() {
        left = true;
    }

    /** Returns whether it left the mixer. */
    public boolean hasLeft() {
        return left;
    }
}
