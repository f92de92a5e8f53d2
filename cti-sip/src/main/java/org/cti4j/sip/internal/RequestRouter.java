package org.cti4j.sip.internal;

import java.util.Optional;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.Timeout;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.TransactionUnavailableException;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.Header;
import javax.sip.header.RetryAfterHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.cti4j.core.spi.LegListener;
import org.cti4j.core.spi.SignalingProvider.InboundCallHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes every stack event to the leg it belongs to, by Call-ID, and answers the requests outside any call: OPTIONS
 * with 200 (load balancers probe with it), unknown methods with 501, unsupported ones with 405, in-dialog requests
 * for unknown calls with 481, malformed ones as {@link RequestScreen} says.
 *
 * <p>Runs on the stack's threads; never blocks, and never touches a leg's state: it hands the event to the leg's
 * executor. Nothing escapes it: JAIN-SIP 1.3.0-91 catches only {@code Exception} around the listener, so an
 * {@link Error} (a {@code StackOverflowError} from a hostile header, say) would kill the stack's worker thread, and
 * with all of them dead no SIP message is ever handled again. Every throwable is recorded in
 * {@link HandlingFailures}, and a request that still owes a final response gets 500.
 */
final class RequestRouter implements SipListener {

    private static final Logger log = LoggerFactory.getLogger(RequestRouter.class);

    private final SipAgent sip;
    private final HandlingFailures failures;

