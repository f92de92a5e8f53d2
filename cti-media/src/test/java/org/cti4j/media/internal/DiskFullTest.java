package org.cti4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cti4j.api.RecordFormat;
import org.cti4j.core.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording whose disk fills up ends with the error, and its file stays readable: the header's sizes match the
 * bytes the file really holds, as the project's reader and sox read them. The full disk is a file whose writes fail
 * with "No space left on device" once it holds a given number of bytes (a real full disk needs root to make).
 */
class DiskFullTest {

    private static final String NO_SPACE = "No space left on device";

    @TempDir
    Path dir;

    /** A file that takes {@code capacity} bytes, part of the write that crosses it, and then fails as ENOSPC does. */
    static FileOutput.Sink filling(FileOutput.Sink file, long capacity) {
        return new FileOutput.Sink() {
            @Override
            public int write(ByteBuffer bytes, long position) throws IOException {
                long room = capacity - position;
                if (room <= 0) {
                    throw new IOException(NO_SPACE);
                }
                if (bytes.remaining() <= room) {
                    return file.write(bytes, position);
                }
                ByteBuffer part = bytes.duplicate();
                part.limit(part.position() + (int) room);
                int n = file.write(part, position);
                bytes.position(bytes.position() + n);
                return n;
            }

            @Override
            public void truncate(long size) throws IOException {
                file.truncate(size);
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        };
    }

    private FileOutput output(Path file, long capacity) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        return new FileOutput(filling(FileOutput.Sink.of(channel), capacity));
    }

    /** Writes a tone until the disk is full; returns the error and aborts, as a recording does. */
    private IOException writeUntilFull(AudioFileWriter writer) {
        short[] second = Audio.tone(440, 8000, 1.0, 12000);
        try {
            for (int i = 0; i < 60; i++) {
                writer.write(second, 0, second.length);
            }
            writer.finish();
        } catch (IOException e) {
            writer.abort();
            return e;
        }
        throw new AssertionError("the disk never filled up");
    }

    private static int intAt(ByteBuffer header, int offset) {
        return header.getInt(offset);
    }

    private static ByteBuffer read(Path file) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Returns the number of samples {@code sox --i} reads from the header. */
    private static long soxSamples(Path file) throws IOException, InterruptedException {
        String info = Tools.run("sox", "--i", file.toString());
        Matcher samples = Pattern.compile("=\\s*(\\d+)\\s+samples").matcher(info);
        assertThat(samples.find()).as("sox --i names the samples: %s", info).isTrue();
        return Long.parseLong(samples.group(1));
    }

    @Test
    void aPcmWavWhoseDiskFilledHasHeaderSizesMatchingItsData() throws Exception {
        Path file = dir.resolve("full.wav");
        // Odd, and not at a sample's edge: the last half sample must go.
        long capacity = 20_001;
        IOException error = writeUntilFull(new WavFileWriter(output(file, capacity),
                WavFileWriter.Encoding.PCM_16));
        assertThat(error).hasMessage(NO_SPACE);
        long size = Files.size(file);
        assertThat(size).isBetween(capacity - 2, capacity);
        ByteBuffer bytes = read(file);
        long dataBytes = intAt(bytes, 40) & 0xFFFFFFFFL;
        assertThat(dataBytes).isEqualTo(size - 44).isEven();
        assertThat(intAt(bytes, 4) & 0xFFFFFFFFL).as("RIFF size").isEqualTo(size - 8);
        try (WavReader reader = WavReader.open(file)) {
            assertThat(reader.frames()).isEqualTo(dataBytes / 2);
        }
        Tools.require("sox");
        assertThat(soxSamples(file)).isEqualTo(dataBytes / 2);
    }

    @Test
    void everyWavEncodingKeepsWholeSamplesOrBlocksAndSaysHowMany() throws Exception {
        Tools.require("sox");
        for (WavFileWriter.Encoding encoding : WavFileWriter.Encoding.values()) {
            Path file = dir.resolve("full-" + encoding + ".wav");
            IOException error = writeUntilFull(new WavFileWriter(output(file, 30_001), encoding));
            assertThat(error).hasMessage(NO_SPACE);
            ByteBuffer bytes = read(file);
            long size = Files.size(file);
            int dataAt = dataChunk(bytes);
            long dataBytes = intAt(bytes, dataAt + 4) & 0xFFFFFFFFL;
            assertThat(dataBytes).as(encoding + " data size").isEqualTo(size - dataAt - 8).isPositive();
            assertThat(intAt(bytes, 4) & 0xFFFFFFFFL).as(encoding + " RIFF size").isEqualTo(size - 8);
            long expectedSamples = encoding == WavFileWriter.Encoding.IMA_ADPCM
                    ? dataBytes / ImaAdpcmEncoder.BLOCK_BYTES * ImaAdpcmEncoder.SAMPLES_PER_BLOCK
                    : dataBytes * 8 / encoding.bits;
            if (encoding == WavFileWriter.Encoding.IMA_ADPCM) {
                assertThat(dataBytes % ImaAdpcmEncoder.BLOCK_BYTES).isZero();
            }
            assertThat(soxSamples(file)).as(encoding + " samples by sox").isEqualTo(expectedSamples);
        }
    }

