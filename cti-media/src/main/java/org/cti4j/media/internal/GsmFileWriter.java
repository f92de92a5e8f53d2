package org.cti4j.media.internal;

import java.io.IOException;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a raw GSM 06.10 full-rate file: 33-byte frames of 160 samples, as sox and libgsm read {@code .gsm}. After a
 * failed write, {@link #abort()} cuts the file to its whole frames.
 */
public final class GsmFileWriter implements AudioFileWriter {

    private static final Logger log = LoggerFactory.getLogger(GsmFileWriter.class);

    private final FileOutput out;
    private final GsmEncoder encoder = new GsmEncoder();
    private final short[] frame = new short[GsmEncoder.FRAME_SAMPLES];
    private final byte[] encoded = new byte[GsmEncoder.FRAME_BYTES];
    private int fill;

    /** Starts a file in {@code out}, which must be empty. */
    public GsmFileWriter(FileOutput out) {
        this.out = out;
    }

    @Override
    public void write(short[] samples, int offset, int length) throws IOException {
        for (int i = 0; i < length; i++) {
            frame[fill++] = samples[offset + i];
            if (fill == frame.length) {
                writeFrame();
            }
        }
    }

    private void writeFrame() throws IOException {
        encoder.encode(frame, encoded);
        out.put(encoded, 0, encoded.length);
        fill = 0;
    }

    @Override
    public void finish() throws IOException {
        if (fill > 0) {
            Arrays.fill(frame, fill, frame.length, (short) 0);
            writeFrame();
        }
        out.close();
    }

    @Override
    public void abort() {
        try {
            out.truncate(out.written() / GsmEncoder.FRAME_BYTES * GsmEncoder.FRAME_BYTES);
        } catch (IOException | RuntimeException e) {
            log.debug("could not cut a failed recording to whole frames", e);
        } finally {
            out.abort();
        }
    }
}
