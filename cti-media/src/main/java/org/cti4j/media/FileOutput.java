package org.cti4j.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A file written through an 8 KiB little-endian buffer, with positional writes for headers patched at the end. */
final class FileOutput {

    private static final Logger log = LoggerFactory.getLogger(FileOutput.class);

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
    private long written;

    /** Creates or truncates the file. */
    FileOutput(Path path) throws IOException {
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Returns the buffer to append to, with room for at least {@code bytes} more. */
    ByteBuffer room(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            flush();
        }
        return buffer;
    }

    /** Appends bytes. */
    void put(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            int n = Math.min(length, room(1).remaining());
            buffer.put(bytes, offset, n);
            offset += n;
            length -= n;
        }
    }

    /** Returns the number of bytes appended so far, buffered ones included. */
    long length() {
        return written + buffer.position();
    }

    /** Writes what is buffered. */
    void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            written += channel.write(buffer, written);
        }
        buffer.clear();
    }

    /** Writes {@code bytes} (from its position to its limit) at {@code position}, bypassing the buffer. */
    void writeAt(ByteBuffer bytes, long position) throws IOException {
        long at = position;
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
    }

    /** Flushes and closes. */
    void close() throws IOException {
        try {
            flush();
        } finally {
            channel.close();
        }
    }

    /** Closes without flushing; never throws. */
    void abort() {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing a recording file failed", e);
        }
    }
}
