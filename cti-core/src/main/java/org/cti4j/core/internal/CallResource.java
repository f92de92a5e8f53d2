package org.cti4j.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.cti4j.api.Call;
import org.cti4j.api.CallDirection;
import org.cti4j.api.CallEvent;
import org.cti4j.api.CallListener;
import org.cti4j.api.CallState;
import org.cti4j.api.ConfVoice;
import org.cti4j.api.ConnectOptions;
import org.cti4j.api.DialOptions;
import org.cti4j.api.DtmfKeys;
import org.cti4j.api.InvalidArgumentException;
import org.cti4j.api.InvalidStateException;
import org.cti4j.api.PlayOptions;
import org.cti4j.api.ReceiveDtmfOptions;
import org.cti4j.api.RecordOptions;
import org.cti4j.api.SipUri;
import org.cti4j.core.spi.InboundLeg;
import org.cti4j.core.spi.LegListener;

/**
 * A {@link Call}: one {@link Leg} and what the application does with it. API methods check the published
 * {@link CallStatus} at once, then post the work to the strand, which checks again against the live state.
 */
final class CallResource extends AbstractResource implements Call, LegOwner {

    private final Leg leg;
    private final DialOptions dialOptions;
    private final CallListener listener;
    private final StrandTimer talkTimer = newTimer("max-answer");
    private final StrandTimer answerTimer = newTimer("inbound-answer");
    private final CompletableFuture<CallEvent.DialCompleted> dialCompleted = new CompletableFuture<>();
    private final CompletableFuture<CallEvent.Released> released = new CompletableFuture<>();

    /** What any thread may read: replaced on the strand at every change. */
    private volatile CallStatus status;

    // Strand-confined.
    private boolean dialCompletedSent;
    /** Inbound: whether the application was offered the call (on_incoming sent). */
    private boolean offered;
    /** Outbound: whether on_ringing was sent. */
    private boolean ringingSent;
    private final CallActivities activities;
    private final DigitCollection digits;
    private final CallHold hold;
    private ConferenceResource conference;
    /** The connection ({@code connect_start}) the call is a party of, or {@code null}. */
    private CallConnection connection;

    private CallResource(EngineContext ctx, DialOptions options, CallListener listener, InboundLeg inboundLeg) {
        super(ctx, MODULE);
        this.dialOptions = options;
        this.listener = listener;
        this.leg = options != null
                ? Leg.outbound(this, this, 0, options.fromUri(), options.toUri(), options.maxRingSeconds(),
                        options.userData())
                : Leg.inbound(this, this, inboundLeg);
        this.status = CallStatus.initial(leg.userData());
        this.activities = new CallActivities(this, listener);
        this.digits = new DigitCollection(this, listener, activities);
        this.hold = new CallHold(this, listener);
    }

    /** An outbound call; {@link #startOutbound()} dials it. */
    static CallResource outbound(EngineContext ctx, DialOptions options, CallListener listener) {
        return new CallResource(ctx, Objects.requireNonNull(options, "options"),
                Objects.requireNonNull(listener, "listener"), null);
    }

    /** An inbound call; {@code listener} is {@code null} when no application listens (it is refused). */
    static CallResource inbound(EngineContext ctx, InboundLeg leg, CallListener listener) {
        return new CallResource(ctx, null, listener, leg);
    }

    /** Returns the listener for the signalling provider's inbound leg. */
    LegListener legListener() {
        return leg.listener();
    }

    /** On the strand: dials. */
    void startOutbound() {
        checkOnStrand("startOutbound");
        leg.dial();
        publish();
    }

    /** On the strand: offers the inbound call to the application, or refuses it if nobody listens. */
    void startInbound() {
        checkOnStrand("startInbound");
        leg.reportStarted();
        if (listener == null) {
            leg.hangup(480, "no application listens for inbound calls");
            return;
        }
        if (!leg.openSession()) {
            return;
        }
        // Refused before it rings and before the application hears of it: a call it could never answer is not
        // offered (RFC 3261 13.3.1.1: 488 when no offered codec is acceptable). The leg still ends as every refused
        // one does: no event reaches any listener, and its CDR says 488, dropped by the system.
        Optional<String> unanswerable = leg.unanswerableOffer();
        if (unanswerable.isPresent()) {
            leg.hangup(488, unanswerable.get());
            return;
        }
        leg.ring();
        answerTimer.start(ctx.inboundAnswerTimeout, () -> {
            if (leg.state() == LegState.INITIATED) {
                leg.hangup(480, "not answered within " + ctx.inboundAnswerTimeout.toSeconds() + " s");
            }
        });
        CallEvent.Incoming event = new CallEvent.Incoming(resId(), leg.from(), leg.to(), leg.beginTime());
        offered = true;
        emit("onIncoming", () -> listener.onIncoming(this, event));
    }

