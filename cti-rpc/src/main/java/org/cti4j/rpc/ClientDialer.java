package org.cti4j.rpc;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the client's WebSockets and runs its timers: the JDK {@link HttpClient} with its own daemon threads
 * ({@code cti4j-rpc-client-N}, on which the JDK reads and calls the links back) and one timer thread
 * ({@code cti4j-rpc-reconnect-1}: reconnect backoff, heartbeat, the wait for {@code rpc.on_session}). Holds no
 * mutable state of its own; what it opens reports to the link's owner.
 */
final class ClientDialer {

    private static final Logger log = LoggerFactory.getLogger(ClientDialer.class);

    /** Told when a link could not be opened, or opened but started no session in time. */
    interface Failure {
        void linkFailed(ClientLink link, int status, String reason, Throwable error);
    }

    private final URI uri;
    private final String token;
    private final Duration timeout;
    private final ExecutorService httpThreads;
    private final HttpClient http;
    private final ScheduledExecutorService timer;

    ClientDialer(URI uri, String token, SSLContext sslContext, Duration timeout) {
        this.uri = uri;
        this.token = token;
        this.timeout = timeout;
        this.httpThreads = Executors.newCachedThreadPool(ClientThreads.daemon("cti4j-rpc-client"));
        HttpClient.Builder builder = HttpClient.newBuilder().executor(httpThreads).connectTimeout(timeout);
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        this.http = builder.build();
        this.timer = Executors.newSingleThreadScheduledExecutor(ClientThreads.daemon("cti4j-rpc-reconnect"));
    }

    /** Runs {@code beat} every {@code interval} on the timer thread, unless the interval is zero. */
    // The beat ends with the timer's shutdownNow() in shutdown(), never through its future.
    @SuppressWarnings("FutureReturnValueIgnored")
    void every(Duration interval, Runnable beat) {
        if (!interval.isZero()) {
            timer.scheduleWithFixedDelay(beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Runs {@code task} after {@code delay} on the timer thread; nothing once shut down. */
    // A delayed task is dropped with the timer's shutdownNow() in shutdown(), never through its future.
    @SuppressWarnings("FutureReturnValueIgnored")
    void after(Duration delay, Runnable task) {
        try {
            timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("{}: the client is closing", uri);
        }
    }

    /**
     * Opens {@code link} to {@code target}; a failure to open, or no {@code rpc.on_session} within the timeout,
     * goes to {@code failure}.
     */
    // whenComplete is the failure handler here; the stage it returns only repeats the failure handled.
    @SuppressWarnings("FutureReturnValueIgnored")
    void open(ClientLink link, URI target, Failure failure) {
        CompletableFuture<WebSocket> opening;
        try {
            WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(timeout);
            if (token != null) {
                builder.header("Authorization", "Bearer " + token);
            }
            opening = builder.buildAsync(target, link);
        } catch (RuntimeException e) {
            opening = CompletableFuture.failedFuture(e);
        }
        opening.whenComplete((ws, error) -> {
            if (error != null) {
                failure.linkFailed(link, 1006, null, ClientLink.unwrap(error));
            } else if (link.down) {
                ws.abort(); // given up on while it opened
            }
        });
        // A server that accepts the connection but starts no session is given up on, and tried again.
        after(timeout, () -> {
            if (link.session == null && !link.down) {
                link.abort();
                failure.linkFailed(link, 1006, "no rpc.on_session within " + timeout.toMillis() + " ms", null);
            }
        });
    }

    /** The URI that resumes a session: the server's with {@code session_id}, {@code last_seq}, the resume token. */
    URI resumeUri(String sessionId, long lastSeq, String resumeToken) {
        String separator = uri.getRawQuery() == null ? "?" : "&";
        return URI.create(uri + separator + "session_id=" + URLEncoder.encode(sessionId, StandardCharsets.UTF_8)
                + "&last_seq=" + lastSeq + (resumeToken == null ? ""
                : "&resume_token=" + URLEncoder.encode(resumeToken, StandardCharsets.UTF_8)));
    }

    /** Stops the timer at once and lets the HTTP client's threads end. */
    void shutdown() {
        timer.shutdownNow();
        httpThreads.shutdown();
    }
}
