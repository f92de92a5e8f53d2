package org.cti4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Proves what a WAV file holds: the share of its 20 ms frames in which a given tone dominates (Goertzel power at the
 * tone against the frame's whole energy, the frame not silent). Silence and noise give a share near zero.
 */
public final class ToneCheck {

    private final float[] samples;
    private final float rate;

    private ToneCheck(float[] samples, float rate) {
        this.samples = samples;
        this.rate = rate;
    }

    /** Reads a WAV file (PCM, A-law or µ-law; its first channel). */
    public static ToneCheck of(Path wav) throws IOException {
        return of(wav, 0);
    }

    /**
     * Reads one channel of a WAV file (PCM, A-law or µ-law): 0 the first (left), 1 the second (right).
     *
     * @throws IOException if the file cannot be read, or has no such channel
     */
    public static ToneCheck of(Path wav, int channel) throws IOException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            AudioFormat f = in.getFormat();
            if (channel < 0 || channel >= f.getChannels()) {
                throw new IOException(wav + " has " + f.getChannels() + " channel(s), not a channel " + channel);
            }
            AudioFormat pcm = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, f.getSampleRate(), 16,
                    f.getChannels(), 2 * f.getChannels(), f.getSampleRate(), false);
            try (AudioInputStream converted = AudioSystem.getAudioInputStream(pcm, in)) {
                byte[] bytes = converted.readAllBytes();
                int frames = bytes.length / pcm.getFrameSize();
                float[] samples = new float[frames];
                for (int i = 0; i < frames; i++) {
                    int at = i * pcm.getFrameSize() + 2 * channel;
                    samples[i] = (short) ((bytes[at] & 0xff) | (bytes[at + 1] << 8)) / 32768f;
                }
                return new ToneCheck(samples, f.getSampleRate());
            }
        } catch (UnsupportedAudioFileException e) {
            throw new IOException("not a WAV file the JDK reads: " + wav, e);
        }
    }

    /** Returns the length in seconds. */
    public double seconds() {
        return samples.length / rate;
    }

    /** Returns the part from {@code from} to {@code to} seconds (within the file: clamped to its length). */
    public ToneCheck between(double from, double to) {
        int first = (int) Math.max(0, Math.min(samples.length, Math.round(from * rate)));
        int last = (int) Math.max(first, Math.min(samples.length, Math.round(to * rate)));
        return new ToneCheck(java.util.Arrays.copyOfRange(samples, first, last), rate);
    }

    /**
     * Returns the second at which {@code hertz} becomes {@linkplain #presence present} in at least 9 of 10 frames
     * on end (200 ms), or -1 if it never does.
     */
    public double onset(double hertz) {
        for (int frame = 0; (frame + 10) * 0.02 <= seconds(); frame++) {
            if (between(frame * 0.02, (frame + 10) * 0.02).presence(hertz) >= 0.9) {
                return frame * 0.02;
            }
        }
        return -1;
    }

    /** Returns the share (0 to 1) of 20 ms frames in which {@code hertz} holds more than half the energy. */
    public double share(double hertz) {
        return share(hertz, 0.5);
    }

    /**
     * Returns the share (0 to 1) of 20 ms frames in which {@code hertz} holds at least a fifth of the energy: a tone
     * mixed with another is present, noise or silence is not.
     */
    public double presence(double hertz) {
        return share(hertz, 0.2);
    }

    /**
     * Returns when {@code hertz} sets in, in seconds from the start of the file: the start of the first 200 ms from
     * {@code fromSeconds} on in which it is {@linkplain #presence present} in at least 8 of the 10 frames, so that a
     * stray frame does not count; {@code -1} if it never does.
     */
    public double onset(double hertz, double fromSeconds) {
        int frame = Math.round(rate * 0.02f);
        int frames = samples.length / frame;
        boolean[] present = new boolean[frames];
        for (int f = 0; f < frames; f++) {
            present[f] = dominates(hertz, 0.2, f * frame, frame);
        }
        for (int f = (int) Math.max(0, Math.round(fromSeconds / 0.02)); f + 10 <= frames; f++) {
            int count = 0;
            for (int i = f; i < f + 10; i++) {
                count += present[i] ? 1 : 0;
            }
            if (present[f] && count >= 8) {
                return f * 0.02;
            }
        }
        return -1;
    }

    /** Returns the share of 20 ms frames, not silent, in which {@code hertz} holds {@code part} of the energy. */
    private double share(double hertz, double part) {
        int frame = Math.round(rate * 0.02f);
        int frames = samples.length / frame;
        if (frames == 0) {
            return 0;
        }
        int dominated = 0;
        for (int f = 0; f < frames; f++) {
            if (dominates(hertz, part, f * frame, frame)) {
                dominated++;
            }
        }
        return (double) dominated / frames;
    }

    /**
     * Returns whether the {@code length} samples from {@code start}, not silent, hold {@code part} of their energy at
     * {@code hertz} (Goertzel).
     */
    private boolean dominates(double hertz, double part, int start, int length) {
        double coefficient = 2 * Math.cos(2 * Math.PI * hertz / rate);
        double s1 = 0;
        double s2 = 0;
        double energy = 0;
        for (int i = start; i < start + length; i++) {
            double s = samples[i] + coefficient * s1 - s2;
            s2 = s1;
            s1 = s;
            energy += samples[i] * samples[i];
        }
        double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
        // A pure tone gives power ≈ energy * length / 2; a tone holding `part` of the energy gives that much of it.
        boolean audible = energy / length > 1e-5;
        return audible && power > part * energy * length / 2;
    }
}
