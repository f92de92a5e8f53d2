package org.cti4j.media.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Test audio: tones, noise, a Goertzel detector, and a minimal WAV writer written independently of the engine's. */
final class Audio {

    private Audio() {
    }

    /** Returns {@code seconds} of a sine at {@code frequency}, amplitude {@code amplitude}, at {@code rate}. */
    static short[] tone(double frequency, int rate, double seconds, double amplitude) {
        short[] samples = new short[(int) Math.round(rate * seconds)];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * frequency * i / rate));
        }
        return samples;
    }

    /** Returns white noise. */
    static short[] noise(int count, double amplitude, long seed) {
        Random random = new Random(seed);
        short[] samples = new short[count];
        for (int i = 0; i < count; i++) {
            samples[i] = (short) Math.round(amplitude * (random.nextDouble() * 2 - 1));
        }
        return samples;
    }

    /** Returns the power of {@code frequency} in a block, relative to the block's energy (1 for a pure tone). */
    static double relativePower(short[] samples, int from, int length, int rate, double frequency) {
        double w = 2 * Math.PI * frequency / rate;
        double coefficient = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        double energy = 0;
        for (int i = 0; i < length; i++) {
            double x = samples[from + i];
            energy += x * x;
            double s0 = x + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
        return energy == 0 ? 0 : power / (length / 2.0 * energy);
    }

    /** Returns the RMS level of a block. */
    static double rms(short[] samples, int from, int length) {
        double energy = 0;
        for (int i = 0; i < length; i++) {
            energy += (double) samples[from + i] * samples[from + i];
        }
        return Math.sqrt(energy / Math.max(1, length));
    }

    /**
     * Returns the fraction of 50 ms blocks (8 kHz) of {@code samples} in which {@code frequency} is present: loud
     * enough (RMS over 500) and carrying at least {@code minShare} of the block's power.
     */
    static double toneFraction(short[] samples, double frequency, double minShare) {
        int block = 400;
        int blocks = samples.length / block;
        int withTone = 0;
        for (int b = 0; b < blocks; b++) {
            if (rms(samples, b * block, block) > 500
                    && relativePower(samples, b * block, block, 8000, frequency) >= minShare) {
                withTone++;
            }
        }
        return blocks == 0 ? 0 : (double) withTone / blocks;
    }

    /** Writes a canonical PCM WAV file of 16-bit or 8-bit samples, interleaved over {@code channels}. */
    static Path writePcmWav(Path file, short[] interleaved, int rate, int channels, int bits) throws IOException {
        int bytesPerSample = bits / 8;
        int dataBytes = interleaved.length * bytesPerSample;
        ByteBuffer out = header(1, rate, channels, bits, bytesPerSample * channels, 16, dataBytes);
        for (short sample : interleaved) {
            if (bits == 8) {
                out.put((byte) ((sample >> 8) + 128));
            } else {
                out.putShort(sample);
            }
        }
        pad(out, dataBytes);
        Files.write(file, allBytes(out));
        return file;
    }

    /** Writes a WAV file of already encoded 8-bit G.711 codes (format 6 A-law, 7 µ-law). */
    static Path writeG711Wav(Path file, byte[] codes, int rate, int format) throws IOException {
        ByteBuffer out = header(format, rate, 1, 8, 1, 18, codes.length);
        out.put(codes);
        pad(out, codes.length);
        Files.write(file, allBytes(out));
        return file;
    }

    /** Returns the whole content of {@code out}, from its start to its capacity. */
    private static byte[] allBytes(ByteBuffer out) {
        byte[] bytes = new byte[out.capacity()];
        out.clear().get(bytes);
        return bytes;
    }

    private static ByteBuffer header(int format, int rate, int channels, int bits, int blockAlign, int fmtSize,
            int dataBytes) {
        ByteBuffer out = ByteBuffer.allocate(20 + fmtSize + 8 + dataBytes + (dataBytes & 1))
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(out.capacity() - 8);
        out.put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(fmtSize);
        out.putShort((short) format).putShort((short) channels).putInt(rate).putInt(rate * blockAlign)
                .putShort((short) blockAlign).putShort((short) bits);
        if (fmtSize == 18) {
            out.putShort((short) 0);
        }
        out.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(dataBytes);
        return out;
    }

    private static void pad(ByteBuffer out, int dataBytes) {
        if ((dataBytes & 1) != 0) {
            out.put((byte) 0);
        }
    }

    /** Reads a 16-bit mono PCM WAV file's samples (the canonical 44-byte header layout or any chunk order). */
    static short[] readPcm16(Path file) throws IOException {
        try (WavReader reader = WavReader.open(file)) {
            short[] samples = new short[(int) reader.frames()];
            int n = 0;
            while (n < samples.length) {
                int read = reader.read(samples, n, samples.length - n);
                if (read < 0) {
                    break;
                }
                n += read;
            }
            return samples;
        }
    }
}
