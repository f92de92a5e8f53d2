package org.cti4j.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Reads every engine's {@code /metrics} over HTTP once a second, as Prometheus would, on a thread of the harness
 * (never on a call's path), and keeps the {@code cti4j_} columns summed over the engines ({@link PrometheusText}).
 * The engines are asked at once; a second in which one of them does not answer within {@link #TIMEOUT} is left out
 * and counted ({@link #failures()}).
 */
final class MetricsScraper implements AutoCloseable {

    /** The longest one scrape of all the engines may take. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final List<URI> endpoints;
    private final long startNanos;
    private final Supplier<String> phase;
    private final ExecutorService httpThread;
    private final HttpClient http;
    private final ScheduledThreadPoolExecutor timer;
    private final List<MetricsSample> samples = new ArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();

    /**
     * Creates a scraper of the engines' endpoints (their base URIs: {@code /metrics} is added) on the harness's
     * threads; it does not start.
     *
     * @param phase the run's phase, asked at each scrape
     */
    MetricsScraper(List<URI> endpoints, OwnThreads threads, long startNanos, Supplier<String> phase) {
        this.endpoints = endpoints.stream().map(uri -> URI.create(uri + "/metrics")).toList();
        this.startNanos = startNanos;
        this.phase = phase;
        // The client's work runs on a harness thread, so that its CPU is counted as the harness's, not the engine's.
        this.httpThread = Executors.newSingleThreadExecutor(threads);
        this.http = HttpClient.newBuilder().executor(httpThread).connectTimeout(TIMEOUT).build();
        this.timer = new ScheduledThreadPoolExecutor(1, threads);
    }

    /** Starts scraping, once a second from now. */
    // Scraping ends with the timer's shutdownNow() in close(), never through its future.
    @SuppressWarnings("FutureReturnValueIgnored")
    void start() {
        timer.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Scrapes every engine now, on the caller's thread.
     *
     * @throws IOException if an engine did not answer 200 within {@link #TIMEOUT}
     */
    MetricsSample scrape() throws IOException {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (URI endpoint : endpoints) {
            responses.add(http.sendAsync(HttpRequest.newBuilder(endpoint).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<String> bodies = new ArrayList<>();
        List<Map<String, Double>> perEngine = new ArrayList<>();
        for (int i = 0; i < responses.size(); i++) {
            HttpResponse<String> response;
            try {
                response = responses.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                responses.forEach(r -> r.cancel(true));
                throw new IOException("interrupted while scraping " + endpoints.get(i), e);
            } catch (ExecutionException | TimeoutException e) {
                responses.forEach(r -> r.cancel(true));
                throw new IOException("cannot scrape " + endpoints.get(i) + ": " + e, e);
            }
            if (response.statusCode() != 200) {
                throw new IOException(endpoints.get(i) + " answered " + response.statusCode());
            }
            bodies.add(response.body());
            perEngine.add(PrometheusText.columns(List.of(response.body())));
        }
        return new MetricsSample((System.nanoTime() - startNanos) / 1e9, phase.get(), perEngine,
                PrometheusText.columns(bodies));
    }

    private void sample() {
        try {
            MetricsSample scrape = scrape();
            synchronized (this) {
                samples.add(scrape);
            }
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet(); // that second is left out; the next may succeed
        }
    }

    /** Returns the scrapes of the seconds so far. */
    synchronized List<MetricsSample> samples() {
        return List.copyOf(samples);
    }

    /** Returns how many of the once-a-second scrapes failed (left out of {@link #samples()}). */
    int failures() {
        return failures.get();
    }

    /** Stops scraping; a scrape under way is cut off. Safe to call twice. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        httpThread.shutdownNow();
    }
}
