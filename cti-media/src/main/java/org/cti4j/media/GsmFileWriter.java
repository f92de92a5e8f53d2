package org.cti4j.media;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** Writes a raw GSM 06.10 full-rate file: 33-byte frames of 160 samples, as sox and libgsm read {@code .gsm}. */
final class GsmFileWriter implements AudioFileWriter {

    private final FileOutput out;
    private final GsmEncoder encoder = new GsmEncoder();
    private final short[] frame = new short[GsmEncoder.FRAME_SAMPLES];
    private final byte[] encoded = new byte[GsmEncoder.FRAME_BYTES];
    private int fill;

    GsmFileWriter(Path path) throws IOException {
        out = new FileOutput(path);
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
        try {
            if (fill > 0) {
                Arrays.fill(frame, fill, frame.length, (short) 0);
                writeFrame();
            }
        } finally {
            out.close();
        }
    }

    @Override
    public void abort() {
        out.abort();
    }
}
