package org.cti4j.media;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cti4j.core.spi.MediaListener;
import org.cti4j.media.internal.MediaContext;
import org.cti4j.media.internal.MediaWorker;
import org.cti4j.media.internal.MixerMember;
import org.cti4j.media.internal.PortPool;
import org.cti4j.media.internal.RtpMixer;
import org.cti4j.media.internal.RtpSessionImpl;
import org.cti4j.media.internal.SessionFeeds;
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
 * One 20 ms tick of an N-party conference through the real {@link RtpMixer#tick}: it takes a frame from each member's
 * ring, sums them, and writes to each member the sum minus its own frame, clamped to 16 bits.
 *
 * <p>No sockets: the members are real {@link RtpSessionImpl}s that are never started (no channels, never
 * registered), added with the real {@link RtpMixer#add}; their worker runs the add tasks and is then stopped, so
 * nothing else touches the mixer while it is measured. Each operation also does what the members' own workers do
 * around a tick: write one received frame into each member's {@code toMixer} ring and take one frame from its
 * {@code fromMixer} ring ({@code 2N} ring copies of 320 bytes). {@link #passThroughTick} does the same ring traffic
 * with a mixer that only copies each member's frame back, as the baseline: the difference is the mixing itself.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RtpMixerBenchmark {

    /** The number of parties. */
    @Param({"3", "10"})
    public int parties;

    private RtpMixer mixer;
    private MixerMember[] members;
    private short[][] received;
    private final short[] heard = new short[WorkerBuffers.FRAME];
    private long now;

    /** Builds a mixer with {@link #parties} socket-less members and brings every ring to its steady state. */
    @Setup
    public void setUp() throws ReflectiveOperationException {
        MediaContext context = new MediaContext(RtpMediaConfig.defaults(), "127.0.0.1", false, null,
                new PortPool(20000, 20001), RtpMixerBenchmark.class.getClassLoader());
        MediaWorker worker = new MediaWorker("bench-media-worker");
        mixer = new RtpMixer(context, worker);
        for (int i = 0; i < parties; i++) {
            RtpSessionImpl session = new RtpSessionImpl(context, worker, new MediaListener() {
            }, 20000 + 2 * i, null, null);
            mixer.add(session);
        }
        // Runs the tasks add() posted (the mixer's list of active members, each session's join), then ends the
        // thread; joining it makes what it wrote visible here. The mixer was never started, so it never ticked it.
        worker.close();
        members = membersOf(mixer);
        received = new short[parties][];
        for (int i = 0; i < parties; i++) {
            received[i] = BenchSignals.speechLike(8000, WorkerBuffers.FRAME, 100 + i);
            // the jitter cushion a live feed keeps: one frame waits in each ring between ticks
            members[i].toMixer.write(received[i], 0, WorkerBuffers.FRAME);
        }
        mixer.tick(now++);
        for (int i = 0; i < 10; i++) {
            if (mixerTick() != parties) {
                throw new IllegalStateException("a member heard silence: the rings are not in their steady state");
            }
        }
    }

    private static MixerMember[] membersOf(RtpMixer mixer) throws ReflectiveOperationException {
        Field field = RtpMixer.class.getDeclaredField("members");
        field.setAccessible(true);
        Map<?, ?> map = (Map<?, ?>) field.get(mixer);
        List<MixerMember> list = new ArrayList<>();
        for (Object member : map.values()) {
            list.add((MixerMember) member);
        }
        if (list.size() != mixer.size()) {
            throw new IllegalStateException("expected " + mixer.size() + " members, found " + list.size());
        }
        return list.toArray(new MixerMember[0]);
    }

    /**
     * Feeds one received frame to each member, ticks the mixer once, and takes each member's mix; returns how many
     * members heard audio (all of them in the steady state).
     */
    @Benchmark
    public int mixerTick() {
        for (int i = 0; i < members.length; i++) {
            members[i].toMixer.write(received[i], 0, WorkerBuffers.FRAME);
        }
        mixer.tick(now++);
        return drain();
    }

    /** The baseline: the same ring traffic as {@link #mixerTick}, each member's frame copied back unmixed. */
    @Benchmark
    public int passThroughTick() {
        for (int i = 0; i < members.length; i++) {
            MixerMember member = members[i];
            member.toMixer.write(received[i], 0, WorkerBuffers.FRAME);
            member.toMixer.readJitterFrame(member.frame, 0, WorkerBuffers.FRAME, SessionFeeds.LIVE_BACKLOG);
            member.fromMixer.write(member.frame, 0, WorkerBuffers.FRAME);
        }
        return drain();
    }

    /** Takes one frame from each member's ring, as its session's tick does. */
    private int drain() {
        int heardAudio = 0;
        for (MixerMember member : members) {
            if (member.fromMixer.readJitterFrame(heard, 0, WorkerBuffers.FRAME, SessionFeeds.LIVE_BACKLOG)) {
                heardAudio++;
            }
        }
        return heardAudio;
    }
}
