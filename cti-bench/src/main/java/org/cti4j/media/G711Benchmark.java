package org.cti4j.media;

import java.util.concurrent.TimeUnit;
import org.cti4j.media.internal.Codec;
import org.cti4j.media.internal.G711;
import org.cti4j.media.internal.WorkerBuffers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * G.711 encoding and decoding of one 20 ms frame (160 samples at 8 kHz), as a session does once per tick for what it
 * sends and once per packet for what it receives.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class G711Benchmark {

    /** The law: {@code PCMU} (µ-law) or {@code PCMA} (A-law). A string, as {@link Codec} is package-private. */
    @Param({"PCMU", "PCMA"})
    public String law;

    private Codec codec;
    private final short[] pcm = BenchSignals.speechLike(8000, WorkerBuffers.FRAME, 1);
    private final byte[] encoded = new byte[WorkerBuffers.FRAME];
    private final short[] decoded = new short[WorkerBuffers.FRAME];

    /** Picks the codec and encodes the test frame, so that decoding starts from real codes. */
    @Setup
    public void setUp() {
        codec = Codec.valueOf(law);
        G711.encode(codec, pcm, 0, encoded, 0, WorkerBuffers.FRAME);
    }

    /** Encodes one frame of 16-bit samples into 160 code bytes. */
    @Benchmark
    public byte[] encodeFrame() {
        G711.encode(codec, pcm, 0, encoded, 0, WorkerBuffers.FRAME);
        return encoded;
    }

    /** Decodes one 160-byte payload into 16-bit samples. */
    @Benchmark
    public short[] decodeFrame() {
        G711.decode(codec, encoded, 0, decoded, 0, WorkerBuffers.FRAME);
        return decoded;
    }
}
