package org.cti4j.media.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.cti4j.api.RecordFormat;
import org.cti4j.core.spi.MediaMixer;
import org.cti4j.core.spi.MediaOperation;
import org.cti4j.core.spi.MediaSession;

/**
 * An N-party mixer ticked by one worker: every 20 ms it takes one frame from each member, sums them in 32 bits, and
 * gives each member the sum minus its own frame, clamped to 16 bits (so nobody hears itself); a recording gets the
 * whole sum. Members may sit on other workers: frames cross through each member's two rings.
 *
 * <p>{@link #add}, {@link #remove}, {@link #record} and {@link #close} may be called from any thread and never block
 * (except that {@code close} completes the recording file before it returns).
 */
public final class RtpMixer implements MediaMixer, MediaWorker.Ticking {


    private final MediaContext context;
    private final MediaWorker worker;
    private final Map<RtpSessionImpl, MixerMember> members = new ConcurrentHashMap<>();
    private final AtomicReference<Recording> recording = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    // worker only
    private final List<MixerMember> active = new ArrayList<>();
    private final int[] sum = new int[WorkerBuffers.FRAME];
    private final short[] out = new short[WorkerBuffers.FRAME];

    public RtpMixer(MediaContext context, MediaWorker worker) {
        this.context = context;
        this.worker = worker;
    }

    /** Starts ticking. */
    public RtpMixer start() {
        worker.execute(() -> {
            if (!closed.get()) {
                worker.addTicking(this);
            }
        });
        return this;
    }

    @Override
    public void add(MediaSession session) {
        RtpSessionImpl member = context.own(session);
        if (closed.get()) {
            throw new IllegalStateException("the mixer is closed");
        }
        MixerMember slot = new MixerMember(member, this);
        if (members.putIfAbsent(member, slot) == null) {
            worker.execute(() -> {
                if (!slot.hasLeft()) {
                    active.add(slot);
                }
            });
            member.worker().execute(() -> member.joinMixer(slot));
        }
    }

    @Override
    public void remove(MediaSession session) {
        Objects.requireNonNull(session, "session");
        MixerMember slot = members.remove(session);
        if (slot != null) {
            slot.leave();
            slot.session.worker().execute(() -> slot.session.leaveMixer(slot));
        }
    }

    @Override
    public void tick(long now) {
        for (int i = active.size() - 1; i >= 0; i--) {
            MixerMember member = active.get(i);
            if (member.hasLeft() || member.session.isClosed()) {
                active.remove(i);
                members.remove(member.session, member);
            }
        }
        for (int i = 0; i < active.size(); i++) {
            MixerMember member = active.get(i);
            member.toMixer.readJitterFrame(member.frame, 0, WorkerBuffers.FRAME, SessionFeeds.LIVE_BACKLOG);
        }
        sum(active, sum);
        for (int i = 0; i < active.size(); i++) {
            MixerMember member = active.get(i);
            minusOwn(sum, member.frame, out);
            member.fromMixer.write(out, 0, WorkerBuffers.FRAME);
        }
        Recording current = recording.get();
        if (current != null) {
            if (current.isDone()) {
                recording.compareAndSet(current, null);
            } else {
                for (int k = 0; k < WorkerBuffers.FRAME; k++) {
                    out[k] = WorkerBuffers.saturate(sum[k]);
                }
                current.push(out, 0, WorkerBuffers.FRAME);
            }
        }
    }

    /** Sums the members' frames in 32 bits. */
    public static void sum(List<MixerMember> members, int[] sum) {
        Arrays.fill(sum, 0);
        for (int i = 0; i < members.size(); i++) {
            short[] frame = members.get(i).frame;
            for (int k = 0; k < WorkerBuffers.FRAME; k++) {
                sum[k] += frame[k];
            }
        }
    }

    /** Writes what a member hears: the sum without its own frame, clamped to 16 bits. */
    public static void minusOwn(int[] sum, short[] own, short[] out) {
        for (int k = 0; k < WorkerBuffers.FRAME; k++) {
            out[k] = WorkerBuffers.saturate(sum[k] - own[k]);
        }
    }

    @Override
    public MediaOperation record(String file, RecordFormat format, boolean replace,
            MediaOperation.Listener listener) {
        return Recording.startIn(recording, closed, file, replace, format, listener, context);
    }

    /** Returns the number of members. */
    public int size() {
        return members.size();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (RtpSessionImpl member : new ArrayList<>(members.keySet())) {
            remove(member);
        }
        Recording current = recording.getAndSet(null);
        if (current != null) {
            current.finishNow();
        }
        worker.execute(() -> {
            worker.removeTicking(this);
            active.clear();
        });
        context.mixers.remove(this);
    }
}
