package org.cti4j.sip.internal;

import gov.nist.javax.sip.clientauthutils.AuthenticationHelper;
import gov.nist.javax.sip.clientauthutils.UserCredentials;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.sip.ClientTransaction;
import javax.sip.SipProvider;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import org.cti4j.api.EngineFailureException;
import org.cti4j.api.SipUri;
import org.cti4j.core.spi.LegListener;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.OutboundLeg;
import org.cti4j.core.spi.SerialExecutor;
import org.cti4j.core.spi.SignalingProvider.InboundCallHandler;
import org.cti4j.sip.SipConfig;
import org.cti4j.sip.SipCredential;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP user agent behind {@link org.cti4j.sip.SipSignalingProvider}: its stack, its legs by Call-ID, the pool
 * their executors run on, its timers, and the way it closes. Not for applications: they use the provider.
 */
public final class SipAgent {

    private static final Logger log = LoggerFactory.getLogger(SipAgent.class);
    /** How often dialogs without a leg are looked for; one is ended when seen twice. */
    private static final long AUDIT_SECONDS = 5;

    private final SipConfig config;
    private final Map<String, SipLeg> legs = new ConcurrentHashMap<>();
    /** Answers 500 to a request whose handling failed, if it still owes a final response. */
    private final HandlingFailures failures = new HandlingFailures(event -> this.responder.respond(event, 500,
            "Server Internal Error"));
    private StackHost stack;
    private Responder responder;
    private DigestChallenger challenger;
    private ExecutorService pool;
    private ScheduledExecutorService timers;
    private volatile InboundCallHandler handler;
    private volatile boolean closed;
    /** How many transactions were unfinished when the stack stopped; -1 before. */
    private volatile int unfinishedAtStop = -1;