    @Override
    void shutdown() {
        checkOnStrand("shutdown");
        if (!leg.isEnded()) {
            boolean answered = leg.isConnected() || leg.state() == LegState.ANSWER;
            int cause = answered ? 200 : direction() == CallDirection.OUTBOUND ? 487 : 503;
            leg.hangup(cause, "the engine shut down");
        }
    }

    // ---- the API: check now against the published status, then work on the strand ----

    @Override
    public CallDirection direction() {
        return leg.direction();
    }

    @Override
    public SipUri fromUri() {
        return leg.from();
    }

    @Override
    public SipUri toUri() {
        return leg.to();
    }

    @Override
    public String userData() {
        return status.userData();
    }

    @Override
    public CallState state() {
        return status.state();
    }

    @Override
    public boolean isPlaying() {
        return status.playing();
    }

    @Override
    public boolean isRecording() {
        return status.recording();
    }

    @Override
    public Optional<String> conferenceId() {
        return Optional.ofNullable(status.conferenceId());
    }

    @Override
    public void answer(String userData) {
        requireUserData(userData);
        run(CallOp.ANSWER, () -> {
            answerTimer.cancel();
            leg.answer(userData);
        });
    }

    @Override
    public void drop() {
        run(CallOp.DROP, () -> leg.hangup(defaultCause(), "dropped by the application"));
    }

    @Override
    public void drop(int cause) {
        run(CallOp.DROP, () -> {
            boolean rejecting = leg.state() == LegState.INITIATED && direction() == CallDirection.INBOUND;
            int lowest = rejecting ? 400 : 200;
            if (cause < lowest || cause > 699 || (cause >= 300 && cause < 400)) {
                throw new InvalidArgumentException("cause", "cause " + cause + " is not a SIP status code fit to "
                        + (rejecting ? "reject an unanswered call (400-699)" : "end a call (200, or 400-699)"));
            }
            boolean dialling = direction() == CallDirection.OUTBOUND && !leg.isConnected();
            leg.hangup(dialling ? 487 : cause, "dropped by the application");
        });
    }

    @Override
    public void reject(int cause) {
        if (cause < 400 || cause > 699) {
            throw new InvalidArgumentException("cause", "cause " + cause
                    + " is not a SIP status code fit to reject a call (400-699)");
        }
        run(CallOp.REJECT, () -> {
            answerTimer.cancel();
            leg.hangup(cause, "rejected by the application");
        });
    }

    private int defaultCause() {
        if (leg.isConnected() || leg.state() == LegState.ANSWER) {
            return 200;
        }
        return direction() == CallDirection.INBOUND ? 603 : 487;
    }

    @Override
    public void redirect(SipUri redirectUri) {
        Objects.requireNonNull(redirectUri, "redirectUri");
        run(CallOp.REDIRECT, () -> {
            answerTimer.cancel();
            leg.redirect(redirectUri);
        });
    }

    @Override
    public CompletionStage<CallEvent.PlayCompleted> playStart(PlayOptions options) {
        Objects.requireNonNull(options, "options");
        List<String> paths = new ArrayList<>(options.playFiles().size());
        for (String file : options.playFiles()) {
            paths.add(ctx.playPath("play_file", file));
        }
        CompletableFuture<CallEvent.PlayCompleted> future = new CompletableFuture<>();
        run(CallOp.PLAY_START, () -> activities.startPlay(options, paths, leg.session(), future));
        return future.minimalCompletionStage();
    }

    @Override
    public void playStop() {
        run(CallOp.PLAY_STOP, () -> {
            if (activities.playing()) {
                activities.stopPlay(null);
            } else {
                digits.stopPrompt();
            }
        });
    }

    @Override
    public CompletionStage<CallEvent.RecordCompleted> recordStart(RecordOptions options) {
        Objects.requireNonNull(options, "options");
        RecordingOutcome.requireRecordable(ctx.media, options.recordFormat(), options.recordFile());
        String path = ctx.recordPath("record_file", options.recordFile(), options.recordOverwrite());
        boolean replace = ctx.files.replaces(options.recordOverwrite());
        CompletableFuture<CallEvent.RecordCompleted> future = new CompletableFuture<>();
        run(CallOp.RECORD_START, () -> {
            if (connection != null) {
                connection.checkRecordStart(this);
            }
            activities.startRecord(options, path, replace, leg.session(), future);
        });
        return future.minimalCompletionStage();
    }

    @Override
    public void recordStop() {
        run(CallOp.RECORD_STOP, () -> activities.stopRecord(null));
    }

