package org.cti4j.media.internal;

/**
 * One session's place in a mixer: what it receives goes to the mixer through {@link #toMixer} (written by the
 * session's worker, read by the mixer's), and what it is to send comes back through {@link #fromMixer}. Its
 * {@link Voice} says whether it hears the mix and who hears it; any thread may change it.
 */
public final class MixerMember {

    public final RtpSessionImpl session;
    public final RtpMixer mixer;
    public final PcmRing toMixer = new PcmRing(2048);
    public final PcmRing fromMixer = new PcmRing(2048);
    /** Mixer worker only: this tick's frame from the member. */
    public final short[] frame = new short[WorkerBuffers.FRAME];
    /** Mixer worker only: what coaches say to this member in this tick, valid while {@link #whispered} is set. */
    final int[] whisper = new int[WorkerBuffers.FRAME];
    /** Mixer worker only: whether {@link #whisper} holds this tick's words. */
    boolean whispered;
    /** Mixer worker only: whether the mixer ticks it (it is in the mixer's active list). */
    boolean ticking;
    /** Mixer worker only: its voice for this tick, read once from {@link #voice}. */
    Voice tickVoice = Voice.ALL;
    private volatile Voice voice = Voice.ALL;
    private volatile boolean left;

    public MixerMember(RtpSessionImpl session, RtpMixer mixer) {
        this.session = session;
        this.mixer = mixer;
    }

    /** Sets its voice, taken at the mixer's next tick. */
    public void voice(Voice newVoice) {
        voice = newVoice;
    }

    /** Returns its voice. */
    public Voice voice() {
        return voice;
    }

    /** Marks it gone; both workers drop it at their next tick. */
    public void leave() {
        left = true;
    }

    /** Returns whether it left the mixer. */
    public boolean hasLeft() {
        return left;
    }

    /**
     * Whether a member hears the mix and who hears it.
     *
     * @param hears whether it hears the others (if not, it is sent silence)
     * @param heardByAll whether it is in the sum that everybody hears (and the recording holds)
     * @param coached the one member that hears it, for a coach; {@code null} otherwise
     */
    public record Voice(boolean hears, boolean heardByAll, MixerMember coached) {
        /** Hears and is heard by everybody: a new member's voice. */
        public static final Voice ALL = new Voice(true, true, null);
    }
}
