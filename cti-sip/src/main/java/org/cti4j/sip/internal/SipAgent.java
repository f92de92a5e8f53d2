package org.cti4j.sip.internal;

import gov.nist.javax.sip.ClientTransactionExt;
import gov.nist.javax.sip.clientauthutils.AuthenticationHelper;
import gov.nist.javax.sip.clientauthutils.UserCredentials;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import javax.sip.ClientTransaction;
import javax.sip.SipProvider;
import javax.sip.TransactionUnavailableException;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import org.cti4j.api.EngineFailureException;
import org.cti4j.api.EngineStatistics;
import org.cti4j.api.SipUri;
import org.cti4j.core.spi.LegListener;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.OutboundLeg;
import org.cti4j.core.spi.SerialExecutor;
import org.cti4j.core.spi.SignalingProvider.InboundCallHandler;
import org.cti4j.sip.RegistrationListener;
import org.cti4j.sip.SipAccount;
import org.cti4j.sip.SipConfig;
import org.cti4j.sip.SipCredential;
import org.cti4j.sip.SipRegistration;
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
    /** The registrations, by the Call-IDs of their REGISTERs and keep-alives. */
    private final Map<String, Registration> registering = new ConcurrentHashMap<>();
    /** The registrations, in the order the accounts are configured. */
    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private final List<RegistrationListener> registrationListeners = new CopyOnWriteArrayList<>();
    /** Answers 500 to a request whose handling failed, if it still owes a final response. */
    private final HandlingFailures failures = new HandlingFailures(event -> this.responder.respond(event, 500,
            "Server Internal Error"));
    /** Requests sent again by the stack's retransmission timers (RFC 3261 timers A and E). */
    private final LongAdder retransmissionsSent = new LongAdder();
    private StackHost stack;
    private volatile MessageCounter received;
    /** Drops the responses nothing waits for, and counts them. */
    private volatile StrayResponses strays;
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
            received = stack.valve(MessageCounter.class);
            StrayResponses dropping = stack.valve(StrayResponses.class);
            if (dropping != null) {
                dropping.admit(callId -> legs.containsKey(callId) || registering.containsKey(callId));
            }
            strays = dropping;
            responder = new Responder(stack);
            challenger = config.inboundRealm() != null
                    ? new DigestChallenger(config.inboundRealm(), config.inboundUsers(), stack.headers()) : null;
            startAudit();
            for (SipAccount account : config.accounts()) {
                Registration registration = new Registration(this, account, this::registrationChanged);
                registering.put(registration.callId(), registration);
                registering.put(registration.keepAliveCallId(), registration);
                registrations.add(registration);
            }
        } catch (Exception e) {
            close();
            throw new EngineFailureException("cannot listen for SIP on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        String advertised = config.advertisedAddress();
        log.info("SIP listening on {}:{} (udp, tcp){}{}", config.host(), stack.port(),
                tls == null ? "" : " and " + stack.tlsPort() + " (tls)",
                advertised.equals(config.host()) ? "" : ", advertised as " + advertised);
        registrations.forEach(Registration::start);
    }

    private void registrationChanged(SipRegistration now) {
        switch (now.state()) {
            case REGISTERED -> log.info("SIP account {} ({}): registered until {}", now.account(), now.aor(),
                    now.expiresAt());
            case FAILED -> log.warn("SIP account {} ({}): registration failed: {}{}; next attempt at {}",
                    now.account(), now.aor(), now.status() == 0 ? "" : now.status() + " ", now.reason(),
                    now.retryAt());
            default -> log.info("SIP account {} ({}): {}{}", now.account(), now.aor(),
                    now.state().name().toLowerCase(java.util.Locale.ROOT),
                    now.reason().isEmpty() ? "" : " (" + now.reason() + ")");
        }
        for (RegistrationListener listener : registrationListeners) {
            try {
                listener.onRegistrationChanged(now);
            } catch (RuntimeException e) {
                log.warn("a registration listener failed on {}", now, e);
            }
        }
    }

    /** See {@link org.cti4j.sip.SipSignalingProvider#registrations}. */
    public List<SipRegistration> registrations() {
        return registrations.stream().map(Registration::current).toList();
    }

    /** See {@link org.cti4j.sip.SipSignalingProvider#statistics}. */
    public EngineStatistics.Signaling statistics() {
        MessageCounter counter = received;
        List<EngineStatistics.Registration> states = registrations.stream().map(Registration::current)
                .map(r -> new EngineStatistics.Registration(r.account(), r.aor(), r.registered())).toList();
        StrayResponses dropping = strays;
        long dropped = dropping == null ? 0 : dropping.dropped();
        return counter == null ? new EngineStatistics.Signaling(0, 0, 0, retransmissionsSent.sum(), dropped, states)
                : new EngineStatistics.Signaling(counter.requests(), counter.responses(), counter.retransmissions(),
                        retransmissionsSent.sum(), dropped, states);
    }

    /** Counts a request the stack sent again (a client transaction's retransmission timer fired). */
    void retransmitted() {
        retransmissionsSent.increment();
    }

    /**
     * Returns a client transaction for {@code request} that tells the listener each time the stack sends it again
     * (a {@link javax.sip.Timeout#RETRANSMIT} timeout, which {@link RequestRouter} counts and otherwise ignores).
     */
    ClientTransaction clientTransaction(Request request) throws TransactionUnavailableException {
        ClientTransaction transaction = sipProvider().getNewClientTransaction(request);
        notifyOnRetransmit(transaction);
        return transaction;
    }

    /** Has the stack tell the listener each time it sends {@code transaction}'s request again. */
    static void notifyOnRetransmit(ClientTransaction transaction) {
        if (transaction instanceof ClientTransactionExt ext) {
            ext.setNotifyOnRetransmit(true);
        }
    }

    /** See {@link org.cti4j.sip.SipSignalingProvider#addRegistrationListener}. */
    public void addRegistrationListener(RegistrationListener listener) {
        registrationListeners.add(Objects.requireNonNull(listener, "listener"));
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
        registrations.forEach(Registration::close);
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
            int ending = unfinished() + unregistering();
            while (ending > 0 && deadline - System.nanoTime() > 0) {
                // Polled: the stack tells nobody when its last transaction goes, and this runs once, at close.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                ending = unfinished() + unregistering();
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

    /** Returns how many accounts are still being unregistered. */
    private int unregistering() {
        return (int) registrations.stream().filter(r -> !r.unregistered().isDone()).count();
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

    /**
     * The credentials answering a challenge of {@code realm} to {@code challenged}: those of the account whose AoR
     * is the request's From, if it has one and they are for that realm; else the first configured ones for it.
     */
    private UserCredentials credentialsFor(ClientTransaction challenged, String realm) {
        Optional<SipAccount> account = challenged == null ? Optional.empty()
                : accountOf(challenged.getRequest());
        if (account.isPresent() && (account.get().realm().isEmpty() || account.get().realm().equals(realm))) {
            return credentials(account.get().username(), account.get().password(), realm);
        }
        for (SipCredential credential : config.credentials()) {
            if (credential.matches(realm)) {
                return credentials(credential.username(), credential.password(), realm);
            }
        }
        return null;
    }

    private static UserCredentials credentials(String username, String password, String realm) {
        return new UserCredentials() {
            @Override
            public String getUserName() {
                return username;
            }

            @Override
            public String getPassword() {
                return password;
            }

            @Override
            public String getSipDomain() {
                return realm;
            }
        };
    }

    /** The account whose AoR is the From of {@code request}, if any. */
    private Optional<SipAccount> accountOf(javax.sip.message.Request request) {
        if (config.accounts().isEmpty() || !(request.getHeader(javax.sip.header.FromHeader.NAME)
                instanceof javax.sip.header.FromHeader from) || !(from.getAddress().getURI()
                instanceof javax.sip.address.SipURI uri)) {
            return Optional.empty();
        }
        return config.accounts().stream().filter(a -> a.aor().user().equals(uri.getUser())
                && a.aor().host().equalsIgnoreCase(uri.getHost())).findFirst();
    }

    /**
     * The proxy an outbound call from {@code from} is routed through: the outbound proxy of the account whose AoR
     * {@code from} is, else the configured one, else none.
     */
    SipUri outboundProxy(SipUri from) {
        SipUri proxy = config.accountOf(from).map(SipAccount::outboundProxy).orElse(null);
        return proxy != null ? proxy : config.outboundProxy();
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

    /** Describes the live legs (Call-ID, direction, state), for test messages. */
    public String legDetail() {
        return legs.values().toString();
    }

    /** Returns how many throwables were caught while handling SIP events. */
    public long handlingFailures() {
        return failures.count();
    }

    /** Returns how many dialogs and transactions the stack holds. */
    public int stackObjects() {
        return stack == null ? 0 : stack.objects();
    }

    /** Returns how many client transactions still reach a dialog that has ended; for tests. */
    public int transactionsHoldingEndedDialogs() {
        return stack == null ? 0 : stack.holdingEndedDialogs();
    }

    /** Returns how many client transactions of {@code method} the stack holds; for tests. */
    public int stackClientTransactions(String method) {
        return stack == null ? 0 : stack.clientTransactions(method);
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
        return !config.credentials().isEmpty() || !config.accounts().isEmpty();
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

    Optional<Registration> registration(String callId) {
        return callId == null ? Optional.empty() : Optional.ofNullable(registering.get(callId));
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