    @Override
    public CompletionStage<CallEvent.ReceiveDtmfCompleted> receiveDtmfStart(ReceiveDtmfOptions options) {
        Objects.requireNonNull(options, "options");
        String prompt = options.hasPrompt() ? ctx.playPath("play_file", options.playFile()) : null;
        CompletableFuture<CallEvent.ReceiveDtmfCompleted> future = new CompletableFuture<>();
        run(options.hasPrompt() ? CallOp.RECEIVE_DTMF_START_WITH_PROMPT : CallOp.RECEIVE_DTMF_START,
                () -> digits.start(options, prompt, leg.session(), future));
        return future.minimalCompletionStage();
    }

    @Override
    public CompletionStage<CallEvent.SendDtmfCompleted> sendDtmfStart(String keys) {
        String checked = DtmfKeys.toSend(keys);
        CompletableFuture<CallEvent.SendDtmfCompleted> future = new CompletableFuture<>();
        run(CallOp.SEND_DTMF_START, () -> activities.startSend(checked, leg, future));
        return future.minimalCompletionStage();
    }

    @Override
    public void sendDtmfStop() {
        run(CallOp.SEND_DTMF_STOP, activities::stopSend);
    }

    @Override
    public void receiveDtmfStop() {
        run(CallOp.RECEIVE_DTMF_STOP, digits::stop);
    }

    @Override
    public CompletionStage<CallEvent.ConnectCompleted> connectStart(ConnectOptions options) {
        CallConnection connecting = CallConnection.prepare(this, options, listener);
        run(CallOp.CONNECT_START, () -> {
            connecting.start(leg.session());
            connection = connecting;
        });
        return connecting.completion();
    }

    @Override
    public void connectStop() {
        run(CallOp.CONNECT_STOP, () -> connection.stop(this));
    }

    /** On the strand: the second call of {@code joined} becomes a party of it, if its live state allows it. */
    void joinConnection(CallConnection joined) {
        checkOnStrand("joinConnection");
        try {
            requireAllowed(CallOp.CONNECT_START);
        } catch (InvalidStateException e) {
            joined.refused(e.getMessage());
            return;
        }
        connection = joined;
        publish();
        joined.joined(leg.session());
    }

    /** On the strand: the call is no longer a party of {@code left}. */
    void leaveConnection(CallConnection left) {
        checkOnStrand("leaveConnection");
        if (connection == left) {
            connection = null;
            publish();
        }
    }

    @Override
    public CompletionStage<CallEvent.HoldCompleted> hold() {
        return changeHold(CallOp.HOLD, true);
    }

    @Override
    public CompletionStage<CallEvent.HoldCompleted> unhold() {
        return changeHold(CallOp.UNHOLD, false);
    }

    private CompletionStage<CallEvent.HoldCompleted> changeHold(CallOp op, boolean held) {
        CompletableFuture<CallEvent.HoldCompleted> future = new CompletableFuture<>();
        run(op, () -> hold.start(held, leg, future));
        return future.minimalCompletionStage();
    }

    @Override
    public boolean isHeld() {
        return status.held();
    }

    @Override
    public void confEnter(String confResId) {
        confEnter(confResId, ConfVoice.SPEAK_AND_LISTEN);
    }

    @Override
    public void confEnter(String confResId, ConfVoice voice) {
        Objects.requireNonNull(voice, "voice");
        ConferenceResource target = ctx.liveConference(confResId);
        run(CallOp.CONF_ENTER, () -> {
            ConferenceVoices.checkCoaching(ctx, this, target.resId(), voice);
            conference = target;
            target.join(this, leg.session(), voice);
        });
    }

    @Override
    public void confVoiceMode(String confResId, ConfVoice voice) {
        Objects.requireNonNull(confResId, "confResId");
        Objects.requireNonNull(voice, "voice");
        run(CallOp.CONF_VOICE_MODE, () -> {
            if (!conference.resId().equals(confResId)) {
                throw refused("confVoiceMode", status.state().name(), "it is not in conference " + confResId);
            }
            ConferenceVoices.checkCoaching(ctx, this, confResId, voice);
            conference.changeVoice(this, voice);
        });
    }

    @Override
    public void confExit(String confResId) {
        Objects.requireNonNull(confResId, "confResId");
        run(CallOp.CONF_EXIT, () -> {
            if (!conference.resId().equals(confResId)) {
                throw refused("confExit", status.state().name(), "it is not in conference " + confResId);
            }
            leaveConference();
        });
    }

    private void leaveConference() {
        ConferenceResource left = conference;
        conference = null;
        publish();
        left.leave(this, leg.session());
    }

    /** On the strand: the conference ended or refused the call; it is no longer a member. */
    void conferenceGone(ConferenceResource gone) {
        checkOnStrand("conferenceGone");
        if (conference == gone) {
            conference = null;
            publish();
        }
    }