    @Test
    void aStereoWavKeepsWholeSamplePairsAndCountsThemPerChannel() throws Exception {
        Tools.require("sox");
        for (WavFileWriter.Encoding encoding : WavFileWriter.Encoding.values()) {
            if (encoding == WavFileWriter.Encoding.IMA_ADPCM) {
                continue;
            }
            Path file = dir.resolve("full-stereo-" + encoding + ".wav");
            // Odd, and not at the edge of a pair of samples: the partial pair must go.
            IOException error = writeUntilFull(new WavFileWriter(output(file, 30_003), encoding, 2));
            assertThat(error).hasMessage(NO_SPACE);
            ByteBuffer bytes = read(file);
            long size = Files.size(file);
            int dataAt = dataChunk(bytes);
            long dataBytes = intAt(bytes, dataAt + 4) & 0xFFFFFFFFL;
            int pairBytes = 2 * encoding.bits / 8;
            assertThat(dataBytes).as(encoding + " data size").isEqualTo(size - dataAt - 8).isPositive();
            assertThat(dataBytes % pairBytes).as(encoding + " whole pairs").isZero();
            assertThat(bytes.getShort(22)).as(encoding + " channels").isEqualTo((short) 2);
            assertThat(bytes.getShort(32)).as(encoding + " block align").isEqualTo((short) pairBytes);
            if (dataAt > 36) {
                assertThat(intAt(bytes, dataAt - 4)).as(encoding + " fact: samples per channel")
                        .isEqualTo((int) (dataBytes / pairBytes));
            }
            assertThat(soxSamples(file)).as(encoding + " samples per channel by sox").isEqualTo(dataBytes / pairBytes);
        }
    }

    /** Returns the offset of the {@code data} chunk's header. */
    private static int dataChunk(ByteBuffer bytes) {
        int at = 12;
        while (intAt(bytes, at) != 0x61746164) {
            at += 8 + intAt(bytes, at + 4);
        }
        return at;
    }

    @Test
    void aGsmFileWhoseDiskFilledKeepsWholeFrames() throws Exception {
        Path file = dir.resolve("full.gsm");
        IOException error = writeUntilFull(new GsmFileWriter(output(file, 10_000)));
        assertThat(error).hasMessage(NO_SPACE);
        long size = Files.size(file);
        assertThat(size % 33).isZero();
        assertThat(size).isGreaterThan(9_900);
        Tools.require("sox");
        // A raw GSM file has no header: sox decodes every whole frame.
        assertThat(Tools.soxDecode(file, dir)).hasSize((int) (size / 33 * 160));
    }

    @Test
    void anMp3WhoseDiskFilledKeepsWholeFramesCountedByItsInfoTag() throws Exception {
        Path file = dir.resolve("full.mp3");
        IOException error = writeUntilFull(Mp3FileWriter.open(output(file, 40_000)));
        assertThat(error).hasMessage(NO_SPACE);
        long size = Files.size(file);
        // The Info frame (216 bytes), then 144-byte audio frames: 16 kbit/s at 8 kHz.
        assertThat((size - 216) % 144).isZero();
        long frames = (size - 216) / 144;
        assertThat(frames).isGreaterThan(200);
        ByteBuffer tag = ByteBuffer.wrap(Files.readAllBytes(file));
        assertThat(new String(tag.array(), 13, 4, StandardCharsets.US_ASCII)).isEqualTo("Info");
        assertThat(tag.getInt(21)).as("frames in the Info tag").isEqualTo(frames);
        assertThat(tag.getInt(25)).as("bytes in the Info tag").isEqualTo(size);
        Tools.require("ffprobe");
        String probe = Tools.run("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                "default=noprint_wrappers=1:nokey=1", file.toString());
        // The frames less the encoder's delay of 576 samples.
        assertThat(Double.parseDouble(probe.trim())).isCloseTo((frames * 576 - 576) / 8000.0, within(0.1));
    }

    @Test
    void aRecordingWhoseDiskFillsUpEndsWithTheErrorAndLeavesAReadableFile() throws Exception {
        Path file = dir.resolve("recording.wav");
        Fixture.Completion done = new Fixture.Completion();
        MediaIo io = new MediaIo("test-io");
        try {
            Recording recording = new Recording(file.toString(), true, RecordFormat.PCM_16BIT, done, io,
                    sink -> filling(sink, 12_345)).start();
            short[] frame = Audio.tone(1000, 8000, 0.02, 12000);
            long deadline = System.nanoTime() + Fixture.DEADLINE.toNanos();
            while (!done.done() && System.nanoTime() < deadline) {
                recording.push(frame, 0, frame.length);
                Thread.sleep(5); // paces the frames as a media worker does, every 20 ms a frame
            }
            Await.until("the recording to fail", Fixture.DEADLINE, done::done);
        } finally {
            io.close();
        }
        assertThat(done.error()).isEqualTo("cannot record " + file + ": " + NO_SPACE);
        assertThat(done.calls()).isEqualTo(1);
        long size = Files.size(file);
        try (WavReader reader = WavReader.open(file)) {
            assertThat(reader.frames()).isEqualTo((size - 44) / 2).isPositive();
        }
        assertThat(intAt(read(file), 40) & 0xFFFFFFFFL).isEqualTo(size - 44);
    }

    @Test
    void aWriteThatFailsBeforeTheHeaderIsWholeLeavesAnEmptyFile() throws IOException {
        Path file = dir.resolve("tiny.wav");
        IOException error = writeUntilFull(new WavFileWriter(output(file, 20), WavFileWriter.Encoding.ALAW));
        assertThat(error).hasMessage(NO_SPACE);
        assertThat(Files.size(file)).isZero();
        assertThatThrownBy(() -> WavReader.open(file)).isInstanceOf(WavReader.FormatException.class);
    }
}
