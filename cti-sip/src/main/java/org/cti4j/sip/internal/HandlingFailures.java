package org.cti4j.sip.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sip.RequestEvent;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and logs what went wrong while handling a SIP event: any throwable, {@link Error}s included, caught where a
 * stack thread, a leg's strand or a timer would otherwise lose it (or die of it, as JAIN-SIP 1.3.0-91's UDP workers
 * do on an {@code Error}). An attacker decides how often this happens, so the log is bounded: one WARN with its stack
 * trace per {@value #WINDOW_MILLIS} ms, the others counted and summed up in the next one; every line is short (the
 * failing message is named by its method and a cut Call-ID, never printed whole). Thread-safe.
 */
final class HandlingFailures {

    private static final Logger log = LoggerFactory.getLogger(HandlingFailures.class);
    static final long WINDOW_MILLIS = 10_000;
    private static final int MAX_TEXT = 160;

    private final AtomicLong total = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);
    private final Consumer<RequestEvent> answerFailed;

    /**
     * Creates the counter.
     *
     * @param answerFailed answers a request whose handling failed (500), if it still owes a final response
     */
    HandlingFailures(Consumer<RequestEvent> answerFailed) {
        this.answerFailed = answerFailed;
    }

    /**
     * Wraps a task that handles {@code event} on a leg's strand: whatever it throws is recorded and the request
     * answered (500) if it still owes a final response, so that no transaction is left hanging.
     */
    Runnable guarded(RequestEvent event, Runnable work) {
        return guarded(work, failure -> failed(event, failure));
    }

    /** Wraps a task that handles no request (a response, a timeout, an ACK): whatever it throws is recorded. */
    Runnable guarded(String what, Runnable work) {
        return guarded(work, failure -> record(what, failure));
    }

    private static Runnable guarded(Runnable work, Consumer<Throwable> onFailure) {
        return () -> {
            try {
                work.run();
            } catch (RuntimeException | Error e) {
                onFailure.accept(e);
            }
        };
    }

    /** Records a failure to handle a request and has it answered if it still owes a final response. */
    void failed(RequestEvent event, Throwable failure) {
        Request request = event.getRequest();
        CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        record(request.getMethod() + " " + (callId == null ? "" : callId.getCallId()), failure);
        if (!Request.ACK.equals(request.getMethod())) {
            try {
                answerFailed.accept(event);
            } catch (RuntimeException | Error again) {
                record("the 500 to a failed " + request.getMethod(), again);
            }
        }
    }

    /**
     * Records a failure.
     *
     * @param what what was being handled, e.g. {@code "INVITE abc@host"} (cut here, so any text may be given)
     * @param failure what was thrown
     */
    void record(String what, Throwable failure) {
        total.incrementAndGet();
        long now = System.nanoTime() / 1_000_000;
        long last = lastLogged.get();
        if ((last != Long.MIN_VALUE && now - last < WINDOW_MILLIS) || !lastLogged.compareAndSet(last, now)) {
            suppressed.incrementAndGet();
            log.debug("failed to handle {}: {}", cut(what), cut(String.valueOf(failure)));
            return;
        }
        long skipped = suppressed.getAndSet(0);
        log.warn("failed to handle {}: {}{}", cut(what), cut(String.valueOf(failure)),
                skipped > 0 ? " (" + skipped + " more failures in the last " + WINDOW_MILLIS / 1000 + " s)" : "",
                failure);
    }

    /** Returns how many failures were recorded since the provider started. */
    long count() {
        return total.get();
    }

    /**
     * Returns {@code text} cut to a length fit for a log line or a reason phrase, with every control character (line
     * breaks, NUL, escapes: whatever a hostile header held) made a space.
     */
    static String cut(String text) {
        if (text == null) {
            return "null";
        }
        String shorter = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "... (" + text.length()
                + " characters)" : text;
        StringBuilder plain = new StringBuilder(shorter.length());
        shorter.codePoints().forEach(c -> plain.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return plain.toString();
    }
}
