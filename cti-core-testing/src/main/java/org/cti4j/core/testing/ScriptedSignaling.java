package org.cti4j.core.testing;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.cti4j.api.EngineStatistics;
import org.cti4j.api.SipUri;
import org.cti4j.core.spi.InboundLeg;
import org.cti4j.core.spi.LegListener;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.MediaDirection;
import org.cti4j.core.spi.OutboundLeg;
import org.cti4j.core.spi.PayloadType;
import org.cti4j.core.spi.SignalingLeg;
import org.cti4j.core.spi.SignalingProvider;

/**
 * A {@link SignalingProvider} whose far ends are played by the test: it records what the engine does to each leg
 * ({@code cancel}, {@code hangup 200}, {@code answer}, {@code reject 486}, {@code redirect sip:...}) and sends the
 * events the test asks for ({@link Outbound#ring()}, {@link Outbound#answer()}, {@link Leg#remoteHangup(int)}, ...).
 * Thread-safe: events may be sent from any thread, as a real provider would.
 *
 * <p>Each event method returns once the engine has taken the event in (see {@link LegListener#whenTakenIn}), so
 * that a test may move a {@link ManualScheduler} right after {@code ring()} and see the ring timer fire. Called from
 * the engine's own strand for that call (a listener on a direct event executor), it cannot wait and returns at once.
 */
public final class ScriptedSignaling implements SignalingProvider {

    /** The media description the scripted far ends use: PCMU, PCMA and telephone-event at 127.0.0.1:40000. */
    public static final MediaDescription FAR_END_MEDIA = new MediaDescription("127.0.0.1", 40000,
            List.of(PayloadType.PCMU, PayloadType.PCMA, PayloadType.TELEPHONE_EVENT), MediaDirection.SENDRECV);

    /** How long an event method waits for the engine to take the event in. */
    private static final Duration TAKE_IN = Duration.ofSeconds(10);

    private final BlockingQueue<Outbound> dialled = new LinkedBlockingQueue<>();
    private final List<Leg> legs = new CopyOnWriteArrayList<>();
    private volatile EngineStatistics.Signaling statistics = EngineStatistics.Signaling.NONE;
    private volatile InboundCallHandler handler;
    private volatile boolean closed;

    @Override
    public void start(InboundCallHandler inboundHandler) {
        this.handler = Objects.requireNonNull(inboundHandler, "inboundHandler");
    }

    /**
     * Returns what the engine answers when asked whether it refuses new calls now
     * ({@link InboundCallHandler#refusal}): the {@code Retry-After} of its 503, or {@code null} while it takes them.
     * Inbound calls offered with {@link #incoming} still reach the engine either way, as a call racing a drain would.
     */
    public Duration refusal() {
        InboundCallHandler started = handler;
        return started == null ? null : started.refusal();
    }

    @Override
    public OutboundLeg dial(SipUri from, SipUri to, MediaDescription offer, LegListener listener) {
        Outbound leg = new Outbound(from, to, offer, listener);
        leg.provider = this;
        legs.add(leg);
        dialled.add(leg);
        return leg;
    }