    /** Creates an agent; {@link #start} binds it. */
    public SipAgent(SipConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** See {@link org.cti4j.sip.SipSignalingProvider#start}. */
    public void start(InboundCallHandler inboundHandler) {
        this.handler = Objects.requireNonNull(inboundHandler, "inboundHandler");
        // An unreadable store fails the start with its own message, naming the file.
        TlsContext tls = config.tls() != null ? TlsContext.load(config.tls()) : null;
        try {
            pool = Executors.newFixedThreadPool(config.threads(), daemon("cti4j-sip"));
            ScheduledThreadPoolExecutor timerPool = new ScheduledThreadPoolExecutor(1, daemon("cti4j-sip-timer"));
            // A cancelled ACK timer must not keep its leg (and the leg's dialog and messages) until it would fire.
            timerPool.setRemoveOnCancelPolicy(true);
            timers = timerPool;
            stack = StackHost.start(config, new RequestRouter(this), this::credentialsFor, tls);
            responder = new Responder(stack);
            challenger = config.inboundRealm() != null
                    ? new DigestChallenger(config.inboundRealm(), config.inboundUsers(), stack.headers()) : null;
            startAudit();
        } catch (Exception e) {
            close();
            throw new EngineFailureException("cannot listen for SIP on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        String advertised = config.advertisedAddress();
        log.info("SIP listening on {}:{} (udp, tcp){}{}", config.host(), stack.port(),
                tls == null ? "" : " and " + stack.tlsPort() + " (tls)",
                advertised.equals(config.host()) ? "" : ", advertised as " + advertised);
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** See {@link org.cti4j.sip.SipSignalingProvider#dial}. */
    public OutboundLeg dial(SipUri from, SipUri to, MediaDescription offer, LegListener listener) {
        if (closed) {
            throw new EngineFailureException("the SIP provider is closed");
        }
        String callId = stack.provider().getNewCallId().getCallId();
        UacLeg leg = new UacLeg(this, callId, from, to, offer, listener);
        legs.put(callId, leg);
        leg.executor().execute(leg::sendInvite);
        return leg;
    }

    /** See {@link org.cti4j.sip.SipSignalingProvider#close}. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (stack != null) {
            drain(System.nanoTime() + config.closeDrain().toNanos());
        }
        for (SipLeg leg : legs.values()) {
            leg.executor().execute(leg::abandon);
        }
        legs.clear();
        if (stack != null) {
            unfinishedAtStop = stack.unfinishedTransactions();
            stack.stop();
        }
        if (timers != null) {
            timers.shutdownNow();
        }
        if (pool != null) {
            pool.shutdown();
        }
    }

    /** Waits, until {@code deadline}, for the legs' queued work to run and the ended calls' dialogs to finish. */
    private void drain(long deadline) {
        List<SipLeg> live = List.copyOf(legs.values());
        CountDownLatch flushed = new CountDownLatch(live.size());
        for (SipLeg leg : live) {
            leg.executor().execute(flushed::countDown);
        }
        try {
            if (!flushed.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                log.warn("closing SIP: {} of {} legs still had work queued after {} ms", flushed.getCount(),
                        live.size(), config.closeDrain().toMillis());
                return;
            }
            int ending = unfinished();
            while (ending > 0 && deadline - System.nanoTime() > 0) {
                // Polled: the stack tells nobody when its last transaction goes, and this runs once, at close.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                ending = unfinished();
            }
            if (ending > 0) {
                log.info("closing SIP: {} requests or calls still unfinished after {} ms ({}); stopping anyway",
                        ending, config.closeDrain().toMillis(), stack.describeUnfinished());
            }
            stack.settle();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Returns what closing still waits for: the unfinished transactions (a BYE or CANCEL not answered, the 487 of a
     * cancelled INVITE not received, a refusal not acknowledged, a request not answered) and the dialogs of ended
     * calls not terminated (dialogs of legs still live are not counted: nothing will end them).
     */
    private int unfinished() {
        return stack.unfinishedTransactions() + stack.endingDialogs(legs::containsKey);
    }

    /**
     * Ends dialogs of calls that have no leg any more. With LINGER_TIMER at 0 a terminated dialog leaves the stack at
     * once, but a 200 OK retransmitted after the call ended makes JAIN-SIP create and keep a new dialog for it (1 call
     * in ~100 when the machine is loaded), which then stays forever; JAIN-SIP's own audit terminates dialogs whose
     * Call-ID it is not given once they have been seen twice, {@code AUDIT_SECONDS} apart.
     */
    // The audit catches its own failures and ends with the timers' shutdownNow() in close(): its future holds nothing.
    @SuppressWarnings("FutureReturnValueIgnored")
    private void startAudit() {
        timers.scheduleWithFixedDelay(this::auditStack, AUDIT_SECONDS, AUDIT_SECONDS, TimeUnit.SECONDS);
    }

    private void auditStack() {
        if (closed) {
            return;
        }
        try {
            stack.audit(Set.copyOf(legs.keySet()), AUDIT_SECONDS * 1000L);
        } catch (RuntimeException | Error e) {
            // A scheduled task that throws is never run again: the audit must survive anything.
            failures.record("the stack audit", e);
        }
    }

    private UserCredentials credentialsFor(ClientTransaction challenged, String realm) {
        for (SipCredential credential : config.credentials()) {
            if (credential.matches(realm)) {
                return new UserCredentials() {
                    @Override
                    public String getUserName() {
                        return credential.username();
                    }

                    @Override
                    public String getPassword() {
                        return credential.password();
                    }

                    @Override
                    public String getSipDomain() {
                        return realm;
                    }
                };
            }
        }
        return null;
    }

    // ---- what the provider reports ----

    /** Returns the port it listens on (known after {@link #start}). */
    public int port() {
        return stack == null ? 0 : stack.port();
    }

    /** Returns the TLS port it listens on (known after {@link #start}); 0 without TLS. */
    public int tlsPort() {
        return stack == null ? 0 : stack.tlsPort();
    }

    /** Returns the port this side is reached at over {@code transport}: the TLS port for TLS. */
    int port(org.cti4j.sip.SipTransport transport) {
        return transport == org.cti4j.sip.SipTransport.TLS ? tlsPort() : port();
    }

    /** Returns how many legs are live. */
    public int liveLegs() {
        return legs.size();
    }

    /** Returns how many throwables were caught while handling SIP events. */
    public long handlingFailures() {
        return failures.count();
    }

    /** Returns how many dialogs and transactions the stack holds. */
    public int stackObjects() {
        return stack == null ? 0 : stack.objects();
    }

    /** Returns how many dialogs the stack holds. */
    public int stackDialogs() {
        return stack == null ? 0 : stack.dialogs();
    }

    /** Describes the stack's dialogs, client and server transactions, for test messages. */
    public String stackDetail() {
        return stack == null ? "no stack" : stack.detail();
    }

    /** Returns how many transactions were unfinished when {@link #close()} stopped the stack; -1 before. */
    public int unfinishedAtStop() {
        return unfinishedAtStop;
    }

    // ---- for the legs and the router ----

    SipConfig config() {
        return config;
    }

    /** The address this side names in Via, Contact and Warning: the advertised one (the listen host by default). */
    String host() {
        return config.advertisedAddress();
    }

    SipProvider sipProvider() {
        return stack.provider();
    }

    AddressFactory addresses() {
        return stack.addresses();
    }

    HeaderFactory headers() {
        return stack.headers();
    }

    MessageFactory messages() {
        return stack.messages();
    }

    AuthenticationHelper authHelper() {
        return stack.authHelper();
    }

    boolean hasCredentials() {
        return !config.credentials().isEmpty();
    }

    Responder responder() {
        return responder;
    }

    HandlingFailures failures() {
        return failures;
    }

    /** Returns the challenger of inbound calls, if they must authenticate. */
    Optional<DigestChallenger> challenger() {
        return Optional.ofNullable(challenger);
    }

    /** Returns the handler of inbound calls, unless the agent is closed or not started. */
    Optional<InboundCallHandler> inboundHandler() {
        return closed ? Optional.empty() : Optional.ofNullable(handler);
    }

    SerialExecutor newExecutor(String name) {
        return SerialExecutor.create(name, pool);
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    Optional<SipLeg> leg(String callId) {
        return callId == null ? Optional.empty() : Optional.ofNullable(legs.get(callId));
    }

    void add(SipLeg leg) {
        legs.put(leg.callId(), leg);
    }

    void forget(SipLeg leg) {
        legs.remove(leg.callId(), leg);
    }
}
