package org.cti4j.sip;

import gov.nist.javax.sip.SipStackExt;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.clientauthutils.AuthenticationHelper;
import gov.nist.javax.sip.clientauthutils.UserCredentials;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.cti4j.api.EngineFailureException;
import org.cti4j.api.SipUri;
import org.cti4j.core.internal.Strand;
import org.cti4j.core.spi.LegListener;
import org.cti4j.core.spi.MediaDescription;
import org.cti4j.core.spi.OutboundLeg;
import org.cti4j.core.spi.SignalingProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JAIN-SIP {@link SignalingProvider}: a SIP user agent listening on UDP and TCP that places outbound legs (UAC)
 * and offers inbound ones (UAS) to the engine.
 *
 * <p>JAIN-SIP delivers every message on one stack thread; this class only routes it, by Call-ID, to the leg's
 * {@link Strand}, where the leg's state lives. Commands from the engine go to the same strand, so a leg is never
 * touched by two threads at once and the stack thread never waits. Requests outside any call are answered here:
 * OPTIONS with 200 (load balancers probe with it), unknown methods with 501, unsupported ones with 405, in-dialog
 * requests for unknown calls with 481.
 *
 * <p>The stack is bounded where JAIN-SIP's defaults are not: a fixed thread pool, a maximum message size, TCP read
 * timeouts and a connection limit; log4j is replaced by {@link Slf4jStackLogger} and {@link Slf4jServerLogger}.
 */
public final class SipSignalingProvider implements SignalingProvider {

    private static final Logger log = LoggerFactory.getLogger(SipSignalingProvider.class);
    private static final AtomicInteger STACKS = new AtomicInteger();
    static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO";
    /** Marks the event that wakes the stack's event scanner so that it sees it was stopped. */
    private static final String WAKE_UP = "cti4j-stop";
    /** How often dialogs without a leg are looked for; one is ended when seen twice. */
    private static final long AUDIT_SECONDS = 5;

    private final SipConfig config;
    private final Map<String, SipLeg> legs = new ConcurrentHashMap<>();
    /** Answers 500 to a request whose handling failed, if it still owes a final response. */
    private final HandlingFailures failures = new HandlingFailures(event -> respond(event, 500,
            "Server Internal Error"));
    private SipStack stack;
    private SipProvider provider;
    private AddressFactory addressFactory;
    private HeaderFactory headerFactory;
    private MessageFactory messageFactory;
    private AuthenticationHelper authHelper;
    private DigestChallenger challenger;
    private ExecutorService pool;
    private ScheduledExecutorService timers;
    private volatile InboundCallHandler handler;
    private volatile boolean closed;
    /** How many transactions were unfinished when the stack stopped; -1 before. */
    private volatile int unfinishedAtStop = -1;
    private int port;

    /** Creates a provider; {@link #start} binds it. */
    public SipSignalingProvider(SipConfig config) {
        this.config = java.util.Objects.requireNonNull(config, "config");
    }

    /** Returns the port it listens on (known after {@link #start}; the free one picked when configured with 0). */
    public int port() {
        return port;
    }

    /** Returns the address it listens on. */
    public String host() {
        return config.host();
    }

    /** Returns the configuration. */
    public SipConfig config() {
        return config;
    }

