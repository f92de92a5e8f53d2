package org.cti4j.media.internal;

import java.io.IOException;
import org.cti4j.api.RecordFormat;

/**
 * Writes 8 kHz 16-bit audio, mono or (in the formats that {@link RecordFormat#allowsStereo() allow it}) stereo
 * interleaved, to a file in one {@link RecordFormat}, as it comes, in bounded memory. Used by one
 * thread at a time (the recording's lock guards it).
 */
public interface AudioFileWriter {

    /** Why an MP3 recording cannot be made: jump3r, an optional dependency, is not on the class path. */
    public String MP3_UNAVAILABLE = "MP3 encoder not available: add the jump3r dependency (de.sciss:jump3r)";

    /** Encodes and appends samples. */
    public void write(short[] samples, int offset, int length) throws IOException;

    /** Completes the file (last block, header sizes) and closes it. If it throws, the caller calls {@link #abort()}. */
    public void finish() throws IOException;

    /**
     * Closes the file without completing it, after a failure, first making its header agree with the bytes it really
     * holds (a disk that filled up took only part of them): the file stays readable up to its last whole sample or
     * frame. Never throws.
     */
    public void abort();

    /**
     * Starts a mono file of the given format in {@code out}, which must be empty.
     *
     * @throws IOException if the first bytes cannot be written, or the format's encoder is not available
     */
    public static AudioFileWriter open(FileOutput out, RecordFormat format) throws IOException {
        return open(out, format, false);
    }

    /**
     * Starts a file of the given format in {@code out}, which must be empty: stereo, taking interleaved samples (left,
     * right), if {@code stereo}.
     *
     * @throws IOException if the first bytes cannot be written, or the format's encoder is not available
     * @throws IllegalArgumentException if stereo is asked of a format that does not allow it
     */
    public static AudioFileWriter open(FileOutput out, RecordFormat format, boolean stereo) throws IOException {
        if (stereo) {
            if (!format.allowsStereo()) {
                throw new IllegalArgumentException(format + " cannot be recorded in stereo");
            }
            return new WavFileWriter(out, encoding(format), 2);
        }
        return switch (format) {
            case PCM_16BIT, PCM_8BIT, ALAW, ULAW, IMA_ADPCM -> new WavFileWriter(out, encoding(format), 1);
            case GSM -> new GsmFileWriter(out);
            case MP3 -> openMp3(out);
        };
    }

    /** Returns the WAV encoding of {@code format}, one of the WAV formats. */
    private static WavFileWriter.Encoding encoding(RecordFormat format) {
        return switch (format) {
            case PCM_8BIT -> WavFileWriter.Encoding.PCM_8;
            case ALAW -> WavFileWriter.Encoding.ALAW;
            case ULAW -> WavFileWriter.Encoding.ULAW;
            case IMA_ADPCM -> WavFileWriter.Encoding.IMA_ADPCM;
            case PCM_16BIT -> WavFileWriter.Encoding.PCM_16;
            case GSM, MP3 -> throw new IllegalArgumentException(format + " is not a WAV format");
        };
    }

    private static AudioFileWriter openMp3(FileOutput out) throws IOException {
        try {
            return Mp3FileWriter.open(out);
        } catch (LinkageError e) {
            throw new IOException(MP3_UNAVAILABLE, e);
        }
    }

    /**
     * Returns whether files of {@code format} can be written with the classes {@code loader} sees: every format but
     * MP3 always; MP3 when jump3r's encoder can be loaded.
     */
    public static boolean canWrite(RecordFormat format, ClassLoader loader) {
        if (format != RecordFormat.MP3) {
            return true;
        }
        try {
            Class.forName("de.sciss.jump3r.lowlevel.LameEncoder", false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
