package org.cti4j.examples;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the demo's sounds: 8 kHz mono 16-bit WAV files made of tones. */
final class Sounds {

    private Sounds() {
    }

    /** Writes {@code seconds} of a {@code hertz} tone. */
    static Path tone(Path file, double hertz, double seconds) throws IOException {
        return write(file, new double[][] {{hertz, seconds}});
    }

    /** Writes a chime (800 Hz, a pause, 1000 Hz, a pause): the demo's "please wait" ring file. */
    static Path chime(Path file) throws IOException {
        return write(file, new double[][] {{800, 0.4}, {0, 0.2}, {1000, 0.4}, {0, 1.0}});
    }

    /** Writes a sequence of {hertz, seconds} parts; 0 Hz is silence. */
    private static Path write(Path file, double[][] parts) throws IOException {
        int samples = 0;
        for (double[] part : parts) {
            samples += (int) (8000 * part[1]);
        }
        ByteBuffer wav = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + samples * 2).put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1).putInt(8000)
                .putInt(16000).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(samples * 2);
        for (double[] part : parts) {
            for (int i = 0; i < (int) (8000 * part[1]); i++) {
                wav.putShort((short) (Math.sin(2 * Math.PI * part[0] * i / 8000) * 9000));
            }
        }
        Files.write(file, wav.array());
        return file;
    }
}
