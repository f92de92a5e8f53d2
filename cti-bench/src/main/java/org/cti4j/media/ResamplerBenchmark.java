package org.cti4j.media;

import java.util.concurrent.TimeUnit;
import org.cti4j.media.internal.FilePlayback;
import org.cti4j.media.internal.Resampler;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Resampling a played file to the 8 kHz of the wire: one operation pushes 20 ms of input (882 samples at 44.1 kHz,
 * 320 at 16 kHz) and pulls the 160 output samples of one frame, as {@code FilePlayback} does on the I/O thread. The
 * resampler runs in its steady state: its buffer has reached its working size, and every pull yields a full frame.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ResamplerBenchmark {

    /** The input rate in Hz; the output rate is 8000. */
    @Param({"44100", "16000"})
    public int inputRate;

    private Resampler resampler;
    private short[] input;
    private final short[] output = new short[WorkerBuffers.FRAME];
    private int lastPulled;

    /** Creates the resampler and runs it long enough to reach its steady state. */
    @Setup
    public void setUp() {
        resampler = new Resampler(inputRate, 8000);
        input = BenchSignals.speechLike(inputRate, inputRate / 50, 2);
        for (int i = 0; i < 100; i++) {
            resampleFrame();
        }
        if (lastPulled != WorkerBuffers.FRAME) {
            throw new IllegalStateException("the resampler yields " + lastPulled + " samples per frame, not 160");
        }
    }

    /** Pushes 20 ms of input and pulls one 160-sample output frame. */
    @Benchmark
    public short[] resampleFrame() {
        resampler.push(input, 0, input.length);
        lastPulled = resampler.pull(output, 0, WorkerBuffers.FRAME, false);
        return output;
    }

    /** Checks that the measured operations were whole frames. */
    @TearDown
    public void check() {
        if (lastPulled != WorkerBuffers.FRAME) {
            throw new IllegalStateException("the resampler yielded " + lastPulled + " samples, not 160");
        }
    }
}
