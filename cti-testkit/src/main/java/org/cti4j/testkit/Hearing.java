package org.cti4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntPredicate;

/**
 * What a phone heard on one call, read as it grows from the call's two-channel recording (8 kHz 16-bit PCM WAV, the
 * left channel what the phone received), and judged in 20 ms frames: silent, or dominated by a tone (Goertzel power
 * at the tone against the frame's whole energy). A cursor marks where the previous assertion's match ended: the next
 * one looks after it. Used by one test thread at a time.
 */
final class Hearing {

    /** Samples per second. */
    static final int RATE = 8000;
    /** Samples per 20 ms frame. */
    static final int FRAME = 160;
    private static final int HEADER = 44;
    private static final int BYTES_PER_PAIR = 4;
    /** Mean square (of samples scaled to ±1) under which a frame is silence: about -50 dBFS. */
    private static final double SILENT = 1e-5;
    /** The share of a frame's energy a tone must hold for the frame to be that tone. */
    private static final double DOMINANT = 0.5;
    /** The share of a frame's energy a tone must hold to be present in it, mixed with others. */
    private static final double PRESENT = 0.2;

    private final Path file;
    private short[] samples = new short[RATE * 10];
    private int length;
    private long bytesRead;
    private int cursor;

    Hearing(Path file) {
        this.file = file;
    }

    /** Reads what the recording gained since the last call (whole sample pairs only). */
    void refresh() {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long available = channel.size() - HEADER - bytesRead;
            int pairs = (int) Math.max(0, available / BYTES_PER_PAIR);
            if (pairs == 0) {
                return;
            }
            ByteBuffer bytes = ByteBuffer.allocate(pairs * BYTES_PER_PAIR).order(ByteOrder.LITTLE_ENDIAN);
            while (bytes.hasRemaining() && channel.read(bytes, HEADER + bytesRead + bytes.position()) > 0) {
                // reads until the buffer is full
            }
            bytes.flip();
            int whole = bytes.remaining() / BYTES_PER_PAIR;
            if (length + whole > samples.length) {
                samples = Arrays.copyOf(samples, Math.max(samples.length * 2, length + whole));
            }
            for (int i = 0; i < whole; i++) {
                samples[length++] = bytes.getShort();
                bytes.getShort(); // the right channel: what the phone said
            }
            bytesRead += (long) whole * BYTES_PER_PAIR;
        } catch (NoSuchFileException e) {
            // not made yet: nothing heard
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read what the phone heard from " + file, e);
        }
    }

    /** Returns the seconds heard so far. */
    double seconds() {
        return (double) length / RATE;
    }

    /** Returns a copy of every sample heard so far (8 kHz, 16-bit). */
    short[] samples() {
        return Arrays.copyOf(samples, length);
    }

    /**
     * Finds, after the cursor, {@code frames} frames on end in which {@code hertz} dominates (or, for a negative
     * {@code hertz}, that are silent); on success moves the cursor past them and returns true.
     */
    boolean find(double hertz, int frames) {
        return find(frames, at -> hertz < 0 ? isSilent(at, FRAME) : share(hertz, at, FRAME, DOMINANT));
    }

    /**
     * Finds, after the cursor, {@code frames} frames on end in which every one of {@code hertz} is present (holds a
     * fifth of the energy or more: tones mixed together, as in a conference); on success moves the cursor past them.
     */
    boolean findTogether(double[] hertz, int frames) {
        return find(frames, at -> {
            for (double h : hertz) {
                if (!share(h, at, FRAME, PRESENT)) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Returns the number of frames, of all heard so far, in which {@code hertz} is present. */
    int framesWith(double hertz) {
        int count = 0;
        for (int at = 0; at + FRAME <= length; at += FRAME) {
            if (share(hertz, at, FRAME, PRESENT)) {
                count++;
            }
        }
        return count;
    }

    private boolean find(int frames, IntPredicate matches) {
        int run = 0;
        for (int at = cursor; at + FRAME <= length; at += FRAME) {
            boolean match = matches.test(at);
            run = match ? run + 1 : 0;
            if (run >= frames) {
                cursor = at + FRAME;
                return true;
            }
        }
        return false;
    }

    /** Returns the cursor, in seconds from the start of the call. */
    double cursorSeconds() {
        return (double) cursor / RATE;
    }

    /**
     * Describes what was heard after the cursor in 100 ms blocks merged into spans: {@code 0.00-1.20 s silence;
     * 1.20-3.40 s 440 Hz; 3.40-3.60 s sound (no single tone)}. At most {@code maxSpans} spans.
     */
    String describe(int maxSpans) {
        int block = RATE / 10;
        StringBuilder out = new StringBuilder();
        String label = null;
        int spanStart = cursor;
        int spans = 0;
        int at = cursor;
        for (; at + block <= length; at += block) {
            String next = classify(at, block);
            if (!next.equals(label)) {
                if (label != null) {
                    spans = append(out, spanStart, at, label, spans);
                    if (spans == maxSpans) {
                        return out.append("; ...").toString();
                    }
                }
                label = next;
                spanStart = at;
            }
        }
        if (label != null) {
            append(out, spanStart, at, label, spans);
        }
        return out.length() == 0 ? "nothing (" + String.format(Locale.ROOT, "%.2f", seconds()) + " s in all)"
                : out.toString();
    }

    private static int append(StringBuilder out, int from, int to, String label, int spans) {
        if (spans > 0) {
            out.append("; ");
        }
        out.append(String.format(Locale.ROOT, "%.2f-%.2f s %s", (double) from / RATE, (double) to / RATE, label));
        return spans + 1;
    }

    /** Names a block: {@code silence}, the dominant tone to 10 Hz ({@code 440 Hz}), or {@code sound}. */
    private String classify(int at, int count) {
        if (isSilent(at, count)) {
            return "silence";
        }
        double best = 0;
        double bestPower = 0;
        for (double hertz = 100; hertz <= 3900; hertz += 10) {
            double power = power(hertz, at, count);
            if (power > bestPower) {
                bestPower = power;
                best = hertz;
            }
        }
        return bestPower > DOMINANT * energy(at, count) * count / 2 ? Math.round(best) + " Hz" : "sound (no single tone)";
    }

    private boolean isSilent(int at, int count) {
        return energy(at, count) / count < SILENT;
    }

    /** Returns whether {@code hertz} holds at least {@code part} of the energy of a frame that is not silent. */
    private boolean share(double hertz, int at, int count, double part) {
        double energy = energy(at, count);
        // A pure tone gives power ≈ energy * count / 2; a tone holding a share of the energy gives that much of it.
        return energy / count >= SILENT && power(hertz, at, count) > part * energy * count / 2;
    }

    private double energy(int at, int count) {
        double energy = 0;
        for (int i = at; i < at + count; i++) {
            double s = samples[i] / 32768.0;
            energy += s * s;
        }
        return energy;
    }

    /** Goertzel power at {@code hertz}. */
    private double power(double hertz, int at, int count) {
        double coefficient = 2 * Math.cos(2 * Math.PI * hertz / RATE);
        double s1 = 0;
        double s2 = 0;
        for (int i = at; i < at + count; i++) {
            double s = samples[i] / 32768.0 + coefficient * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    }

    /** Deletes the recording (the call is over and its phone closed). */
    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }
}
