package org.cti4j.media;

import java.io.IOException;
import java.nio.file.Path;
import org.cti4j.api.RecordFormat;

/**
 * Writes 8 kHz mono 16-bit audio to a file in one {@link RecordFormat}, as it comes, in bounded memory. Used by one
 * thread at a time (the recording's lock guards it).
 */
interface AudioFileWriter {

    /** Encodes and appends samples. */
    void write(short[] samples, int offset, int length) throws IOException;

    /** Completes the file (last block, header sizes) and closes it. */
    void finish() throws IOException;

    /** Closes the file without completing it, after a failure. Never throws. */
    void abort();

    /**
     * Creates (or truncates) {@code path} and starts a file of the given format.
     *
     * @throws IOException if the file cannot be created, or the format's encoder is not available
     */
    static AudioFileWriter open(Path path, RecordFormat format) throws IOException {
        return switch (format) {
            case PCM_16BIT -> new WavFileWriter(path, WavFileWriter.Encoding.PCM_16);
            case PCM_8BIT -> new WavFileWriter(path, WavFileWriter.Encoding.PCM_8);
            case ALAW -> new WavFileWriter(path, WavFileWriter.Encoding.ALAW);
            case ULAW -> new WavFileWriter(path, WavFileWriter.Encoding.ULAW);
            case IMA_ADPCM -> new WavFileWriter(path, WavFileWriter.Encoding.IMA_ADPCM);
            case GSM -> new GsmFileWriter(path);
            case MP3 -> openMp3(path);
        };
    }

    private static AudioFileWriter openMp3(Path path) throws IOException {
        try {
            return Mp3FileWriter.open(path);
        } catch (LinkageError e) {
            throw new IOException("MP3 encoder not available", e);
        }
    }
}