    @Override
    public CompletionStage<CallEvent.DialCompleted> whenDialCompleted() {
        if (direction() == CallDirection.INBOUND) {
            throw refused("whenDialCompleted", state().name(), "it is inbound: only outbound calls dial");
        }
        return dialCompleted.minimalCompletionStage();
    }

    @Override
    public CompletionStage<CallEvent.Released> whenReleased() {
        return released.minimalCompletionStage();
    }

    // ---- events of the leg, on the strand ----

    @Override
    public void onLegRinging(Leg ringing, boolean earlyMedia) {
        publish();
        if (direction() == CallDirection.OUTBOUND && !ringingSent) {
            ringingSent = true;
            CallEvent.Ringing event = new CallEvent.Ringing(resId(), now());
            emit("onRinging", () -> listener.onRinging(this, event));
        }
    }

    @Override
    public void onLegConnected(Leg connected) {
        publish();
        if (direction() == CallDirection.OUTBOUND) {
            talkTimer.start(Duration.ofSeconds(dialOptions.maxAnswerSeconds()),
                    () -> leg.hangup(200, "max_answer_seconds reached"));
            sendDialCompleted();
            CallEvent.Answered event = new CallEvent.Answered(resId(), leg.answerTime());
            emit("onAnswered", () -> listener.onAnswered(this, event));
        }
    }

    @Override
    public void onLegDtmf(Leg source, char digit) {
        if (listener == null) {
            return;
        }
        CallEvent.Dtmf event = new CallEvent.Dtmf(resId(), digit);
        emit("onDtmf", () -> listener.onDtmf(this, event));
        activities.onDtmf(digit);
        digits.onDtmf(digit);
    }

    @Override
    public void onLegEnded(Leg ended) {
        talkTimer.cancel();
        answerTimer.cancel();
        if (direction() == CallDirection.OUTBOUND) {
            sendDialCompleted();
        }
        activities.onCallEnded();
        digits.onCallEnded();
        hold.onCallEnded();
        if (conference != null) {
            leaveConference();
        }
        if (connection != null) {
            connection.callEnded(this);
            connection = null;
        }
        publish();
        CallEvent.Released event = new CallEvent.Released(resId(), direction(), leg.from(), leg.to(),
                leg.beginTime(), leg.answerTime(), leg.endTime(), leg.droppedBy(), leg.cause(), leg.userData());
        var cdr = leg.cdr(resId(), activities.lastRecordFile(), activities.lastRecordError());
        emitFinal("onReleased",
                () -> {
                    // An inbound call refused before it was offered (no media, no common codec) was never the
                    // application's: it hears nothing of it, as it heard no on_incoming.
                    if (listener != null && (offered || direction() == CallDirection.OUTBOUND)) {
                        listener.onReleased(this, event);
                    }
                },
                () -> released.complete(event),
                () -> ctx.cdrListener.onCdr(cdr));
    }

    private void sendDialCompleted() {
        if (dialCompletedSent) {
            return;
        }
        dialCompletedSent = true;
        CallEvent.DialCompleted event = new CallEvent.DialCompleted(resId(), leg.beginTime(), leg.answerTime(),
                leg.answerTime() != null ? leg.answerTime() : leg.endTime(), leg.dialError());
        emit("onDialCompleted", () -> {
            try {
                listener.onDialCompleted(this, event);
            } finally {
                dialCompleted.complete(event);
            }
        });
    }

    // ---- state checks ----

    /** Publishes the strand's state for readers on other threads. */
    void publish() {
        status = new CallStatus(leg.state().shown(), activities.playing() || digits.prompting(),
                activities.recording(), conference != null ? conference.resId() : null, leg.userData(),
                digits.collecting(), activities.sending(), connection != null ? connection.peerOf(this) : null,
                hold.held(), hold.changing());
    }

    /**
     * Checks {@code op} against the live state and applies it, on the strand, before returning: throws
     * {@link InvalidStateException} (naming the call, its state and the operation) if the state forbids it.
     */
    private void run(CallOp op, Runnable action) {
        call(() -> {
            requireAllowed(op);
            action.run();
            publish();
            return null;
        });
    }

    /** Throws {@link InvalidStateException} naming the call if its published state forbids {@code op}. */
    void requireAllowed(CallOp op) {
        op.refusal(status, direction()).ifPresent(why -> {
            throw refused(op.apiName(), status.state().name(), why);
        });
    }

    private static void requireUserData(String userData) {
        if (userData == null) {
            throw new InvalidArgumentException("user_data", "user_data is null: use an empty string for none");
        }
        if (userData.length() > 4096) {
            throw new InvalidArgumentException("user_data", "user_data is " + userData.length()
                    + " characters long, more than the 4096 allowed");
        }
    }
}
