package org.cti4j.media.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file written through an 8 KiB little-endian buffer, with positional writes for headers patched at the end. It
 * counts the bytes the file really holds ({@link #written()}), so that a writer whose disk filled up can make its
 * header match them ({@link AudioFileWriter#abort()}).
 */
public final class FileOutput {

    /** Where the bytes go: a file channel; a test wraps one to make writes fail. */
    public interface Sink {
        /** Writes bytes at {@code position}, as {@link FileChannel#write(ByteBuffer, long)}; returns how many. */
        int write(ByteBuffer bytes, long position) throws IOException;

        /** Cuts the file to {@code size} bytes, as {@link FileChannel#truncate(long)}. */
        void truncate(long size) throws IOException;

        /** Closes the file. */
        void close() throws IOException;

        /** Returns a sink writing to {@code channel}. */
        static Sink of(FileChannel channel) {
            return new Sink() {
                @Override
                public int write(ByteBuffer bytes, long position) throws IOException {
                    return channel.write(bytes, position);
                }

                @Override
                public void truncate(long size) throws IOException {
                    channel.truncate(size);
                }

                @Override
                public void close() throws IOException {
                    channel.close();
                }
            };
        }
    }

    private static final Logger log = LoggerFactory.getLogger(FileOutput.class);

    private final Sink sink;
    private final ByteBuffer buffer = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
    private long written;

    /** Writes to {@code sink}, from its first byte: an opened, empty (created or truncated) file. */
    public FileOutput(Sink sink) {
        this.sink = sink;
    }

    /** Returns the buffer to append to, with room for at least {@code bytes} more. */
    public ByteBuffer room(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            flush();
        }
        return buffer;
    }

    /** Appends bytes. */
    public void put(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            int n = Math.min(length, room(1).remaining());
            buffer.put(bytes, offset, n);
            offset += n;
            length -= n;
        }
    }

    /** Returns the number of bytes appended so far, buffered ones included. */
    public long length() {
        return written + buffer.position();
    }

    /** Returns the number of bytes appended and written to the file: what it holds after a failed write. */
    public long written() {
        return written;
    }

    /**
     * Writes what is buffered. After a failure the buffer is dropped: a full disk does not take the rest, and
     * {@link #written()} tells how much it took.
     */
    public void flush() throws IOException {
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                written += sink.write(buffer, written);
            }
        } finally {
            buffer.clear();
        }
    }

    /** Writes {@code bytes} (from its position to its limit) at {@code position}, bypassing the buffer. */
    public void writeAt(ByteBuffer bytes, long position) throws IOException {
        long at = position;
        while (bytes.hasRemaining()) {
            at += sink.write(bytes, at);
        }
    }

    /** Cuts the file to {@code size} bytes (never more than {@link #written()}), dropping what is buffered. */
    public void truncate(long size) throws IOException {
        buffer.clear();
        written = Math.min(written, size);
        sink.truncate(written);
    }

    /** Flushes and closes. */
    public void close() throws IOException {
        try {
            flush();
        } finally {
            sink.close();
        }
    }

    /** Closes without flushing; never throws. */
    public void abort() {
        try {
            sink.close();
        } catch (IOException e) {
            log.debug("closing a recording file failed", e);
        }
    }
}