    RequestRouter(SipAgent sip) {
        this.sip = sip;
        this.failures = sip.failures();
    }

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
        Responder responder = sip.responder();
        Optional<Refusal> malformed = RequestScreen.refusal(request);
        if (malformed.isPresent()) {
            if (!request.getMethod().equals(Request.ACK)) {
                responder.refuse(event, malformed.get());
            }
            return;
        }
        String method = request.getMethod();
        Header[] unsupported = RequestScreen.unsupported(request, sip.headers());
        if (unsupported.length > 0) {
            responder.refuse(event, new Refusal(420, "Bad Extension"), unsupported);
            return;
        }
        String callId = callId(request);
        Optional<SipLeg> found = sip.leg(callId);
        boolean inDialog = ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null;
        switch (method) {
            case Request.INVITE -> {
                if (found.isPresent() && inDialog) {
                    SipLeg leg = found.get();
                    ServerTransaction transaction = responder.serverTransaction(event);
                    leg.executor().execute(failures.guarded(event, () -> leg.onReInvite(event, transaction)));
                } else if (found.isEmpty() && !inDialog) {
                    newCall(event);
                } else if (found.isEmpty()) {
                    responder.respond(event, 481, "Call/Transaction Does Not Exist");
                }
                // A leg and no To tag: a retransmitted INVITE, absorbed by its transaction.
            }
            case Request.ACK -> found.ifPresent(leg -> leg.executor().execute(
                    failures.guarded("ACK " + callId, () -> leg.onAck(request))));
            case Request.BYE, Request.CANCEL, Request.INFO -> {
                if (found.isEmpty()) {
                    responder.respond(event, 481, "Call/Transaction Does Not Exist");
                    return;
                }
                SipLeg leg = found.get();
                ServerTransaction transaction = responder.serverTransaction(event);
                leg.executor().execute(failures.guarded(event, () -> leg.onRequest(event, transaction)));
            }
            case Request.OPTIONS -> {
                if (!refusedNow(event)) {
                    responder.respond(event, 200, null);
                }
            }
            case Request.REGISTER, Request.SUBSCRIBE, Request.NOTIFY, Request.MESSAGE, Request.PUBLISH,
                    Request.REFER, Request.UPDATE, Request.PRACK -> responder.respond(event, 405,
                            "Method Not Allowed");
            default -> responder.respond(event, 501, "Not Implemented");
        }
    }

    /**
     * Answers {@code event} 503 with {@code Retry-After} if the engine refuses new calls now (it drains, or is at its
     * limit of live calls: {@link InboundCallHandler#refusal}), and says so; else does nothing and returns false.
     */
    private boolean refusedNow(RequestEvent event) {
        java.time.Duration retryAfter = sip.inboundHandler().map(InboundCallHandler::refusal).orElse(null);
        if (retryAfter == null) {
            return false;
        }
        try {
            RetryAfterHeader header = sip.headers().createRetryAfterHeader((int) Math.min(Integer.MAX_VALUE,
                    retryAfter.toSeconds()));
            sip.responder().respond(event, 503, "Service Unavailable", header);
        } catch (javax.sip.InvalidArgumentException e) {
            sip.responder().respond(event, 503, "Service Unavailable");
        }
        return true;
    }

    private void newCall(RequestEvent event) {
        if (refusedNow(event)) {
            return;
        }
        Optional<InboundCallHandler> handler = sip.inboundHandler();
        if (handler.isEmpty()) {
            sip.responder().respond(event, 503, "Service Unavailable");
            return;
        }
        Optional<DigestChallenger> challenger = sip.challenger();
        if (challenger.isPresent() && !challenger.get().authorized(event.getRequest())) {
            challenger.get().challenge(sip, event);
            return;
        }
        ServerTransaction transaction = event.getServerTransaction();
        if (transaction == null) {
            try {
                transaction = sip.sipProvider().getNewServerTransaction(event.getRequest());
            } catch (TransactionAlreadyExistsException e) {
                // A retransmission: its transaction answers it.
                return;
            } catch (TransactionUnavailableException e) {
                sip.responder().refuse(event, new Refusal(400, "Bad Request: "
                        + HandlingFailures.cut(e.getMessage())));
                return;
            }
        }
        Optional<UasLeg> accepted = UasLeg.accept(sip, event, transaction);
        if (accepted.isEmpty()) {
            return;
        }
        UasLeg leg = accepted.get();
        sip.add(leg);
        LegListener listener;
        try {
            listener = handler.get().onInboundCall(leg);
        } catch (RuntimeException | Error e) {
            // The engine could not take the call: the leg must not stay, and the INVITE is answered 500.
            sip.forget(leg);
            leg.executor().execute(leg::abandon);
            throw e;
        }
        leg.executor().execute(failures.guarded(event, () -> leg.offered(listener)));
    }

    private static String callId(Message message) {
        CallIdHeader header = (CallIdHeader) message.getHeader(CallIdHeader.NAME);
        return header == null ? null : header.getCallId();
    }

    @Override
    public void processResponse(ResponseEvent event) {
        long receivedAt = System.nanoTime();
        try {
            Response response = event.getResponse();
            CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
            if (response.getStatusCode() >= 200 && event.getClientTransaction() != null
                    && Request.BYE.equals(cseq.getMethod())) {
                // The leg was forgotten when it sent the BYE; its dialog is over once the BYE is answered.
                EndedDialogs.release(event.getClientTransaction());
            }
            Optional<SipLeg> found = sip.leg(callId(response));
            if (found.isEmpty()) {
                sip.registration(callId(response)).ifPresent(registration -> registration.executor().execute(
                        failures.guarded("a response to the REGISTER of " + registration.account().name(),
                                () -> registration.onResponse(event))));
                return;
            }
            SipLeg leg = found.get();
            leg.executor().execute(failures.guarded("a response to " + cseq.getMethod() + " " + leg.callId(),
                    () -> leg.onResponse(event, cseq.getMethod(), receivedAt)));
        } catch (RuntimeException | Error e) {
            failures.record("a response", e);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        try {
            if (event.getTimeout() == Timeout.RETRANSMIT) {
                // The stack sent a request again (clientTransaction asks it to say so): counted, nothing to do.
                sip.retransmitted();
                return;
            }
            if (event.isServerTransaction()) {
                return;
            }
            ClientTransaction transaction = event.getClientTransaction();
            String callId = callId(transaction.getRequest());
            sip.leg(callId).ifPresent(leg -> leg.executor().execute(
                    failures.guarded("a timeout of " + leg.callId(), () -> leg.onTimeout(transaction))));
            sip.registration(callId).ifPresent(registration -> registration.executor().execute(
                    failures.guarded("a timeout of the REGISTER of " + registration.account().name(),
                            () -> registration.onTimeout(transaction))));
        } catch (RuntimeException | Error e) {
            failures.record("a transaction timeout", e);
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        try {
            if (StackHost.WAKE_UP.equals(event.getHost())) {
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
