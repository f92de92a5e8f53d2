package org.cti4j.core.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.cti4j.api.CallDirection;
import org.cti4j.api.CallState;
import org.cti4j.api.CdrRecord;
import org.cti4j.api.DialError;
import org.cti4j.api.DroppedBy;
import org.cti4j.api.LegAnswered;
import org.cti4j.api.LegStarted;
import org.cti4j.api.SipUri;
import org.cti4j.core.spi.InboundLeg;
import org.cti4j.core.spi.LegListener;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaException;
import org.cti4j.core.spi.MediaSession;
import org.cti4j.core.spi.OutboundLeg;
import org.cti4j.core.spi.SignalingLeg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call leg: its signalling leg, its media session, its times, and how it ended. Runs on its owner's strand (a
 * call owns one leg, a duo callback two) and reports to the owner what the owner must react to.
 *
 * <pre>
 *  outbound: INITIATED ──1xx──▶ RING ──2xx──▶ CONNECTED
 *  inbound:  INITIATED ──answer()──▶ ANSWER ──ACK──▶ CONNECTED
 *  every state but ENDED ──failure, hang-up, timeout──▶ ENDED
 * </pre>
 *
 * Every event from the providers is checked against the leg's state; one that the state does not expect (a late
 * 180, anything after the end) is ignored, so a leg ends exactly once whatever the order of events.
 */
final class Leg {

    private static final Logger log = LoggerFactory.getLogger(Leg.class);

    private final AbstractResource resource;
    private final LegOwner owner;
    private final int number;
    private final CallDirection direction;
    private final SipUri from;
    private final SipUri to;
    private final int maxRingSeconds;
    private final InboundLeg inbound;
    private final StrandTimer ringTimer;
    private final LegEventRelay relay;
    private final Instant beginTime;

    private LegState state = LegState.INITIATED;
    private String userData;
    private OutboundLeg outbound;
    private MediaSession session;
    private Instant answerTime;
    private Instant endTime;
    private DroppedBy droppedBy;
    private int cause;
    private DialError dialError;
    private String failure;
    private boolean startReported;

    private Leg(AbstractResource resource, LegOwner owner, int number, CallDirection direction, SipUri from, SipUri to,
            int maxRingSeconds, InboundLeg inbound, String userData) {
        this.resource = resource;
        this.owner = owner;
        this.number = number;
        this.direction = direction;
        this.from = from;
        this.to = to;
        this.maxRingSeconds = maxRingSeconds;
        this.inbound = inbound;
        this.userData = userData;
        this.ringTimer = resource.newTimer("leg" + number + "-ring");
        this.relay = new LegEventRelay(this, resource);
        this.beginTime = resource.now();
    }

    /** Creates an outbound leg; {@link #dial()} places it. */
    static Leg outbound(AbstractResource resource, LegOwner owner, int number, SipUri from, SipUri to,
            int maxRingSeconds, String userData) {
        return new Leg(resource, owner, number, CallDirection.OUTBOUND, from, to, maxRingSeconds, null, userData);
    }

    /** Creates the leg of an inbound call; {@link #listener()} must be handed to the signalling provider. */
    static Leg inbound(AbstractResource resource, LegOwner owner, InboundLeg inboundLeg) {
        return new Leg(resource, owner, 0, CallDirection.INBOUND, inboundLeg.from(), inboundLeg.to(), 0, inboundLeg,
                "");
    }

    // ---- actions, on the owner's strand ----

    /** Outbound: takes a media session and sends the INVITE. A media failure ends the leg at once. */
    void dial() {
        dial(null);
    }

    /**
     * Outbound: takes a media session placed near {@code near} (the session it will be connected to, or null) and sends
     * the INVITE. A media failure ends the leg at once.
     */
    void dial(MediaSession near) {
        resource.checkOnStrand("leg dial");
        reportStarted();
        if (!openSession(near)) {
            return;
        }
        outbound = resource.ctx.signaling.dial(from, to, session.localOffer(), listener());
    }

    /** Inbound: takes a media session, so that the call can be answered. Returns false if the leg ended. */
    boolean openSession() {
        return openSession(null);
    }

    private boolean openSession(MediaSession near) {
        try {
            session = resource.ctx.media.createSession(relay, near);
            return true;
        } catch (MediaException e) {
            log.warn("{}: leg {} has no media: {}", resource, number, e.getMessage());
            if (inbound != null) {
                inbound.reject(e.sipStatus());
            }
            end(DroppedBy.SYS, e.sipStatus(), "no media: " + e.getMessage(), null);
            return false;
        }
    }

