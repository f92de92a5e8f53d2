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
 * <p>Each member's {@link MixerMember.Voice} shapes this: only members heard by all are in the sum (a muted member
 * costs no addition, and the recording holds neither muted members nor coaches); a coach's frame is added to its one
 * coached member's own buffer; a member that hears nobody is sent silence. A tick stays O(members) and allocates
 * nothing.
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
                    slot.ticking = true;
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
                member.ticking = false;
                active.remove(i);
                members.remove(member.session, member);
            }
        }
        for (int i = 0; i < active.size(); i++) {
            MixerMember member = active.get(i);
            member.toMixer.readJitterFrame(member.frame, 0, WorkerBuffers.FRAME, SessionFeeds.LIVE_BACKLOG);
            member.tickVoice = member.voice();
        }
        sum(active, sum);
        for (int i = 0; i < active.size(); i++) {
            whisper(active.get(i));
        }
        for (int i = 0; i < active.size(); i++) {
            MixerMember member = active.get(i);
            hear(sum, member, out);
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

    /** Sums in 32 bits the frames of the members heard by all (as their voice for this tick says). */
    public static void sum(List<MixerMember> members, int[] sum) {
        Arrays.fill(sum, 0);
        for (int i = 0; i < members.size(); i++) {
            MixerMember member = members.get(i);
            if (!member.tickVoice.heardByAll()) {
                continue;
            }
            short[] frame = member.frame;
            for (int k = 0; k < WorkerBuffers.FRAME; k++) {
                sum[k] += frame[k];
            }
        }
    }

    /** Adds a coach's frame to what its coached member hears in this tick, if that member is ticked. */
    static void whisper(MixerMember coach) {
        MixerMember coached = coach.tickVoice.coached();
        if (coached == null || !coached.ticking || coached.hasLeft() || coached == coach) {
            return;
        }
        int[] whisper = coached.whisper;
        short[] frame = coach.frame;
        if (coached.whispered) {
            for (int k = 0; k < WorkerBuffers.FRAME; k++) {
                whisper[k] += frame[k];
            }
        } else {
            for (int k = 0; k < WorkerBuffers.FRAME; k++) {
                whisper[k] = frame[k];
            }
            coached.whispered = true;
        }
    }

    /**
     * Writes what a member hears in this tick, clamped to 16 bits: silence if it hears nobody; else the sum, without
     * its own frame if it is in the sum, plus what coaches said to it (then forgotten).
     */
    static void hear(int[] sum, MixerMember member, short[] out) {
        MixerMember.Voice voice = member.tickVoice;
        boolean whispered = member.whispered;
        member.whispered = false;
        if (!voice.hears()) {
            Arrays.fill(out, (short) 0);
        } else if (!whispered && voice.heardByAll()) {
            minusOwn(sum, member.frame, out);
        } else {
            short[] own = member.frame;
            int[] whisper = member.whisper;
            boolean inSum = voice.heardByAll();
            for (int k = 0; k < WorkerBuffers.FRAME; k++) {
                int heard = sum[k] + (whispered ? whisper[k] : 0) - (inSum ? own[k] : 0);
                out[k] = WorkerBuffers.saturate(heard);
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
    public void setVoice(MediaSession member, boolean hears, boolean heard) {
        MixerMember slot = members.get(Objects.requireNonNull(member, "member"));
        if (slot != null) {
            slot.voice(new MixerMember.Voice(hears, heard, null));
        }
    }

    @Override
    public void setCoach(MediaSession coach, MediaSession coached) {
        MixerMember slot = members.get(Objects.requireNonNull(coach, "coach"));
        if (slot != null) {
            // A coached member that is not (or no longer) here leaves the coach heard by nobody.
            MixerMember target = members.get(Objects.requireNonNull(coached, "coached"));
            slot.voice(new MixerMember.Voice(true, false, target));
        }
    }

    @Override
    public MediaOperation record(String file, RecordFormat format, boolean replace,
            MediaOperation.Listener listener) {
        return Recording.startIn(recording, closed, file, replace, format, false, listener, context);
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
