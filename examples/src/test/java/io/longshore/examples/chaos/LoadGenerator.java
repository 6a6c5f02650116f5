package io.longshore.examples.chaos;

import io.longshore.api.Clock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A closed-loop load: {@code clients} threads each send {@code GET target}, wait for the answer
 * and send the next, until {@link #close()}. A request fails when it gets anything but 200 or no
 * answer within {@link #CLIENT_TIMEOUT}. Every request is kept as a {@link Completion} so a test
 * can tell which replica answered what and when. Thread-safe.
 */
final class LoadGenerator implements AutoCloseable {
    /** Longer than any gateway timeout plus a retry: a request that takes longer is lost. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);
    private static final int FAILURE_SAMPLES = 10;

    /** One request: when it left and came back, its status (-1 for none), the answering replica and its version. */
    record Completion(Instant sentAt, Instant completedAt, int status, String replica, String version, String error) {
        boolean ok() {
            return status == 200;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(2)).build();
    private final URI target;
    private final int clients;
    private final Clock clock;
    private final ExecutorService threads;
    private final LongAdder sent = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private volatile boolean running;

    LoadGenerator(URI target, int clients, Clock clock) {
        this.target = target;
        this.clients = clients;
        this.clock = clock;
        this.threads = Executors.newFixedThreadPool(clients);
    }

    /** Starts the clients. */
    LoadGenerator start() {
        running = true;
        for (int i = 0; i < clients; i++) {
            threads.execute(this::loop);
        }
        return this;
    }

    private void loop() {
        HttpRequest request = HttpRequest.newBuilder(target).timeout(CLIENT_TIMEOUT).GET().build();
        while (running) {
            send(request);
        }
    }

    private void send(HttpRequest request) {
        Instant sentAt = clock.instant();
        sent.increment();
        Completion completion;
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            completion = new Completion(sentAt, clock.instant(), response.statusCode(),
                    response.headers().firstValue("X-Replica").orElse(""),
                    response.headers().firstValue("X-Version").orElse(""),
                    response.statusCode() == 200 ? "" : response.body().strip());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            completion = new Completion(sentAt, clock.instant(), -1, "", "", "interrupted");
        } catch (Exception e) {
            completion = new Completion(sentAt, clock.instant(), -1, "", "", e.toString());
        }
        completions.add(completion);
        if (!completion.ok()) {
            failed.increment();
            if (failures.size() < FAILURE_SAMPLES) {
                failures.add(completion.status() + " " + completion.error() + " at " + completion.completedAt());
            }
        }
    }

    long sent() {
        return sent.sum();
    }

    long failed() {
        return failed.sum();
    }

    /** The first few failures, for an assertion message. */
    List<String> failureSamples() {
        return List.copyOf(failures);
    }

    List<Completion> completions() {
        return new ArrayList<>(completions);
    }

    /** Stops sending and waits for every client's last request to come back. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        threads.shutdown();
        if (!threads.awaitTermination(CLIENT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
            threads.shutdownNow();
        }
    }
}