    /**
     * Inbound: returns why the caller's offer cannot be answered (it names no codec this side's media speaks); empty
     * if it can, or if there is no offer (a late offer is answered with this side's own). Compares encoding names and
     * clock rates with this side's own offer, so that the call is refused before it rings.
     */
    Optional<String> unanswerableOffer() {
        return Offers.unanswerable(session.localOffer(), inbound.offer());
    }

    /** Inbound: the engine offers the call to the application; the caller hears it ring. */
    void ring() {
        inbound.ring();
    }

    /** Inbound, {@link LegState#INITIATED}: sends 200 with the SDP answer (or this side's offer, for a late offer). */
    void answer(String newUserData) {
        resource.checkOnStrand("leg answer");
        userData = newUserData;
        MediaDescription local;
        try {
            local = inbound.offer().isPresent() ? session.answer(inbound.offer().get()) : session.localOffer();
        } catch (MediaException e) {
            log.info("{}: cannot answer: {}", resource, e.getMessage());
            inbound.reject(e.sipStatus());
            end(DroppedBy.SYS, e.sipStatus(), e.getMessage(), null);
            return;
        }
        answerTime = resource.now();
        move(LegState.ANSWER);
        reportAnswered();
        inbound.answer(local);
    }

    /** Inbound, {@link LegState#INITIATED}: refuses with 302 to {@code target}. */
    void redirect(SipUri target) {
        inbound.redirect(target);
        end(DroppedBy.SYS, 302, "redirected", null);
    }

    /**
     * Ends the leg from this side with the SIP action its state calls for: CANCEL for an outbound leg still dialling,
     * a final response for an inbound one not answered, BYE otherwise.
     *
     * @param endCause the cause to report (and to send, in a final response or a BYE's Reason header)
     * @param reason what ended it, reported as the dial's error if the leg was dialling
     */
    void hangup(int endCause, String reason) {
        hangup(endCause, reason, null);
    }

    private void hangup(int endCause, String reason, String failureText) {
        resource.checkOnStrand("leg hangup");
        switch (state) {
            case INITIATED, RING -> {
                if (direction == CallDirection.OUTBOUND) {
                    if (outbound != null) {
                        outbound.cancel();
                    }
                } else {
                    inbound.reject(endCause);
                }
            }
            case ANSWER, CONNECTED -> signalingLeg().hangup(endCause);
            case ENDED -> {
                return;
            }
        }
        end(DroppedBy.SYS, endCause, reason, failureText);
    }

    // ---- events from the providers, handed to the owner's strand by a LegEventRelay ----

    /** Returns the listener to give the signalling provider; it hands every event to the owner's strand. */
    LegListener listener() {
        return relay;
    }

    /** The far end pressed a key (SIP INFO or RFC 4733). */
    void dtmf(char digit) {
        owner.onLegDtmf(this, digit);
    }

    /** The media provider saw no RTP for too long: a connected leg is hung up. */
    void inactivity() {
        if (state == LegState.CONNECTED) {
            log.info("{}: leg {} has had no RTP for too long; hanging up", resource, number);
            hangup(408, "no RTP received");
        }
    }

    /** The far end or the signalling provider ended the leg. */
    void endedBy(DroppedBy by, int endCause, String reason) {
        end(by, endCause, reason, null);
    }

    void provisional(MediaDescription earlyMedia) {
        if (direction != CallDirection.OUTBOUND || state == LegState.CONNECTED) {
            return;
        }
        if (state == LegState.INITIATED) {
            move(LegState.RING);
            String noAnswer = "no answer within " + maxRingSeconds + " s";
            ringTimer.start(Duration.ofSeconds(maxRingSeconds), () -> hangup(408, noAnswer, noAnswer));
        }
        boolean early = earlyMedia != null && applyRemote(earlyMedia);
        owner.onLegRinging(this, early);
    }

    void answered(MediaDescription remote) {
        if (direction != CallDirection.OUTBOUND || !state.canMoveTo(LegState.CONNECTED)) {
            return;
        }
        ringTimer.cancel();
        answerTime = resource.now();
        move(LegState.CONNECTED);
        reportAnswered();
        if (!applyRemote(remote)) {
            hangup(488, "no common codec");
            return;
        }
        owner.onLegConnected(this);
    }

