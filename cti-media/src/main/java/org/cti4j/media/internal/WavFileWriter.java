package org.cti4j.media.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a RIFF WAVE file, 8 kHz mono: linear PCM 16-bit or 8-bit (unsigned), A-law (format 6), µ-law (format 7) or
 * IMA ADPCM (format 0x11, 256-byte blocks of 505 samples); or stereo in every encoding but IMA ADPCM, from
 * interleaved samples (left, right, left, ...) written interleaved. Non-PCM formats carry a {@code fact} chunk with
 * the number of samples (per channel). The sizes in the header are written when the file is finished, or, after a failed write (a full
 * disk), by {@link #abort()} to match the whole samples (or blocks) the file really holds.
 */
public final class WavFileWriter implements AudioFileWriter {

    /** The sample encodings of the data chunk. */
    public enum Encoding {
        /** Linear PCM, 16-bit little-endian. */
        PCM_16(1, 16),
        /** Linear PCM, 8-bit unsigned. */
        PCM_8(1, 8),
        /** G.711 A-law. */
        ALAW(6, 8),
        /** G.711 µ-law. */
        ULAW(7, 8),
        /** IMA (DVI) ADPCM, 4 bits per sample. */
        IMA_ADPCM(0x11, 4);

        final int tag;
        final int bits;

        Encoding(int tag, int bits) {
            this.tag = tag;
            this.bits = bits;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(WavFileWriter.class);
    private static final int RATE = 8000;

    private final Encoding encoding;
    private final int channels;
    private final FileOutput out;
    private final int headerLength;
    private long samples;
    private final ImaAdpcmEncoder ima;
    private final short[] block;
    private final byte[] encodedBlock;
    private int blockFill;

    /** Starts a mono file in {@code out}, which must be empty. */
    public WavFileWriter(FileOutput out, Encoding encoding) throws IOException {
        this(out, encoding, 1);
    }

    /**
     * Starts a file of one or two channels in {@code out}, which must be empty; two take interleaved samples.
     *
     * @throws IllegalArgumentException if {@code channels} is not 1 or 2, or is 2 for IMA ADPCM
     */
    public WavFileWriter(FileOutput out, Encoding encoding, int channels) throws IOException {
        if (channels != 1 && (channels != 2 || encoding == Encoding.IMA_ADPCM)) {
            throw new IllegalArgumentException(channels + " channels of " + encoding + " cannot be written");
        }
        this.encoding = encoding;
        this.channels = channels;
        this.ima = encoding == Encoding.IMA_ADPCM ? new ImaAdpcmEncoder() : null;
        this.block = ima != null ? new short[ImaAdpcmEncoder.SAMPLES_PER_BLOCK] : null;
        this.encodedBlock = ima != null ? new byte[ImaAdpcmEncoder.BLOCK_BYTES] : null;
        this.out = out;
        ByteBuffer header = header(0, 0);
        headerLength = header.remaining();
        out.put(header.array(), header.arrayOffset(), headerLength);
    }

    /** Encodes and appends samples; in stereo, whole interleaved pairs (an even {@code length}). */
    @Override
    public void write(short[] pcm, int offset, int length) throws IOException {
        samples += length / channels;
        switch (encoding) {
            case PCM_16 -> {
                for (int i = 0; i < length; i++) {
                    out.room(2).putShort(pcm[offset + i]);
                }
            }
            case PCM_8 -> {
                for (int i = 0; i < length; i++) {
                    out.room(1).put((byte) ((pcm[offset + i] >> 8) + 128));
                }
            }
            case ALAW -> {
                for (int i = 0; i < length; i++) {
                    out.room(1).put(G711.linearToAlaw(pcm[offset + i]));
                }
            }
            case ULAW -> {
                for (int i = 0; i < length; i++) {
                    out.room(1).put(G711.linearToUlaw(pcm[offset + i]));
                }
            }
            case IMA_ADPCM -> {
                for (int i = 0; i < length; i++) {
                    block[blockFill++] = pcm[offset + i];
                    if (blockFill == block.length) {
                        writeBlock();
                    }
                }
            }
        }
    }

    private void writeBlock() throws IOException {
        ima.encodeBlock(block, encodedBlock);
        out.put(encodedBlock, 0, encodedBlock.length);
        blockFill = 0;
    }

    @Override
    public void finish() throws IOException {
        if (ima != null && blockFill > 0) {
            Arrays.fill(block, blockFill, block.length, (short) 0);
            writeBlock();
        }
        long dataBytes = out.length() - headerLength;
        if ((dataBytes & 1) != 0) {
            out.room(1).put((byte) 0);
        }
        out.flush();
        out.writeAt(header(dataBytes, samples), 0);
        out.close();
    }

    /**
     * Makes the header match what the file holds, then closes it: the data is cut to whole samples (IMA ADPCM: whole
     * blocks) and to an even length, so that no pad byte is needed (a full disk would not take one). Overwriting the
     * header and cutting the file need no new space. A file that did not get its whole header is left empty.
     */
    @Override
    public void abort() {
        try {
            long onDisk = out.written();
            if (onDisk < headerLength) {
                out.truncate(0);
                return;
            }
            long unit = ima != null ? ImaAdpcmEncoder.BLOCK_BYTES : (long) channels * encoding.bits / 8;
            long dataBytes = (onDisk - headerLength) / unit * unit & ~1L;
            out.truncate(headerLength + dataBytes);
            long sampleCount = ima != null ? dataBytes / ImaAdpcmEncoder.BLOCK_BYTES * ImaAdpcmEncoder.SAMPLES_PER_BLOCK
                    : dataBytes / unit;
            out.writeAt(header(dataBytes, sampleCount), 0);
        } catch (IOException | RuntimeException e) {
            log.debug("could not make the header of a failed recording match its data", e);
        } finally {
            out.abort();
        }
    }

    private ByteBuffer header(long dataBytes, long sampleCount) {
        boolean pcm = encoding.tag == 1;
        int fmtSize = pcm ? 16 : encoding == Encoding.IMA_ADPCM ? 20 : 18;
        int length = 12 + 8 + fmtSize + (pcm ? 0 : 12) + 8;
        ByteBuffer header = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        long riffSize = length - 8 + dataBytes + (dataBytes & 1);
        header.putInt(0x46464952).putInt((int) riffSize).putInt(0x45564157);
        header.putInt(0x20746d66).putInt(fmtSize);
        int blockAlign;
        int byteRate;
        if (encoding == Encoding.IMA_ADPCM) {
            blockAlign = ImaAdpcmEncoder.BLOCK_BYTES;
            byteRate = RATE * blockAlign / ImaAdpcmEncoder.SAMPLES_PER_BLOCK;
        } else {
            blockAlign = channels * encoding.bits / 8;
            byteRate = RATE * blockAlign;
        }
        header.putShort((short) encoding.tag).putShort((short) channels).putInt(RATE).putInt(byteRate)
                .putShort((short) blockAlign).putShort((short) encoding.bits);
        if (encoding == Encoding.IMA_ADPCM) {
            header.putShort((short) 2).putShort((short) ImaAdpcmEncoder.SAMPLES_PER_BLOCK);
        } else if (!pcm) {
            header.putShort((short) 0);
        }
        if (!pcm) {
            header.putInt(0x74636166).putInt(4).putInt((int) sampleCount);
        }
        header.putInt(0x61746164).putInt((int) dataBytes);
        return header.flip();
    }
}
