package org.cti4j.sip;

import java.util.List;
import java.util.Objects;
import org.cti4j.api.EngineStatistics;
import org.cti4j.api.SipUri;
import org.cti4j.core.spi.LegListener;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.OutboundLeg;
import org.cti4j.core.spi.SignalingProvider;
import org.cti4j.sip.internal.SipAgent;

/**
 * The JAIN-SIP {@link SignalingProvider}: a SIP user agent listening on UDP and TCP (and TLS, when configured) that
 * places outbound legs (UAC) and offers inbound ones (UAS) to the engine. Build an engine with it, or let the engine
 * find it through {@link SipSignalingProviderFactory}.
 *
 * <p>JAIN-SIP delivers every message on a stack thread; the provider only routes it, by Call-ID, to the leg's
 * serial executor, where the leg's state lives. Commands from the engine go to the same executor, so a leg is never
 * touched by two threads at once and the stack thread never waits. Requests outside any call are answered here:
 * OPTIONS with 200 (load balancers probe with it), unknown methods with 501, unsupported ones with 405, in-dialog
 * requests for unknown calls with 481.
 *
 * <p>Each configured {@link SipAccount} is registered with its registrar once the provider starts, kept registered,
 * and unregistered at {@link #close()}; {@link #registrations()} tells where each stands.
 *
 * <p>The stack is bounded where JAIN-SIP's defaults are not: a fixed thread pool, a maximum message size, TCP read
 * timeouts and a connection limit; log4j is replaced by SLF4J (see the package documentation). After
 * {@link #close()} no thread the provider or its stack started remains.
 */
public final class SipSignalingProvider implements SignalingProvider {

    private final SipConfig config;
    private final SipAgent agent;

    /** Creates a provider; {@link #start} binds it. */
    public SipSignalingProvider(SipConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.agent = new SipAgent(config);
    }

    /** Returns the port it listens on (known after {@link #start}; the free one picked when configured with 0). */
    public int port() {
        return agent.port();
    }

    /**
     * Returns the port it listens on for SIP over TLS (known after {@link #start}; the free one picked when configured
     * with 0), or 0 when TLS is not configured ({@link SipConfig#tls()}).
     */
    public int tlsPort() {
        return agent.tlsPort();
    }

    /** Returns the address it listens on. */
    public String host() {
        return config.host();
    }

    /** Returns the configuration. */
    public SipConfig config() {
        return config;
    }

    /**
     * Binds the port and starts the stack; inbound calls go to {@code inboundHandler}, on a stack thread.
     *
     * @throws org.cti4j.api.EngineFailureException if the port cannot be bound or the stack not started
     */
    @Override
    public void start(InboundCallHandler inboundHandler) {
        agent.start(inboundHandler);
    }

    /**
     * Places an outbound call; the INVITE leaves on the leg's executor, and {@code listener} hears of it there.
     *
     * @throws org.cti4j.api.EngineFailureException if the provider is closed
     */
    @Override
    public OutboundLeg dial(SipUri from, SipUri to, MediaDescription offer, LegListener listener) {
        return agent.dial(from, to, offer, listener);
    }

    /**
     * Closes the provider: refuses new calls (503) and dials, lets what the legs have queued leave, waits for it to be
     * answered, then stops the stack and its threads. Safe to call twice.
     *
     * <p>The engine ends every call before it closes its providers, but the BYEs, CANCELs and final responses of those
     * calls are only queued on the legs' executors then; stopping the stack at once would lose them ("Could not create
     * message channel"). So this method first waits for every leg's executor to run what was queued before it, then for
     * the requests in flight to finish (the 200 to each BYE, the 200 to each CANCEL and the 487 of its INVITE, the ACK
     * of each refusal sent, the answer to each request received) and the dialogs of the ended calls to terminate, at
     * most {@link SipConfig#closeDrain()} in all (4 s by default; a peer that never answers costs that much). Legs
     * still live (nobody ended them) are abandoned without a BYE. It blocks the calling thread for that time, so it must
     * not be called on a leg's executor or a thread of the stack (the engine calls it on a thread of its own).
     */
    @Override
    public void close() {
        agent.close();
    }

    /**
     * Returns the SIP messages received since the start (every transport; retransmissions included, and counted
     * apart), the requests the stack sent again for want of an answer, and whether each account is registered. The
     * responses the stack resends itself (a 2xx to an INVITE until its ACK comes) are not counted.
     */
    @Override
    public EngineStatistics.Signaling statistics() {
        return agent.statistics();
    }

    /**
     * Returns where the registration of each configured account stands, in the order the accounts are configured;
     * empty before {@link #start} and without accounts.
     */
    public List<SipRegistration> registrations() {
        return agent.registrations();
    }

    /**
     * Adds a listener that hears every change of a registration's state (and each failed retry). Add it before
     * {@link #start} to hear the first REGISTER's outcome.
     */
    public void addRegistrationListener(RegistrationListener listener) {
        agent.addRegistrationListener(listener);
    }

    /** Returns how many dialogs and transactions the stack holds: for leak checks. */
    public int stackObjects() {
        return agent.stackObjects();
    }

    /** Returns how many legs are live. */
    public int liveLegs() {
        return agent.liveLegs();
    }

    /**
     * Returns how many throwables were caught while handling SIP events since {@link #start}: on the stack's
     * threads, on the legs' executors and on the provider's timers. Each is logged (rate-limited) and, where the
     * request still owed a final response, answered with 500; a healthy provider reports 0. For monitoring and tests.
     */
    public long handlingFailures() {
        return agent.handlingFailures();
    }

    /** Returns how many transactions were unfinished when {@link #close()} stopped the stack; -1 before. */
    int unfinishedAtStop() {
        return agent.unfinishedAtStop();
    }

    /** Returns how many client transactions still reach a dialog that has ended: for leak checks. */
    int transactionsHoldingEndedDialogs() {
        return agent.transactionsHoldingEndedDialogs();
    }

    /** Returns how many client transactions of {@code method} the stack holds: for leak checks. */
    int stackClientTransactions(String method) {
        return agent.stackClientTransactions(method);
    }

    /** Returns how many dialogs the stack holds: for leak checks. */
    int stackDialogs() {
        return agent.stackDialogs();
    }

    /** Describes the live legs (Call-ID, direction, state), for test messages. */
    String legDetail() {
        return agent.legDetail();
    }

    /** Returns the stack's dialogs, client and server transactions, for test messages. */
    String stackDetail() {
        return agent.stackDetail();
    }
}
