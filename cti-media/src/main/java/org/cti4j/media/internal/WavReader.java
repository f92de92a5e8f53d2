package org.cti4j.media.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a WAV file as a stream of mono 16-bit samples at the file's own rate: linear PCM of 8, 16, 24 or 32 bits,
 * 32-bit float, A-law (format 6) and µ-law (format 7), plain or {@code WAVE_FORMAT_EXTENSIBLE}; any number of
 * channels, averaged to one. Used on the I/O thread only.
 */
public final class WavReader implements Closeable {

    /** The file is not a WAV file the reader can decode; the message says why. */
    public static final class FormatException extends IOException {
        private static final long serialVersionUID = 1L;

        FormatException(String message) {
            super(message);
        }
    }

    private static final int PCM = 1;
    private static final int FLOAT = 3;
    private static final int ALAW = 6;
    private static final int ULAW = 7;
    private static final int EXTENSIBLE = 0xFFFE;

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(16384).order(ByteOrder.LITTLE_ENDIAN);
    private final int format;
    private final int channels;
    private final int sampleRate;
    private final int bytesPerSample;
    private final long dataStart;
    private final long dataLength;
    private long dataLeft;

    private WavReader(FileChannel channel, int format, int channels, int sampleRate, int bits, long dataStart,
            long dataLength) {
        this.channel = channel;
        this.format = format;
        this.channels = channels;
        this.sampleRate = sampleRate;
        this.bytesPerSample = bits / 8;
        this.dataStart = dataStart;
        this.dataLength = dataLength;
        this.dataLeft = dataLength;
        buffer.limit(0);
    }

    /**
     * Opens a WAV file and reads its header.
     *
     * @throws FormatException if it is not a WAV file or its format is not supported
     * @throws IOException if it cannot be read
     */
    public static WavReader open(Path path) throws IOException {
        return open(FileChannel.open(path, StandardOpenOption.READ));
    }

    /**
     * Reads the header of a WAV file opened already; the reader owns {@code channel} from then on, and closes it if
     * the header is not valid.
     *
     * @throws FormatException if it is not a WAV file or its format is not supported
     * @throws IOException if it cannot be read
     */
    public static WavReader open(FileChannel channel) throws IOException {
        try {
            return readHeader(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static WavReader readHeader(FileChannel channel) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        if (!readFully(channel, header) || header.getInt(0) != 0x46464952 || header.getInt(8) != 0x45564157) {
            throw new FormatException("not a WAV file");
        }
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        ByteBuffer chunk = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        long position = 12;
        while (true) {
            chunk.clear();
            channel.position(position);
            if (!readFully(channel, chunk)) {
                throw new FormatException("no data chunk");
            }
            int id = chunk.getInt(0);
            long size = chunk.getInt(4) & 0xFFFFFFFFL;
            long body = position + 8;
            if (id == 0x20746d66) {
                if (size < 16 || size > 1024) {
                    throw new FormatException("malformed fmt chunk");
                }
                ByteBuffer fmt = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
                if (!readFully(channel, fmt)) {
                    throw new FormatException("truncated fmt chunk");
                }
                format = fmt.getShort(0) & 0xFFFF;
                channels = fmt.getShort(2) & 0xFFFF;
                rate = fmt.getInt(4);
                bits = fmt.getShort(14) & 0xFFFF;
                if (format == EXTENSIBLE && size >= 26) {
                    format = fmt.getShort(24) & 0xFFFF;
                }
            } else if (id == 0x61746164) {
                if (format < 0) {
                    throw new FormatException("data chunk before the fmt chunk");
                }
                checkFormat(format, channels, rate, bits);
                long available = channel.size() - body;
                long length = size == 0 || size == 0xFFFFFFFFL || size > available ? available : size;
                channel.position(body);
                return new WavReader(channel, format, channels, rate, bits, body, length);
            }
            position = body + size + (size & 1);
        }
    }

    private static void checkFormat(int format, int channels, int rate, int bits) throws FormatException {
        boolean supported = switch (format) {
            case PCM -> bits == 8 || bits == 16 || bits == 24 || bits == 32;
            case FLOAT -> bits == 32;
            case ALAW, ULAW -> bits == 8;
            default -> false;
        };
        if (!supported) {
            throw new FormatException("unsupported WAV encoding (format " + format + ", " + bits + " bits)");
        }
        if (channels < 1 || channels > 16) {
            throw new FormatException("unsupported channel count " + channels);
        }
        if (rate < 1000 || rate > 384000) {
            throw new FormatException("unsupported sample rate " + rate);
        }
    }

    private static boolean readFully(FileChannel channel, ByteBuffer target) throws IOException {
        while (target.hasRemaining()) {
            if (channel.read(target) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Returns the file's sample rate. */
    public int sampleRate() {
        return sampleRate;
    }

    /** Returns the number of channels, before they are averaged. */
    public int channels() {
        return channels;
    }

    /** Returns the number of whole frames of the data chunk. */
    public long frames() {
        return dataLength / ((long) bytesPerSample * channels);
    }

    /**
     * Reads up to {@code max} frames as mono samples.
     *
     * @return the number of samples read, or {@code -1} at the end of the data
     */
    public int read(short[] mono, int offset, int max) throws IOException {
        int frameBytes = bytesPerSample * channels;
        int n = 0;
        while (n < max) {
            if (buffer.remaining() < frameBytes && !refill(frameBytes)) {
                break;
            }
            int sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += sample();
            }
            mono[offset + n++] = (short) (sum / channels);
        }
        return n == 0 && max > 0 ? -1 : n;
    }

    private int sample() {
        return switch (format) {
            case ALAW -> G711.alawToLinear(buffer.get());
            case ULAW -> G711.ulawToLinear(buffer.get());
            case FLOAT -> WorkerBuffers.saturate(Math.round(buffer.getFloat() * 32767f));
            default -> switch (bytesPerSample) {
                case 1 -> ((buffer.get() & 0xFF) - 128) << 8;
                case 2 -> buffer.getShort();
                case 3 -> {
                    buffer.get();
                    yield buffer.getShort();
                }
                default -> {
                    buffer.getShort();
                    yield buffer.getShort();
                }
            };
        };
    }

    private boolean refill(int frameBytes) throws IOException {
        buffer.compact();
        while (buffer.hasRemaining() && dataLeft > 0) {
            int room = (int) Math.min(buffer.remaining(), dataLeft);
            int limit = buffer.limit();
            buffer.limit(buffer.position() + room);
            int read = channel.read(buffer);
            buffer.limit(limit);
            if (read < 0) {
                dataLeft = 0;
                break;
            }
            dataLeft -= read;
            if (buffer.position() >= frameBytes) {
                break;
            }
        }
        buffer.flip();
        return buffer.remaining() >= frameBytes;
    }

    /** Starts over at the first sample. */
    public void rewind() throws IOException {
        channel.position(dataStart);
        dataLeft = dataLength;
        buffer.clear().limit(0);
    }

    /** Closes the file. Safe to call twice. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
