package org.cti4j.core.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.cti4j.api.ConfVoice;
import org.cti4j.api.Conference;
import org.cti4j.api.ConferenceEndReason;
import org.cti4j.api.ConferenceEvent;
import org.cti4j.api.ConferenceListener;
import org.cti4j.api.ConferenceOptions;
import org.cti4j.api.ConferenceState;
import org.cti4j.api.RecordFormat;
import org.cti4j.core.spi.MediaException;
import org.cti4j.core.spi.MediaMixer;
import org.cti4j.core.spi.MediaOperation;
import org.cti4j.core.spi.MediaSession;

/**
 * A {@link Conference}: a media mixer and its members. Calls join and leave by posting to this strand; when the
 * conference ends, each member is told on its own strand.
 */
final class ConferenceResource extends AbstractResource implements Conference {

    private final ConferenceOptions options;
    private final ConferenceListener listener;
    private final MediaMixer mixer;
    /** The path the record file resolved to (the name is reported; this is written). */
    private final String recordPath;
    private final StrandTimer maxTimer = newTimer("max-seconds");
    private final CompletableFuture<ConferenceEvent.Released> released = new CompletableFuture<>();
    /** Changed only on the strand; read by any thread (what {@link #state()} shows). */
    private volatile ConferenceStage state = ConferenceStage.ACTIVE;
    private volatile List<String> memberIds = List.of();

    // Strand-confined.
    private final Map<CallResource, MediaSession> members = new LinkedHashMap<>();
    private final ConferenceVoices voices;
    private MediaOperation recording;
    private RecordingOutcome recorded;

    /**
     * Creates the conference and its mixer; {@link #start()} arms its timer and recording. The record file is resolved
     * first, by the engine's {@link org.cti4j.api.MediaFiles}, on the caller's thread.
     *
     * @throws org.cti4j.api.InvalidArgumentException if the record file is refused
     */
    ConferenceResource(EngineContext ctx, ConferenceOptions options, ConferenceListener listener) {
        super(ctx, MODULE);
        this.options = Objects.requireNonNull(options, "options");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.recordPath = options.isRecorded()
                ? ctx.recordPath("record_file", options.recordFile(), options.recordOverwrite()) : "";
        this.mixer = ctx.media.createMixer();
        this.voices = new ConferenceVoices(mixer, members);
    }

    /** On the strand: starts the {@code max_seconds} timer and the recording. */
    void start() {
        checkOnStrand("start");
        maxTimer.start(Duration.ofSeconds(options.maxSeconds()), () -> end(ConferenceEndReason.MAX_SECONDS));
        if (options.isRecorded()) {
            recorded = new RecordingOutcome(this, options.recordFile());
            try {
                recording = mixer.record(recordPath, RecordFormat.forFileName(options.recordFile()),
                        ctx.files.replaces(options.recordOverwrite()), recorded);
            } catch (MediaException e) {
                recorded.onCompleted("cannot record " + options.recordFile() + ": " + e.getMessage());
            }
        }
    }

    @Override
    public ConferenceOptions options() {
        return options;
    }

    @Override
    public ConferenceState state() {
        return state.shown();
    }

    @Override
    public List<String> members() {
        return memberIds;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Decided on the conference's strand, against its live state, before this returns: a release that races the
     * conference's own end (its last member leaving, {@code max_seconds}) either ends it or throws, never neither.
     */
    @Override
    public void release() {
        callUnlessReleased("release", () -> end(ConferenceEndReason.RELEASED));
    }

    @Override
    public CompletionStage<ConferenceEvent.Released> whenReleased() {
        return released.minimalCompletionStage();
    }

    @Override
    void shutdown() {
        checkOnStrand("shutdown");
        end(ConferenceEndReason.SHUTDOWN);
    }

    /** Called on the call's strand: the call asks to enter; it is told on its strand if it cannot. */
    void join(CallResource call, MediaSession session, ConfVoice voice) {
        post(() -> {
            if (state == ConferenceStage.RELEASED) {
                call.post(() -> call.conferenceGone(this));
                return;
            }
            members.put(call, session);
            mixer.add(session);
            voices.apply(call, voice);
            publishMembers();
            ConferenceEvent.MemberEntered event = new ConferenceEvent.MemberEntered(resId(), call.resId());
            emit("onMemberEntered", () -> listener.onMemberEntered(this, event));
        });
    }

    /** Called on the call's strand: the call left (by {@code conf_exit} or by ending). */
    void leave(CallResource call, MediaSession session) {
        post(() -> {
            if (state == ConferenceStage.RELEASED || members.remove(call) == null) {
                return;
            }
            mixer.remove(session);
            voices.left(call);
            publishMembers();
            ConferenceEvent.MemberExited event = new ConferenceEvent.MemberExited(resId(), call.resId());
            emit("onMemberExited", () -> listener.onMemberExited(this, event));
            if (members.isEmpty()) {
                end(ConferenceEndReason.EMPTY);
            }
        });
    }

    /** Called on the call's strand, which checked the voice: the member speaks and listens as {@code voice} says. */
    void changeVoice(CallResource call, ConfVoice voice) {
        post(() -> {
            if (state != ConferenceStage.RELEASED) {
                voices.apply(call, voice);
            }
        });
    }

    private void end(ConferenceEndReason reason) {
        checkOnStrand("end");
        if (state == ConferenceStage.RELEASED) {
            return;
        }
        maxTimer.cancel();
        for (CallResource call : members.keySet()) {
            ConferenceEvent.MemberExited event = new ConferenceEvent.MemberExited(resId(), call.resId());
            emit("onMemberExited", () -> listener.onMemberExited(this, event));
            call.post(() -> call.conferenceGone(this));
        }
        members.clear();
        publishMembers();
        if (recording != null) {
            recording.stop();
        }
        mixer.close();
        state = state.moveTo(ConferenceStage.RELEASED, "conference " + this);
        // Closing the mixer completed its recording: the outcome is known.
        ConferenceEvent.Released event = new ConferenceEvent.Released(resId(), beginTime(), now(), reason,
                options.userData(), recorded != null ? recorded.error() : null);
        emitFinal("onReleased", () -> listener.onReleased(this, event), () -> released.complete(event));
    }

    private void publishMembers() {
        memberIds = members.keySet().stream().map(CallResource::resId).toList();
    }
}