    @Override
    public void start(InboundCallHandler inboundHandler) {
        this.handler = java.util.Objects.requireNonNull(inboundHandler, "inboundHandler");
        try {
            port = config.port() != 0 ? config.port() : freePort(config.host());
            SipFactory factory = SipFactory.getInstance();
            factory.setPathName("gov.nist");
            stack = factory.createSipStack(StackProperties.of(config, "cti4j-" + STACKS.incrementAndGet()));
            addressFactory = factory.createAddressFactory();
            headerFactory = factory.createHeaderFactory();
            messageFactory = factory.createMessageFactory();
            ListeningPoint udp = stack.createListeningPoint(config.host(), port, ListeningPoint.UDP);
            ListeningPoint tcp = stack.createListeningPoint(config.host(), port, ListeningPoint.TCP);
            provider = stack.createSipProvider(udp);
            provider.addListeningPoint(tcp);
            provider.addSipListener(new Events());
            authHelper = ((SipStackExt) stack).getAuthenticationHelper(this::credentialsFor, headerFactory);
            challenger = config.inboundRealm() != null
                    ? new DigestChallenger(config.inboundRealm(), config.inboundUsers(), headerFactory) : null;
            pool = Executors.newFixedThreadPool(config.threads(), daemon("cti4j-sip"));
            ScheduledThreadPoolExecutor timerPool = new ScheduledThreadPoolExecutor(1, daemon("cti4j-sip-timer"));
            // A cancelled ACK timer must not keep its leg (and the leg's dialog and messages) until it would fire.
            timerPool.setRemoveOnCancelPolicy(true);
            timers = timerPool;
            stack.start();
            timers.scheduleWithFixedDelay(this::auditStack, AUDIT_SECONDS, AUDIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new EngineFailureException("cannot listen for SIP on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        log.info("SIP listening on {}:{} (udp, tcp)", config.host(), port);
    }

    private static int freePort(String host) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        for (int attempt = 0; attempt < 20; attempt++) {
            int candidate;
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, 0))) {
                candidate = udp.getLocalPort();
            }
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.bind(new InetSocketAddress(address, candidate));
                return candidate;
            } catch (IOException taken) {
                // The TCP port is in use; try another.
            }
        }
        throw new IOException("no port free for both UDP and TCP on " + host);
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public OutboundLeg dial(SipUri from, SipUri to, MediaDescription offer, LegListener listener) {
        if (closed) {
            throw new EngineFailureException("the SIP provider is closed");
        }
        String callId = provider.getNewCallId().getCallId();
        UacLeg leg = new UacLeg(this, callId, from, to, offer, listener);
        legs.put(callId, leg);
        leg.strand().execute(leg::sendInvite);
        return leg;
    }

    /**
     * Closes the provider: refuses new calls (503) and dials, lets what the legs have queued leave, waits for it to be
     * answered, then stops the stack and its threads. Safe to call twice.
     *
     * <p>The engine ends every call before it closes its providers, but the BYEs, CANCELs and final responses of those
     * calls are only queued on the legs' strands then; stopping the stack at once would lose them ("Could not create
     * message channel"). So this method first waits for every leg's strand to run what was queued before it, then for
     * the requests in flight to finish (the 200 to each BYE, the 200 to each CANCEL and the 487 of its INVITE, the ACK
     * of each refusal sent, the answer to each request received) and the dialogs of the ended calls to terminate, at
     * most {@link SipConfig#closeDrain()} in all (4 s by default; a peer that never answers costs that much). Legs
     * still live (nobody ended them) are abandoned without a BYE. It blocks the calling thread for that time, so it must
     * not be called on a leg's strand or a thread of the stack (the engine calls it on a thread of its own).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (stack != null && pool != null) {
            drain(System.nanoTime() + config.closeDrain().toNanos());
        }
        for (SipLeg leg : legs.values()) {
            leg.strand().execute(leg::abandon);
        }
        legs.clear();
        if (stack != null) {
            unfinishedAtStop = StackTransactions.unfinished(stack);
            stopStack();
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
        java.util.concurrent.CountDownLatch flushed = new java.util.concurrent.CountDownLatch(live.size());
        for (SipLeg leg : live) {
            leg.strand().execute(flushed::countDown);
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
                Thread.sleep(10);
                ending = unfinished();
            }
            if (ending > 0) {
                log.info("closing SIP: {} requests or calls still unfinished after {} ms ({}); stopping anyway",
                        ending, config.closeDrain().toMillis(), StackTransactions.describeUnfinished(stack));
            }
            StackTransactions.settle(stack);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Returns what closing still waits for: the unfinished transactions (a BYE or CANCEL not answered, the 487 of a
     * cancelled INVITE not received, a refusal not acknowledged, a request not answered) and the dialogs of ended
     * calls not terminated.
     */
    private int unfinished() {
        return StackTransactions.unfinished(stack) + endingDialogs();
    }

    /**
     * Returns how many dialogs of ended calls are not finished yet: their BYE unanswered, or their INVITE not
     * answered after a CANCEL. Dialogs of legs still live are not counted: nothing will end them.
     */
    private int endingDialogs() {
        if (!(stack instanceof SipStackImpl impl)) {
            return 0;
        }
        int ending = 0;
        for (javax.sip.Dialog dialog : impl.getDialogs()) {
            if (dialog.getState() != javax.sip.DialogState.TERMINATED
                    && !legs.containsKey(dialog.getCallId().getCallId())) {
                ending++;
            }
        }
        return ending;
    }

    private void stopStack() {
        if (provider != null) {
            try {
                stack.deleteSipProvider(provider);
            } catch (Exception e) {
                log.debug("deleting the SIP provider: {}", e.toString());
            }
        }
        // Taken before stop(), which forgets it.
        gov.nist.javax.sip.EventScanner scanner = stack instanceof SipStackImpl impl ? impl.getEventScanner() : null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                stack.stop();
                // stop() leaves the stack's EventScannerThread running (it is reference-counted and never reaches
                // zero): a non-daemon thread that would keep the application's JVM from exiting.
                if (scanner != null) {
                    // The scanner checks its flag only between events: hand it one it ignores, to wake it.
                    scanner.forceStop();
                    scanner.addEvent(new gov.nist.javax.sip.EventWrapper(
                            new IOExceptionEvent(this, WAKE_UP, 0, "none"), null));
                }
                return;
            } catch (RuntimeException e) {
                // JAIN-SIP 1.3.0-91 can throw ConcurrentModificationException from UDPMessageProcessor.stop while
                // its channel threads finish; the processors not yet stopped are stopped by the next attempt.
                log.debug("stopping the SIP stack, attempt {}: {}", attempt, e.toString());
            }
        }
        log.warn("the SIP stack on port {} did not stop cleanly", port);
    }

    /** Returns how many dialogs and transactions the stack holds: for leak checks. */
    public int stackObjects() {
        if (!(stack instanceof SipStackImpl impl)) {
            return 0;
        }
        return impl.getDialogs().size() + impl.getClientTransactionTableSize() + impl.getServerTransactionTableSize();
    }

    /**
     * Ends dialogs of calls that have no leg any more. With LINGER_TIMER at 0 a terminated dialog leaves the stack at
     * once, but a 200 OK retransmitted after the call ended makes JAIN-SIP create and keep a new dialog for it (1 call
     * in ~100 when the machine is loaded), which then stays forever; the 8 s linger used to hide this only for
     * re-added dialogs it had not yet swept. JAIN-SIP's own audit terminates dialogs whose Call-ID it is not given
     * once they have been seen twice, {@code AUDIT_SECONDS} apart. Transactions are left to their RFC 3261 timers.
     */
    private void auditStack() {
        if (stack instanceof SipStackImpl impl && !closed) {
            try {
                impl.auditStack(java.util.Set.copyOf(legs.keySet()), AUDIT_SECONDS * 1000L, Long.MAX_VALUE);
            } catch (RuntimeException | Error e) {
                // A scheduled task that throws is never run again: the audit must survive anything.
                failures.record("the stack audit", e);
            }
        }
    }

    /** Returns how many transactions were unfinished when {@link #close()} stopped the stack; -1 before. */
    int unfinishedAtStop() {
        return unfinishedAtStop;
    }

    /** Returns how many dialogs the stack holds: for leak checks. */
    int stackDialogs() {
        return stack instanceof SipStackImpl impl ? impl.getDialogs().size() : 0;
    }

    /** Returns the stack's dialogs, client and server transactions, for test messages. */
    String stackDetail() {
        if (!(stack instanceof SipStackImpl impl)) {
            return "no stack";
        }
        return "dialogs=" + impl.getDialogs().size() + " client-tx=" + impl.getClientTransactionTableSize()
                + " server-tx=" + impl.getServerTransactionTableSize();
    }

    /** Returns how many legs are live. */
    public int liveLegs() {
        return legs.size();
    }

    /**
     * Returns how many throwables were caught while handling SIP events since {@link #start}: on the stack's
     * threads, on the legs' strands and on the provider's timers. Each is logged (rate-limited) and, where the
     * request still owed a final response, answered with 500; a healthy provider reports 0. For monitoring and tests.
     */
    public long handlingFailures() {
        return failures.count();
    }

    // ---- for the legs ----

    SipProvider sipProvider() {
        return provider;
    }

    AddressFactory addresses() {
        return addressFactory;
    }

    HeaderFactory headers() {
        return headerFactory;
    }

    MessageFactory messages() {
        return messageFactory;
    }

    AuthenticationHelper authHelper() {
        return authHelper;
    }

    boolean hasCredentials() {
        return !config.credentials().isEmpty();
    }

    Strand newStrand(String name) {
        return new Strand(name, pool);
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    void forget(SipLeg leg) {
        legs.remove(leg.callId(), leg);
    }

    private UserCredentials credentialsFor(ClientTransaction challenged, String realm) {
        List<SipCredential> all = config.credentials();
        for (SipCredential credential : all) {
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

    /**
     * Answers {@code request} on its server transaction (created if needed, found if made before); a duplicate is
     * dropped quietly, and a final response is sent only if the transaction has not sent one yet.
     *
     * @param extra headers to add, e.g. {@code Accept} to a 415
     */
    void respond(RequestEvent event, int status, String reason, javax.sip.header.Header... extra) {
        send(event, true, status, reason, extra);
    }

    /**
     * Answers a request that the stack could read but that must be refused (RFC 4475's malformed ones) without a
     * transaction: no state is kept for it, and a retransmission is simply refused again (RFC 3261 8.2.7).
     */
    void refuse(RequestEvent event, int status, String reason, javax.sip.header.Header... extra) {
        send(event, false, status, reason, extra);
    }

    private void send(RequestEvent event, boolean stateful, int status, String reason,
            javax.sip.header.Header... extra) {
        try {
            Response response = messages().createResponse(status, event.getRequest());
            if (reason != null) {
                response.setReasonPhrase(reason);
            }
            for (javax.sip.header.Header header : extra) {
                response.addHeader(header);
            }
            if (status == 405 || event.getRequest().getMethod().equals(Request.OPTIONS)) {
                response.addHeader(headers().createAllowHeader(ALLOW));
            }
            if (status > 100 && ((ToHeader) response.getHeader(ToHeader.NAME)).getTag() == null) {
                ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(Long.toHexString(System.nanoTime()));
            }
            ServerTransaction transaction = stateful ? serverTransaction(event) : event.getServerTransaction();
            if (stateful && transaction == null) {
                // Made before for this very request: a failure after it was made must still be answered on it.
                transaction = existing(event.getRequest());
            }
            if (transaction != null) {
                if (status >= 200 && !owesFinalResponse(transaction)) {
                    return;
                }
                transaction.sendResponse(response);
            } else {
                provider.sendResponse(response);
            }
        } catch (Exception e) {
            log.debug("cannot answer {} with {}: {}", event.getRequest().getMethod(), status,
                    HandlingFailures.cut(e.toString()));
        }
    }

    /** Returns whether {@code transaction} has not sent its final response yet. */
    static boolean owesFinalResponse(ServerTransaction transaction) {
        javax.sip.TransactionState state = transaction.getState();
        return state == null || state == javax.sip.TransactionState.TRYING
                || state == javax.sip.TransactionState.PROCEEDING;
    }

    /** Returns the event's server transaction, creating it; {@code null} if it cannot be had (a retransmission). */
    ServerTransaction serverTransaction(RequestEvent event) {
        ServerTransaction transaction = event.getServerTransaction();
        if (transaction != null) {
            return transaction;
        }
        if (event.getRequest().getMethod().equals(Request.ACK)) {
            return null;
        }
        try {
            return provider.getNewServerTransaction(event.getRequest());
        } catch (Exception e) {
            log.debug("no server transaction for {}: {}", event.getRequest().getMethod(),
                    HandlingFailures.cut(e.toString()));
            return null;
        }
    }

    private ServerTransaction existing(Request request) {
        if (stack instanceof SipStackImpl impl && request instanceof gov.nist.javax.sip.message.SIPRequest sip) {
            return impl.findTransaction(sip, true) instanceof ServerTransaction found ? found : null;
        }
        return null;
    }

    private static String callId(javax.sip.message.Message message) {
        CallIdHeader header = (CallIdHeader) message.getHeader(CallIdHeader.NAME);
        return header == null ? null : header.getCallId();
    }

    /**
     * Routes every stack event to the leg it belongs to. Runs on the stack's event thread; never blocks. Nothing
     * escapes it: JAIN-SIP 1.3.0-91 catches only {@code Exception} around the listener, so an {@link Error} (a
     * {@code StackOverflowError} from a hostile header, say) would kill the stack's worker thread, and with all of
     * them dead no SIP message is ever handled again. Every throwable is recorded in {@link HandlingFailures}, and a
     * request that still owes a final response gets 500.
     */
    private final class Events implements SipListener {

        @Override
        public void processRequest(RequestEvent event) {
            try {
                route(event);
            } catch (RuntimeException | Error e) {
                failures.failed(event, e);
            }
        }

        private void route(RequestEvent event) {
            Request request = event.getRequest();
            String malformed = RequestScreen.refusal(request);
            if (malformed != null) {
                if (!request.getMethod().equals(Request.ACK)) {
                    refuse(event, Integer.parseInt(malformed.substring(0, 3)), malformed.substring(4));
                }
                return;
            }
            String method = request.getMethod();
            javax.sip.header.Header[] unsupported = RequestScreen.unsupported(request, headers());
            if (unsupported.length > 0) {
                refuse(event, 420, "Bad Extension", unsupported);
                return;
            }
            String callId = callId(request);
            SipLeg leg = callId == null ? null : legs.get(callId);
            boolean inDialog = ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null;
            switch (method) {
                case Request.INVITE -> {
                    if (leg != null && inDialog) {
                        ServerTransaction transaction = serverTransaction(event);
                        leg.strand().execute(failures.guarded(event, () -> leg.onReInvite(event, transaction)));
                    } else if (leg == null && !inDialog) {
                        newCall(event);
                    } else if (leg == null) {
                        respond(event, 481, "Call/Transaction Does Not Exist");
                    }
                    // leg != null && !inDialog: a retransmitted INVITE, absorbed by its transaction.
                }
                case Request.ACK -> {
                    if (leg != null) {
                        leg.strand().execute(failures.guarded("ACK " + callId, () -> leg.onAck(request)));
                    }
                }
                case Request.BYE, Request.CANCEL, Request.INFO -> {
                    if (leg == null) {
                        respond(event, 481, "Call/Transaction Does Not Exist");
                        return;
                    }
                    ServerTransaction transaction = serverTransaction(event);
                    leg.strand().execute(failures.guarded(event, () -> leg.onRequest(event, transaction)));
                }
                case Request.OPTIONS -> respond(event, 200, null);
                case Request.REGISTER, Request.SUBSCRIBE, Request.NOTIFY, Request.MESSAGE, Request.PUBLISH,
                        Request.REFER, Request.UPDATE, Request.PRACK -> respond(event, 405, "Method Not Allowed");
                default -> respond(event, 501, "Not Implemented");
            }
        }

        private void newCall(RequestEvent event) {
            if (closed || handler == null) {
                respond(event, 503, "Service Unavailable");
                return;
            }
            if (challenger != null && !challenger.authorized(event.getRequest())) {
                challenger.challenge(SipSignalingProvider.this, event);
                return;
            }
            ServerTransaction transaction = event.getServerTransaction();
            if (transaction == null) {
                try {
                    transaction = provider.getNewServerTransaction(event.getRequest());
                } catch (javax.sip.TransactionAlreadyExistsException e) {
                    // A retransmission: its transaction answers it.
                    return;
                } catch (javax.sip.TransactionUnavailableException e) {
                    refuse(event, 400, "Bad Request: " + HandlingFailures.cut(e.getMessage()));
                    return;
                }
            }
            UasLeg leg = UasLeg.accept(SipSignalingProvider.this, event, transaction);
            if (leg == null) {
                return;
            }
            legs.put(leg.callId(), leg);
            LegListener listener;
            try {
                listener = handler.onInboundCall(leg);
            } catch (RuntimeException | Error e) {
                // The engine could not take the call: the leg must not stay, and the INVITE is answered 500.
                legs.remove(leg.callId(), leg);
                leg.strand().execute(leg::abandon);
                throw e;
            }
            leg.strand().execute(failures.guarded(event, () -> leg.offered(listener)));
        }

        @Override
        public void processResponse(ResponseEvent event) {
            try {
                Response response = event.getResponse();
                SipLeg leg = legs.get(callId(response));
                if (leg == null) {
                    return;
                }
                CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
                leg.strand().execute(failures.guarded("a response to " + cseq.getMethod() + " " + leg.callId(),
                        () -> leg.onResponse(event, cseq.getMethod())));
            } catch (RuntimeException | Error e) {
                failures.record("a response", e);
            }
        }

        @Override
        public void processTimeout(TimeoutEvent event) {
            try {
                if (event.isServerTransaction()) {
                    return;
                }
                ClientTransaction transaction = event.getClientTransaction();
                SipLeg leg = legs.get(callId(transaction.getRequest()));
                if (leg != null) {
                    leg.strand().execute(failures.guarded("a timeout of " + leg.callId(),
                            () -> leg.onTimeout(transaction)));
                }
            } catch (RuntimeException | Error e) {
                failures.record("a transaction timeout", e);
            }
        }

        @Override
        public void processIOException(IOExceptionEvent event) {
            try {
                if (WAKE_UP.equals(event.getHost())) {
                    return;
                }
                log.info("SIP I/O failure towards {}:{}/{}", HandlingFailures.cut(event.getHost()), event.getPort(),
                        event.getTransport());
            } catch (RuntimeException | Error e) {
                failures.record("an I/O failure event", e);
            }
        }

        @Override
        public void processTransactionTerminated(TransactionTerminatedEvent event) {
            // Nothing kept per transaction.
        }

        @Override
        public void processDialogTerminated(DialogTerminatedEvent event) {
            // Legs are forgotten when they end; the stack deletes its dialogs itself.
        }
    }
}