    /**
     * Returns the next leg the engine dialled, waiting for it.
     *
     * @throws AssertionError if none is dialled within {@code timeout}
     */
    public Outbound nextDialled(Duration timeout) {
        try {
            Outbound leg = dialled.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (leg == null) {
                throw new AssertionError("the engine dialled nothing within " + timeout.toMillis() + " ms");
            }
            return leg;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Returns the next leg the engine dialled, or {@code null} if it has dialled nothing more yet. */
    public Outbound pollDialled() {
        return dialled.poll();
    }

    /**
     * Offers an inbound call to the engine, as a far end sending an INVITE.
     *
     * @param from the caller
     * @param to the callee
     * @param withOffer whether the INVITE carries SDP ({@code false}: late offer)
     * @return the leg, to script the caller, once the engine has taken the call in
     */
    public Inbound incoming(String from, String to, boolean withOffer) {
        return incoming(from, to, withOffer ? FAR_END_MEDIA : null);
    }

    /**
     * Offers an inbound call whose INVITE carries {@code offer}.
     *
     * @param offer the caller's media offer; {@code null} for a late offer
     * @return the leg, to script the caller
     */
    public Inbound incoming(String from, String to, MediaDescription offer) {
        InboundCallHandler current = handler;
        if (current == null) {
            throw new IllegalStateException("the engine has not started this provider");
        }
        Inbound leg = new Inbound(SipUri.parse(from), SipUri.parse(to), offer);
        leg.provider = this;
        leg.listener = current.onInboundCall(leg);
        legs.add(leg);
        leg.awaitTakenIn();
        return leg;
    }

    /** Returns every leg so far, outbound and inbound, in the order they appeared. */
    public List<Leg> legs() {
        return List.copyOf(legs);
    }

    /** From now on, {@link #statistics()} returns {@code figures} (a test of what reads them). */
    public void statistics(EngineStatistics.Signaling figures) {
        this.statistics = Objects.requireNonNull(figures, "figures");
    }

    /** Returns what {@link #statistics(EngineStatistics.Signaling)} set; all zero, no registration, before. */
    @Override
    public EngineStatistics.Signaling statistics() {
        return statistics;
    }

    /** Returns whether the engine closed the provider. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** A scripted far end: what the engine did to it, and the events the test sends. */
    public abstract static class Leg implements SignalingLeg {
        private final List<String> actions = new ArrayList<>();
        private final ArrayDeque<InfoListener> infos = new ArrayDeque<>();
        private final ArrayDeque<ReofferListener> reoffers = new ArrayDeque<>();
        volatile LegListener listener;
        volatile ScriptedSignaling provider;

        Leg() {
        }

        /**
         * Returns once the engine has taken in every event sent so far; at once if the engine closed this provider
         * (its threads may be gone).
         *
         * @throws AssertionError if the engine does not take them in within 10 s
         */
        final void awaitTakenIn() {
            CountDownLatch taken = new CountDownLatch(1);
            listener.whenTakenIn(taken::countDown);
            long deadline = System.nanoTime() + TAKE_IN.toNanos();
            try {
                while (!taken.await(20, TimeUnit.MILLISECONDS)) {
                    if (provider != null && provider.closed) {
                        return;
                    }
                    if (System.nanoTime() - deadline > 0) {
                        throw new AssertionError("the engine did not take the event in within " + TAKE_IN.toMillis()
                                + " ms (are its threads blocked?)");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        /** Records an action of the engine on this leg. */
        final void act(String action) {
            synchronized (actions) {
                actions.add(action);
                actions.notifyAll();
            }
        }

        /** Returns what the engine did to this leg so far, in order. */
        public final List<String> actions() {
            synchronized (actions) {
                return List.copyOf(actions);
            }
        }

        /**
         * Waits until the engine did an action starting with {@code prefix} to this leg, and returns it.
         *
         * @throws AssertionError if it does not within {@code timeout}
         */
        public final String awaitAction(String prefix, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (actions) {
                while (true) {
                    for (String action : actions) {
                        if (action.startsWith(prefix)) {
                            return action;
                        }
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("the engine did no '" + prefix + "' within " + timeout.toMillis()
                                + " ms; it did " + actions);
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(actions, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new AssertionError("interrupted", e);
                    }
                }
            }
        }

        /** Returns whether the engine ended this leg (cancel, hangup, reject or redirect). */
        public final boolean isEndedByEngine() {
            return actions().stream().anyMatch(a -> a.startsWith("cancel") || a.startsWith("hangup")
                    || a.startsWith("reject") || a.startsWith("redirect"));
        }

        @Override
        public final void hangup(int cause) {
            act("hangup " + cause);
        }

        /** Records {@code info <key> <duration>}; the test answers it with {@link #answerInfo(String)}. */
        @Override
        public final void sendDtmfInfo(char key, int durationMillis, InfoListener infoListener) {
            synchronized (infos) {
                infos.add(infoListener);
            }
            act("info " + key + " " + durationMillis);
        }

        /**
         * Answers the oldest unanswered INFO the engine sent, and returns once the engine has taken the answer in.
         *
         * @param error {@code null} for 200 OK, else the failure (e.g. {@code "415 Unsupported Media Type"})
         * @throws AssertionError if no INFO waits for an answer
         */
        public final void answerInfo(String error) {
            InfoListener infoListener;
            synchronized (infos) {
                infoListener = infos.poll();
            }
            if (infoListener == null) {
                throw new AssertionError("no INFO waits for an answer; the engine did " + actions());
            }
            infoListener.onAnswered(error);
            awaitTakenIn();
        }

        /** Records {@code reoffer <direction>}; the test answers it with {@link #answerReoffer}. */
        @Override
        public final void reoffer(MediaDirection direction, ReofferListener reofferListener) {
            synchronized (reoffers) {
                reoffers.add(reofferListener);
            }
            act("reoffer " + direction);
        }

        /**
         * Answers the oldest unanswered re-INVITE the engine sent, and returns once the engine has taken the answer in.
         *
         * @param answer the far end's SDP answer of a 2xx, or {@code null} for a failure
         * @param status 200 with an answer, else the failure's status (e.g. 491, or 408 for a timeout)
         * @param reason {@code null} with an answer, else the failure (e.g. {@code "491 Request Pending"})
         * @throws AssertionError if no re-INVITE waits for an answer
         */
        public final void answerReoffer(MediaDescription answer, int status, String reason) {
            ReofferListener reofferListener;
            synchronized (reoffers) {
                reofferListener = reoffers.poll();
            }
            if (reofferListener == null) {
                throw new AssertionError("no re-INVITE waits for an answer; the engine did " + actions());
            }
            reofferListener.onAnswered(answer, status, reason);
            awaitTakenIn();
        }

        /** Returns the {@code info <key> <duration>} actions so far, in order. */
        public final List<String> infos() {
            return actions().stream().filter(a -> a.startsWith("info ")).toList();
        }

        /** The far end hangs up: a BYE (cause 200 unless its Reason says otherwise), or a CANCEL (487). */
        public final void remoteHangup(int cause) {
            listener.onRemoteHangup(cause);
            awaitTakenIn();
        }

        /** The far end sends a DTMF key by SIP INFO. */
        public final void infoDtmf(char digit) {
            listener.onDtmf(digit);
            awaitTakenIn();
        }

        /** The far end re-INVITEs with another description (hold, resume, new address). */
        public final void remoteMediaChanged(MediaDescription remote) {
            listener.onRemoteMediaChanged(remote);
            awaitTakenIn();
        }
    }

    /** A leg the engine dialled. */
    public static final class Outbound extends Leg implements OutboundLeg {
        private final SipUri from;
        private final SipUri to;
        private final MediaDescription offer;

        Outbound(SipUri from, SipUri to, MediaDescription offer, LegListener listener) {
            this.from = from;
            this.to = to;
            this.offer = offer;
            this.listener = listener;
        }

        /** Returns the caller the engine dialled from. */
        public SipUri from() {
            return from;
        }

        /** Returns the callee the engine dialled. */
        public SipUri to() {
            return to;
        }

        /** Returns the engine's media offer. */
        public MediaDescription offer() {
            return offer;
        }

        @Override
        public void cancel() {
            act("cancel");
        }

        /** The far end rings without early media (180). */
        public void ring() {
            listener.onProvisional(180, null);
            awaitTakenIn();
        }

        /** The far end rings with early media (183 with SDP). */
        public void earlyMedia() {
            listener.onProvisional(183, FAR_END_MEDIA);
            awaitTakenIn();
        }

        /** The far end answers (200 OK, acknowledged). */
        public void answer() {
            listener.onAnswered(FAR_END_MEDIA);
            awaitTakenIn();
        }

        /** The far end answers with the given media. */
        public void answer(MediaDescription remote) {
            listener.onAnswered(remote);
            awaitTakenIn();
        }

        /** The dial fails with a final response (486 Busy Here, 408 when nothing answered, ...). */
        public void fail(int status, String reason) {
            listener.onFailed(status, reason);
            awaitTakenIn();
        }
    }

    /** A call offered to the engine. */
    public static final class Inbound extends Leg implements InboundLeg {
        private final SipUri from;
        private final SipUri to;
        private final MediaDescription offer;
        private volatile boolean rung;

        Inbound(SipUri from, SipUri to, MediaDescription offer) {
            this.from = from;
            this.to = to;
            this.offer = offer;
        }

        @Override
        public SipUri from() {
            return from;
        }

        @Override
        public SipUri to() {
            return to;
        }

        @Override
        public Optional<MediaDescription> offer() {
            return Optional.ofNullable(offer);
        }

        @Override
        public void answer(MediaDescription local) {
            act("answer");
        }

        @Override
        public void reject(int status) {
            act("reject " + status);
        }

        /** Records {@code reject <status> retry-after <seconds>}. */
        @Override
        public void reject(int status, Duration retryAfter) {
            act("reject " + status + " retry-after " + retryAfter.toSeconds());
        }

        @Override
        public void redirect(SipUri target) {
            act("redirect " + target);
        }

        @Override
        public void ring() {
            // Not one of the actions: tests that count actions predate ringing being the engine's decision.
            rung = true;
        }

        /** Returns whether the engine let the caller hear it ring (offered the call to the application). */
        public boolean rung() {
            return rung;
        }

        /** The caller acknowledges the engine's 200 OK (with its answer when the INVITE had no offer). */
        public void confirm() {
            listener.onConfirmed(offer == null ? FAR_END_MEDIA : null);
            awaitTakenIn();
        }

        /** No ACK arrives for the engine's 200 OK. */
        public void failNoAck() {
            listener.onGaveUp(408, "no ACK");
            awaitTakenIn();
        }
    }
}
