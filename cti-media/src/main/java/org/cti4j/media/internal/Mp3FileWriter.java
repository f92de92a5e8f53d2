package org.cti4j.media.internal;

import de.sciss.jump3r.lowlevel.LameEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.sound.sampled.AudioFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an MP3 file (MPEG-2.5 layer III, 8 kHz mono, 16 kbit/s constant bit rate) with jump3r, a pure-Java port of
 * LAME (LGPL 2.1 or later, used unmodified as a separate library).
 *
 * <p>The file starts with an "Info" frame carrying a LAME tag (frame count, byte count, encoder delay and padding),
 * written when the file is finished, so that decoders that honour it (ffmpeg, most players) return exactly the
 * recorded samples instead of adding the encoder's delay and the last frame's padding (about 0.2 s at 8 kHz).
 * After a failed write, {@link #abort()} cuts the file to its whole frames and makes the tag count them.
 */
public final class Mp3FileWriter implements AudioFileWriter {

    private static final Logger log = LoggerFactory.getLogger(Mp3FileWriter.class);
    private static final int BIT_RATE_KBPS = 16;
    /** Bytes of one audio frame: 72 * 16000 / 8000 (no padding slot at this rate). */
    private static final int FRAME_BYTES = 144;
    /** Samples of one MPEG-2.5 layer III frame. */
    private static final int FRAME_SAMPLES = 576;
    /** LAME's encoder delay, in samples. */
    private static final int ENCODER_DELAY = 576;
    /** The Info frame: MPEG-2.5 layer III, 24 kbit/s (so that the tag fits), 8 kHz, mono: 216 bytes. */
    private static final int TAG_FRAME_BYTES = 216;
    private static final int SIDE_INFO_BYTES = 9;

    private final FileOutput out;
    private final LameEncoder encoder;
    private final byte[] pcm;
    private final byte[] mp3;
    private int pcmFill;
    private long samples;
    private boolean encoderClosed;

    private Mp3FileWriter(FileOutput out, LameEncoder encoder) throws IOException {
        this.encoder = encoder;
        this.pcm = new byte[encoder.getPCMBufferSize()];
        this.mp3 = new byte[Math.max(encoder.getMP3BufferSize(), 8192)];
        this.out = out;
        byte[] placeholder = infoFrame(0, 0, 0);
        out.put(placeholder, 0, placeholder.length);
    }

    /** Starts an MP3 file in {@code out}, which must be empty. Needs jump3r on the class path. */
    public static AudioFileWriter open(FileOutput out) throws IOException {
        LameEncoder encoder;
        try {
            AudioFormat source = new AudioFormat(8000f, 16, 1, true, false);
            encoder = new LameEncoder(source, BIT_RATE_KBPS, LameEncoder.CHANNEL_MODE_MONO,
                    LameEncoder.QUALITY_MIDDLE, false);
        } catch (LinkageError e) {
            throw new IOException(AudioFileWriter.MP3_UNAVAILABLE, e);
        }
        try {
            return new Mp3FileWriter(out, encoder);
        } catch (IOException e) {
            encoder.close();
            throw e;
        }
    }

    @Override
    public void write(short[] input, int offset, int length) throws IOException {
        samples += length;
        for (int i = 0; i < length; i++) {
            short s = input[offset + i];
            pcm[pcmFill++] = (byte) s;
            pcm[pcmFill++] = (byte) (s >> 8);
            if (pcmFill == pcm.length) {
                encodePending();
            }
        }
    }

    private void encodePending() throws IOException {
        int n = encoder.encodeBuffer(pcm, 0, pcmFill, mp3);
        if (n < 0) {
            throw new IOException("the MP3 encoder failed (" + n + ")");
        }
        out.put(mp3, 0, n);
        pcmFill = 0;
    }

    @Override
    public void finish() throws IOException {
        if (pcmFill > 0) {
            encodePending();
        }
        int n = encoder.encodeFinish(mp3);
        if (n > 0) {
            out.put(mp3, 0, n);
        }
        out.flush();
        long frames = (out.length() - TAG_FRAME_BYTES) / FRAME_BYTES;
        long padding = Math.max(0, frames * FRAME_SAMPLES - ENCODER_DELAY - samples);
        out.writeAt(ByteBuffer.wrap(infoFrame(frames, out.length(), padding)), 0);
        closeEncoder();
        out.close();
    }

    private void closeEncoder() {
        if (!encoderClosed) {
            encoderClosed = true;
            encoder.close();
        }
    }

    /** Builds the Info frame with its LAME tag (fields as the LAME tag specification lays them out). */
    private static byte[] infoFrame(long frames, long bytes, long padding) {
        ByteBuffer frame = ByteBuffer.allocate(TAG_FRAME_BYTES);
        frame.put((byte) 0xFF).put((byte) 0xE3).put((byte) 0x38).put((byte) 0xC4);
        frame.position(4 + SIDE_INFO_BYTES);
        frame.put("Info".getBytes(StandardCharsets.US_ASCII));
        frame.putInt(0x0F).putInt((int) frames).putInt((int) bytes);
        for (int i = 0; i < 100; i++) {
            frame.put((byte) (i * 256 / 100));
        }
        frame.putInt(50);
        frame.put("LAME3.98r".getBytes(StandardCharsets.US_ASCII));
        frame.put((byte) 0x01);
        frame.put((byte) 0);
        frame.putInt(0).putShort((short) 0).putShort((short) 0);
        frame.put((byte) 0);
        frame.put((byte) BIT_RATE_KBPS);
        int delays = (ENCODER_DELAY << 12) | (int) Math.min(padding, 4095);
        frame.put((byte) (delays >> 16)).put((byte) (delays >> 8)).put((byte) delays);
        frame.put((byte) 0).put((byte) 0).putShort((short) 0);
        frame.putInt((int) bytes);
        frame.putShort((short) 0);
        frame.putShort((short) crc16(frame.array(), frame.position()));
        return frame.array();
    }

    /** CRC-16/ARC (polynomial 0x8005, reflected), as the LAME tag uses. */
    private static int crc16(byte[] bytes, int length) {
        int crc = 0;
        for (int i = 0; i < length; i++) {
            crc ^= bytes[i] & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
            }
        }
        return crc;
    }

    @Override
    public void abort() {
        try {
            closeEncoder();
            long onDisk = out.written();
            if (onDisk < TAG_FRAME_BYTES) {
                out.truncate(0);
                return;
            }
            long frames = (onDisk - TAG_FRAME_BYTES) / FRAME_BYTES;
            long bytes = TAG_FRAME_BYTES + frames * FRAME_BYTES;
            out.truncate(bytes);
            out.writeAt(ByteBuffer.wrap(infoFrame(frames, bytes, 0)), 0);
        } catch (IOException | RuntimeException e) {
            log.debug("could not make the tag of a failed recording match its frames", e);
        } finally {
            out.abort();
        }
    }
}
