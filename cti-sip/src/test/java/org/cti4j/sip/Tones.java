package org.cti4j.sip;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes test tones as 8 kHz mono 16-bit WAV files. */
public final class Tones {

    private Tones() {
    }

    /** Writes {@code seconds} of a {@code hertz} sine, at a third of full scale, to {@code file}. */
    public static Path sine(Path file, double hertz, double seconds) throws IOException {
        int samples = (int) (8000 * seconds);
        ByteBuffer wav = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes(UTF_8)).putInt(36 + samples * 2).put("WAVE".getBytes(UTF_8))
                .put("fmt ".getBytes(UTF_8)).putInt(16).putShort((short) 1).putShort((short) 1).putInt(8000)
                .putInt(16000).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(UTF_8)).putInt(samples * 2);
        for (int i = 0; i < samples; i++) {
            wav.putShort((short) (Math.sin(2 * Math.PI * hertz * i / 8000) * 8000));
        }
        Files.write(file, wav.array());
        return file;
    }
}