    void confirmed(MediaDescription remote) {
        if (state != LegState.ANSWER) {
            return;
        }
        move(LegState.CONNECTED);
        if (remote != null && !applyRemote(remote)) {
            hangup(488, "no common codec");
            return;
        }
        owner.onLegConnected(this);
    }

    boolean applyRemote(MediaDescription remote) {
        if (session == null) {
            return false;
        }
        try {
            session.setRemote(remote);
            return true;
        } catch (MediaException e) {
            log.info("{}: leg {}: the far end's media cannot be used: {}", resource, number, e.getMessage());
            return false;
        }
    }

    /**
     * Ends the leg, once.
     *
     * @param reason what ended it (a reason phrase, "no answer within 30 s", ...)
     * @param failureText how to describe a failed dial, if not {@code "<cause> <reason>"}
     */
    private void end(DroppedBy by, int endCause, String reason, String failureText) {
        resource.checkOnStrand("leg end");
        if (state == LegState.ENDED) {
            return;
        }
        boolean dialFailed = direction == CallDirection.OUTBOUND && answerTime == null;
        move(LegState.ENDED);
        ringTimer.cancel();
        endTime = resource.now();
        droppedBy = by;
        cause = endCause;
        if (dialFailed) {
            dialError = new DialError(endCause, reason);
            failure = failureText != null ? failureText : dialError.toString();
        }
        if (session != null) {
            session.close();
        }
        reportStarted();
        owner.onLegEnded(this);
    }

    /**
     * Tells the CDR listener that the leg began, once: called before the leg is dialled or offered, and again (to no
     * effect) as it ends, so that a leg ended before either still reports its start before its CDR.
     */
    void reportStarted() {
        if (startReported) {
            return;
        }
        startReported = true;
        LegStarted started = new LegStarted(resource.resId(), number, direction, from, to, beginTime, userData);
        resource.emit("onLegStarted", () -> resource.ctx.cdrListener.onLegStarted(started));
    }

    /** Tells the CDR listener that the leg was answered; the leg's states let this happen once. */
    private void reportAnswered() {
        LegAnswered answered = new LegAnswered(resource.resId(), number, answerTime, userData);
        resource.emit("onLegAnswered", () -> resource.ctx.cdrListener.onLegAnswered(answered));
    }

    private void move(LegState target) {
        state = state.moveTo(target, resource + ": leg " + number);
    }

    /** Returns the signalling leg: the INVITE sent, or the one offered. */
    SignalingLeg signalingLeg() {
        return direction == CallDirection.OUTBOUND ? outbound : inbound;
    }

    // ---- what the owner reads ----

    LegState state() {
        return state;
    }

    boolean isEnded() {
        return state == LegState.ENDED;
    }

    boolean isConnected() {
        return state == LegState.CONNECTED;
    }

    CallDirection direction() {
        return direction;
    }

    SipUri from() {
        return from;
    }

    SipUri to() {
        return to;
    }

    String userData() {
        return userData;
    }

    /** Returns the media session; {@code null} before it was opened or if it could not be. */
    MediaSession session() {
        return session;
    }

    Instant beginTime() {
        return beginTime;
    }

    /** Returns when the leg was answered, or {@code null}. */
    Instant answerTime() {
        return answerTime;
    }

    /** Returns when the leg ended, or {@code null} while it goes on. */
    Instant endTime() {
        return endTime;
    }

    DroppedBy droppedBy() {
        return droppedBy;
    }

    int cause() {
        return cause;
    }

    /** Returns why an outbound dial failed, or {@code null} if it was answered (or the leg is inbound). */
    DialError dialError() {
        return dialError;
    }

    /** Returns what made the dial fail, as text ({@code 486 Busy Here}, {@code no answer within 30 s}), or null. */
    String failure() {
        return failure;
    }

    /**
     * Returns the leg's CDR. Only once it ended.
     *
     * @param recordFile the file of the recording to report with the leg, or {@code null}
     * @param recordError why that recording failed, or {@code null}
     */
    CdrRecord cdr(String resId, String recordFile, String recordError) {
        return new CdrRecord(resId, number, direction, from, to, beginTime, answerTime, endTime, droppedBy, cause,
                userData, dialError, recordFile, recordError);
    }
}
