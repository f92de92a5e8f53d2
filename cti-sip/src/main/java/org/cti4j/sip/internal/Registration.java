package org.cti4j.sip.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sip.ClientTransaction;
import javax.sip.ListeningPoint;
import javax.sip.ResponseEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import gov.nist.javax.sip.ListeningPointExt;
import org.cti4j.api.SipUri;
import org.cti4j.core.spi.SerialExecutor;
import org.cti4j.sip.SipAccount;
import org.cti4j.sip.SipRegistration;
import org.cti4j.sip.SipRegistration.State;
import org.cti4j.sip.SipTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registration of one {@link SipAccount} (RFC 3261 §10): REGISTER at start, answered challenges (the nonce
 * reused on refreshes), a refresh before the lifetime granted runs out, retries with back-off (or after the
 * registrar's Retry-After) on failure, keep-alives while registered, and a REGISTER with {@code Expires: 0} at close.
 * Its state lives on its own serial executor, like a leg's: the router hands it the answers and timeouts of its
 * Call-IDs there, and its timers hop there.
 *
 * <pre>
 *  REGISTERING ──2xx──▶ REGISTERED ──refresh 2xx──▶ REGISTERED
 *       │                   │ refused, no answer
 *       └──────refused, not sent, no answer──▶ FAILED ──retry 2xx──▶ REGISTERED
 *  any ──close──▶ (REGISTER Expires: 0 if registered) ──▶ UNREGISTERED
 * </pre>
 */
final class Registration {

    private static final Logger log = LoggerFactory.getLogger(Registration.class);
    /** The first retry after a failure; each further failure doubles it, up to {@link #MAX_RETRY}. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration MAX_RETRY = Duration.ofMinutes(5);
    /** The least wait after the registrar rejected the credentials: a wrong password must not hammer it. */
    static final Duration CREDENTIALS_RETRY = Duration.ofMinutes(1);
    /** The longest Retry-After honoured. */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);
    /**
     * Challenges answered in a row before giving up: one for a reused nonce the registrar forgot, one fresh, one
     * more if that was stale.
     */
    private static final int MAX_CHALLENGES = 3;

    private final SipAgent sip;
    private final SipAccount account;
    private final RegisterRequests requests;
    private final DigestAnswer digest;
    private final SerialExecutor executor;
    private final Consumer<SipRegistration> changes;
    private final String callId;
    private final String keepAliveCallId;
    private final String fromTag = Long.toHexString(System.nanoTime());
    private final CompletableFuture<Void> unregistered = new CompletableFuture<>();
    private long cseq;
    private long keepAliveCseq;
    private int expiresAsked;
    private State state = State.REGISTERING;
    private Instant expiresAt;
    private int status;
    private String reason = "";
    private Instant retryAt;
    private int failures;
    private int challenges;
    private boolean answered;
    private boolean closing;
    private ClientTransaction pending;
    private ClientTransaction keepAlive;
    private ScheduledFuture<?> next;
    private ScheduledFuture<?> pings;
    /** The current state, for {@link org.cti4j.sip.SipSignalingProvider#registrations()}: read on any thread. */
    private volatile SipRegistration snapshot;

    Registration(SipAgent sip, SipAccount account, Consumer<SipRegistration> changes) {
        this.sip = sip;
        this.account = account;
        this.requests = new RegisterRequests(sip, account);
        this.digest = new DigestAnswer(account.username(), account.password());
        this.executor = sip.newExecutor("sip-register-" + account.name());
        this.changes = changes;
        this.callId = sip.sipProvider().getNewCallId().getCallId();
        this.keepAliveCallId = sip.sipProvider().getNewCallId().getCallId();
        this.expiresAsked = (int) account.expires().toSeconds();
        this.snapshot = snapshot();
    }

    SipAccount account() {
        return account;
    }

    SerialExecutor executor() {
        return executor;
    }

    /** The Call-IDs whose answers are this registration's: the REGISTERs' and the keep-alives'. */
    String callId() {
        return callId;
    }

    String keepAliveCallId() {
        return keepAliveCallId;
    }

    /** Completes when the registration is over: unregistered at close, or given up. */
    CompletableFuture<Void> unregistered() {
        return unregistered;
    }

    SipRegistration current() {
        return snapshot;
    }

    void start() {
        executor.execute(() -> {
            changes.accept(snapshot);
            send();
        });
    }

    private SipRegistration snapshot() {
        return new SipRegistration(account.name(), account.aor().toString(), state, expiresAt, status, reason,
                retryAt);
    }

    private void send() {
        if (unregistered.isDone()) {
            return;
        }
        cancelNext();
        try {
            Request request = requests.register(callId, ++cseq, fromTag, closing ? 0 : expiresAsked);
            answered = digest.ready();
            if (answered) {
                request.addHeader(digest.answer(sip.headers(), Request.REGISTER, request.getRequestURI()));
            }
            pending = sip.clientTransaction(request);
            pending.sendRequest();
        } catch (Exception e) {
            pending = null;
            failed(0, "cannot send REGISTER to " + account.registrar() + ": " + e.getMessage(), -1, false);
        }
    }

    void onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        String method = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getMethod();
        if (method.equals(Request.OPTIONS)) {
            keepAlive = null;
            return;
        }
        int code = response.getStatusCode();
        if (event.getClientTransaction() != pending || pending == null || code < 200) {
            return;
        }
        pending = null;
        if (code < 300) {
            challenges = 0;
            if (closing) {
                finish(code, "unregistered");
            } else {
                registered(response, code);
            }
        } else if (code == 401 || code == 407) {
            challenged(response, code);
        } else if (code == 423 && RegisterRequests.minExpires(response) > expiresAsked && !closing) {
            expiresAsked = Math.min(RegisterRequests.minExpires(response), (int) SipAccount.MAX_EXPIRES.toSeconds());
            send();
        } else {
            failed(code, response.getReasonPhrase(), RegisterRequests.retryAfter(response), false);
        }
    }

    private void challenged(Response response, int code) {
        Optional<DigestAnswer.Challenge> challenge = DigestAnswer.challengeOf(response);
        if (challenge.isEmpty()) {
            failed(code, "the registrar's challenge cannot be answered (Digest with MD5 or SHA-256, and qop=auth or"
                    + " none, is supported)", -1, true);
            return;
        }
        DigestAnswer.Challenge fresh = challenge.get();
        // An answer to the challenge just received, refused with a new challenge that does not say stale: the
        // credentials are wrong. (An answer reusing an older nonce may be refused by a registrar that restarted
        // and forgot it: the new challenge is answered once.)
        boolean rejected = answered && challenges > 0 && !fresh.stale();
        if (rejected || ++challenges > MAX_CHALLENGES || !answers(fresh.realm())) {
            challenges = 0;
            digest.forget();
            failed(code, answers(fresh.realm()) ? "the registrar rejected the credentials of '"
                    + account.username() + "' in realm '" + fresh.realm() + "'" : "the registrar asks for realm '"
                    + fresh.realm() + "', but the account's credentials are for realm '" + account.realm() + "'",
                    -1, true);
            return;
        }
        digest.challenged(fresh);
        send();
    }

    private boolean answers(String realm) {
        return account.realm().isEmpty() || account.realm().equals(realm);
    }

    private void registered(Response response, int code) {
        int granted;
        try {
            granted = requests.granted(response, expiresAsked);
        } catch (java.text.ParseException e) {
            granted = expiresAsked;
        }
        if (granted <= 0) {
            failed(code, "the registrar's 2xx grants no lifetime to this side's Contact", -1, false);
            return;
        }
        failures = 0;
        expiresAt = Instant.now().plusSeconds(granted);
        long refresh = granted > 120 ? granted - 60 : Math.max(1, granted / 2);
        schedule(Duration.ofSeconds(refresh), this::send);
        if (!sip.config().keepAlive().isZero() && pings == null) {
            long every = sip.config().keepAlive().toMillis();
            pings = sip.timers().scheduleWithFixedDelay(() -> executor.execute(this::ping), every, every,
                    TimeUnit.MILLISECONDS);
        }
        change(State.REGISTERED, code, "", null);
    }

    void onTimeout(ClientTransaction transaction) {
        if (transaction == keepAlive) {
            keepAlive = null;
            if (state == State.REGISTERED && !closing && pending == null) {
                log.info("SIP account {}: the keep-alive to {} was not answered; registering again", account.name(),
                        requests.nextHop());
                send();
            }
            return;
        }
        if (transaction != pending || pending == null) {
            return;
        }
        pending = null;
        failed(408, "the registrar " + account.registrar() + " did not answer", -1, false);
    }

    private void ping() {
        if (state != State.REGISTERED || closing || unregistered.isDone()) {
            return;
        }
        SipUri hop = requests.nextHop();
        try {
            if (requests.transport() == SipTransport.UDP) {
                if (keepAlive != null) {
                    return;
                }
                keepAlive = sip.clientTransaction(requests.options(keepAliveCallId,
                        ++keepAliveCseq, fromTag));
                keepAlive.sendRequest();
            } else {
                ListeningPoint point = sip.sipProvider().getListeningPoint(requests.transport().token());
                ((ListeningPointExt) point).sendHeartbeat(hop.host(), hop.port() != 0 ? hop.port()
                        : requests.transport() == SipTransport.TLS ? 5061 : 5060);
            }
        } catch (Exception e) {
            log.info("SIP account {}: cannot send a keep-alive to {}: {}; registering again", account.name(), hop,
                    e.toString());
            keepAlive = null;
            if (pending == null) {
                send();
            }
        }
    }

    /**
     * A REGISTER failed: report it and try again later (at once when closing would otherwise wait for nothing).
     *
     * @param retryAfter the registrar's Retry-After in seconds, or -1
     * @param credentials whether the failure is about credentials: the next try waits at least a minute
     */
    private void failed(int code, String why, int retryAfter, boolean credentials) {
        if (closing) {
            finish(code, why);
            return;
        }
        failures++;
        challenges = 0;
        Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(failures - 1, 10));
        if (wait.compareTo(MAX_RETRY) > 0) {
            wait = MAX_RETRY;
        }
        if (credentials && wait.compareTo(CREDENTIALS_RETRY) < 0) {
            wait = CREDENTIALS_RETRY;
        }
        if (retryAfter > 0) {
            wait = Duration.ofSeconds(Math.min(retryAfter, MAX_RETRY_AFTER.toSeconds()));
        }
        expiresAt = null;
        schedule(wait, this::send);
        change(State.FAILED, code, why, Instant.now().plus(wait));
    }

    /** Ends the registration at close: unregisters if registered; {@link #unregistered()} completes when done. */
    void close() {
        executor.execute(() -> {
            if (closing || unregistered.isDone()) {
                return;
            }
            closing = true;
            cancelNext();
            if (pings != null) {
                pings.cancel(false);
            }
            if (state == State.REGISTERED || pending != null) {
                // A REGISTER in flight may yet succeed: remove the binding in any case.
                challenges = 0;
                pending = null;
                send();
            } else {
                finish(status, reason);
            }
        });
    }

    private void finish(int code, String why) {
        cancelNext();
        if (pings != null) {
            pings.cancel(false);
        }
        expiresAt = null;
        change(State.UNREGISTERED, code, why, null);
        unregistered.complete(null);
    }

    private void change(State now, int code, String why, Instant retry) {
        State before = state;
        state = now;
        status = code;
        reason = why;
        retryAt = retry;
        snapshot = snapshot();
        if (before != now || now == State.FAILED) {
            changes.accept(snapshot);
        }
    }

    private void schedule(Duration delay, Runnable task) {
        cancelNext();
        next = sip.timers().schedule(() -> executor.execute(task), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelNext() {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }
}
