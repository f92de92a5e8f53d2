package org.cti4j.media;

/**
 * One session's place in a mixer: what it receives goes to the mixer through {@link #toMixer} (written by the
 * session's worker, read by the mixer's), and what it is to send comes back through {@link #fromMixer}.
 */
final class MixerMember {

    final RtpSessionImpl session;
    final RtpMixer mixer;
    final PcmRing toMixer = new PcmRing(2048);
    final PcmRing fromMixer = new PcmRing(2048);
    /** Mixer worker only: this tick's frame from the member. */
    final short[] frame = new short[WorkerBuffers.FRAME];
    private volatile boolean left;

    MixerMember(RtpSessionImpl session, RtpMixer mixer) {
        this.session = session;
        this.mixer = mixer;
    }

    /** Marks it gone; both workers drop it at their next tick. */
    void leave() {
        left = true;
    }

    /** Returns whether it left the mixer. */
    boolean hasLeft() {
        return left;
    }
}
