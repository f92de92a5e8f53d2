package org.cti4j.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.DuoCallback;
import org.cti4j.api.DuoCallbackEvent;
import org.cti4j.api.DuoCallbackListener;
import org.cti4j.api.DuoCallbackOptions;
import org.cti4j.api.DuoCallbackState;
import org.cti4j.api.RecordMode;
import org.cti4j.api.RingPlayMode;
import org.cti4j.core.spi.MediaConnection;
import org.cti4j.core.spi.MediaException;
import org.cti4j.core.spi.MediaOperation;
import org.cti4j.core.spi.PlaySource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DuoCallback}: two outbound {@link Leg}s on one strand, and the media between them.
 *
 * <pre>
 *  INITIATED: dial party 1 (record_mode 1: record party 1's session from now)
 *     └─ party 1 answers ─▶ ANSWERED: dial party 2 (record_mode 2: record from now); party 1 hears
 *          ring_play_file by ring_play_mode, or party 2's early media, or a generated ringback
 *          └─ party 2 answers ─▶ CONNECTED: ring media stops, the sessions are bridged both ways
 *                                (record_mode 0: record from now), max_connect_seconds runs, and the timed
 *                                prompt's timer (prompt_file) if there is one
 *  anything that ends a leg, cancel, max_connect_seconds ─▶ RELEASED: the other leg is hung up too
 * </pre>
 *
 * The recording is of party 1's session, both directions mixed: party 1 and, once bridged, party 2. Its outcome
 * (the file, and why it failed if it did) is reported in {@code on_released} and in both legs' CDRs.
 */
final class DuoCallbackResource extends AbstractResource implements DuoCallback, LegOwner {

    private static final Logger log = LoggerFactory.getLogger(DuoCallbackResource.class);

    private final DuoCallbackOptions options;
    private final DuoCallbackListener listener;
    private final Leg leg1;
    private final StrandTimer connectTimer = newTimer("max-connect");
    private final CompletableFuture<DuoCallbackEvent.Released> released = new CompletableFuture<>();
    /** Changed only on the strand; read by any thread (what {@link #state()} shows). */
    private volatile DuoCallbackStage state = DuoCallbackStage.INITIATED;

    // Strand-confined.
    private Leg leg2;
    private boolean finishing;
    private Instant connectTime;
    private MediaOperation ringFile;
    private boolean ringFileStarted;
    private MediaOperation ringTone;
    private MediaConnection earlyMediaRelay;
    private MediaConnection bridge1to2;
    private MediaConnection bridge2to1;
    private MediaOperation recording;
    private RecordingOutcome recorded;
    /** The paths the ring and record files resolved to (the names are reported; these are opened). */
    private final String ringPath;
    private final String recordPath;
    /** The timed prompt, or {@code null} without a {@code prompt_file}. */
    private final TimedPrompt prompt;

    /**
     * Creates the duo callback; resolves its files by the engine's {@link org.cti4j.api.MediaFiles} (on the caller's
     * thread) so that a refused name throws here, before anything starts.
     *
     * @throws org.cti4j.api.InvalidArgumentException if the ring, prompt or record file is refused
     */
    DuoCallbackResource(EngineContext ctx, DuoCallbackOptions options, DuoCallbackListener listener) {
        super(ctx, MODULE);
        this.options = Objects.requireNonNull(options, "options");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.ringPath = options.hasRingPlayFile() ? ctx.playPath("ring_play_file", options.ringPlayFile()) : "";
        this.recordPath = options.isRecorded()
                ? ctx.recordPath("record_file", options.recordFile(), options.recordOverwrite()) : "";
        this.prompt = options.hasPrompt()
                ? new TimedPrompt(this, ctx.playPath("prompt_file", options.promptFile())) : null;
        this.leg1 = Leg.outbound(this, this, 1, options.from1Uri(), options.to1Uri(), options.maxRingSeconds(),
                options.userData1());
    }

    /** On the strand: dials party 1. */
    void start() {
        checkOnStrand("start");
        leg1.dial();
        if (!leg1.isEnded() && options.recordMode() == RecordMode.FROM_PARTY1_DIAL) {
            startRecording();
        }
    }

    @Override
    public DuoCallbackOptions options() {
        return options;
    }

    @Override
    public DuoCallbackState state() {
        return state.shown();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Decided on the duo callback's strand, against its live state, before this returns: a cancel that races
     * party 2's answer either ends the duo callback or throws, never neither.
     */
    @Override
    public void cancel() {
        callUnlessReleased("cancel", () -> {
            if (!state.cancellable()) {
                throw refused("cancel", state.shown().name(),
                        "party 2 is connected; a duo callback can be cancelled only before that");
            }
            finish("cancelled");
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Decided on the duo callback's strand, as {@link #cancel()} is.
     */
    @Override
    public void release() {
        callUnlessReleased("release", () -> finish(state.cancellable() ? "cancelled" : null));
    }

    @Override
    public CompletionStage<DuoCallbackEvent.Released> whenReleased() {
        return released.minimalCompletionStage();
    }

    @Override
    void shutdown() {
        checkOnStrand("shutdown");
        finish(state == DuoCallbackStage.CONNECTED ? null : "the engine shut down");
    }

    // ---- the legs' events, on the strand ----

    @Override
    public void onLegRinging(Leg leg, boolean earlyMedia) {
        if (leg != leg2 || state != DuoCallbackStage.ANSWERED) {
            return;
        }
        if (!options.hasRingPlayFile()) {
            hearRingback(earlyMedia);
            return;
        }
        switch (options.ringPlayMode()) {
            case ON_RINGBACK -> {
                if (!ringFileStarted) {
                    startRingFile();
                }
            }
            case UNTIL_RINGBACK -> {
                stopRingFile();
                hearRingback(earlyMedia);
            }
            case UNTIL_ANSWER -> {
                // The file plays on until party 2 answers.
            }
        }
    }

    @Override
    public void onLegConnected(Leg leg) {
        if (leg == leg1 && state == DuoCallbackStage.INITIATED) {
            move(DuoCallbackStage.ANSWERED);
            dialParty2();
        } else if (leg == leg2 && state == DuoCallbackStage.ANSWERED) {
            bridge();
        }
    }

    @Override
    public void onLegEnded(Leg leg) {
        if (finishing) {
            return;
        }
        if (leg == leg1) {
            finish(switch (state) {
                case INITIATED -> "party 1: " + leg1.failure();
                case ANSWERED -> "party 1 hung up while party 2 was dialled";
                default -> null;
            });
        } else {
            finish(state == DuoCallbackStage.ANSWERED ? "party 2: " + leg2.failure() : null);
        }
    }

    @Override
    public void onLegDtmf(Leg leg, char digit) {
        // Keys pressed during a duo callback reach the other party in the audio; the engine does nothing with them.
    }

    // ---- orchestration ----

    private void dialParty2() {
        leg2 = Leg.outbound(this, this, 2, options.from2Uri(), options.to2Uri(), options.maxRingSeconds(),
                options.userData2());
        leg2.dial(leg1.session()); // near party 1's: the bridge relays on one media thread
        if (leg2.isEnded()) {
            return;
        }
        if (options.hasRingPlayFile() && options.ringPlayMode() != RingPlayMode.ON_RINGBACK) {
            startRingFile();
        }
        if (options.recordMode() == RecordMode.FROM_PARTY2_DIAL) {
            startRecording();
        }
    }

    private void bridge() {
        stopRingMedia();
        try {
            bridge1to2 = ctx.media.connect(leg1.session(), leg2.session());
            bridge2to1 = ctx.media.connect(leg2.session(), leg1.session());
        } catch (MediaException e) {
            log.warn("{}: cannot bridge the parties: {}", this, e.getMessage());
            finish("bridge failed: " + e.getMessage());
            return;
        }
        connectTime = leg2.answerTime();
        connectTimer.start(Duration.ofSeconds(options.maxConnectSeconds()), () -> finish(null));
        if (prompt != null) {
            prompt.start(Duration.ofSeconds(options.promptDelaySeconds()), leg1.session(), leg2.session());
        }
        move(DuoCallbackStage.CONNECTED);
        if (options.recordMode() == RecordMode.ON_CONNECT) {
            startRecording();
        }
    }

    /** Party 1 hears party 2's ringback: its early media if there is some, else a generated tone. */
    private void hearRingback(boolean earlyMedia) {
        if (earlyMedia) {
            stopOperation(ringTone);
            ringTone = null;
            if (earlyMediaRelay == null) {
                earlyMediaRelay = connectQuietly();
            }
        } else if (earlyMediaRelay == null && ringTone == null) {
            ringTone = playQuietly(new PlaySource.Ringback());
        }
    }

    private void startRingFile() {
        ringFileStarted = true;
        ringFile = playQuietly(new PlaySource.File(ringPath, true));
    }

    private void stopRingFile() {
        stopOperation(ringFile);
        ringFile = null;
    }

    private void stopRingMedia() {
        stopRingFile();
        stopOperation(ringTone);
        ringTone = null;
        if (earlyMediaRelay != null) {
            earlyMediaRelay.close();
            earlyMediaRelay = null;
        }
    }

    private MediaOperation playQuietly(PlaySource source) {
        try {
            return leg1.session().play(source, error -> {
                if (error != null) {
                    log.warn("{}: party 1 cannot hear {}: {}", this, source, error);
                }
            });
        } catch (MediaException e) {
            log.warn("{}: party 1 cannot hear {}: {}", this, source, e.getMessage());
            return null;
        }
    }

    private MediaConnection connectQuietly() {
        try {
            return ctx.media.connect(leg2.session(), leg1.session());
        } catch (MediaException e) {
            log.warn("{}: cannot relay party 2's early media: {}", this, e.getMessage());
            return null;
        }
    }

    private void startRecording() {
        if (!options.isRecorded() || recording != null) {
            return;
        }
        recorded = new RecordingOutcome(this, options.recordFile());
        try {
            recording = leg1.session().record(recordPath, options.recordFormat(),
                    ctx.files.replaces(options.recordOverwrite()), options.recordStereo(), recorded);
        } catch (MediaException e) {
            recorded.onCompleted("cannot record " + options.recordFile() + ": " + e.getMessage());
        }
    }

    private static void stopOperation(MediaOperation operation) {
        if (operation != null) {
            operation.stop();
        }
    }

    /** Ends the duo callback once: stops its media, hangs up what is left of both legs, reports. */
    private void finish(String error) {
        checkOnStrand("finish");
        if (finishing) {
            return;
        }
        finishing = true;
        connectTimer.cancel();
        if (prompt != null) {
            prompt.end();
        }
        stopRingMedia();
        stopOperation(recording);
        for (MediaConnection connection : new MediaConnection[] {bridge1to2, bridge2to1}) {
            if (connection != null) {
                connection.close();
            }
        }
        String reason = error != null ? error : "the conversation ended";
        for (Leg leg : new Leg[] {leg1, leg2}) {
            if (leg != null && !leg.isEnded()) {
                leg.hangup(leg.isConnected() ? 200 : 487, reason);
            }
        }
        move(DuoCallbackStage.RELEASED);
        // Party 1's session is closed now, and closing it completed the recording: its outcome is known.
        String recordFile = recorded != null ? recorded.file() : null;
        String recordError = recorded != null ? recorded.error() : null;
        DuoCallbackEvent.Released event = new DuoCallbackEvent.Released(resId(), error, beginTime(),
                leg1.answerTime(), connectTime, now(), options.userData1(), options.userData2(), recordFile,
                recordError);
        CdrRecord cdr1 = leg1.cdr(resId(), recordFile, recordError);
        CdrRecord cdr2 = leg2 != null ? leg2.cdr(resId(), recordFile, recordError) : null;
        emitFinal("onReleased",
                () -> listener.onReleased(this, event),
                () -> released.complete(event),
                () -> ctx.cdrListener.onCdr(cdr1),
                () -> {
                    if (cdr2 != null) {
                        ctx.cdrListener.onCdr(cdr2);
                    }
                });
    }

    private void move(DuoCallbackStage target) {
        DuoCallbackStage from = state;
        state = from.moveTo(target, "duo callback " + this);
        DuoCallbackEvent.StateChanged event = new DuoCallbackEvent.StateChanged(resId(), from.shown(), target.shown(),
                now());
        emit("onStateChanged", () -> listener.onStateChanged(this, event));
    }
}
