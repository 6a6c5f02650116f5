package io.longshore.examples.seed;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop clients sending {@code GET} to a gateway across the death of the seed main that
 * runs it and the start of the next one. {@link #gatewayDied()} marks the death; from then on,
 * the first request that succeeds was answered by the new gateway, and every request <em>sent</em>
 * after that answer is checked: its outcome is counted, and a failure is kept with its cause.
 * Thread-safe.
 */
final class GatewayLoad implements AutoCloseable {
    private final URI uri;
    private final List<Thread> clients = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean died = new AtomicBoolean();
    private final AtomicBoolean newGatewayAnswered = new AtomicBoolean();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong checked = new AtomicLong();
    private final List<String> checkedFailures = new CopyOnWriteArrayList<>();

    GatewayLoad(int gatewayPort, String path, int clientCount) {
        this.uri = URI.create("http://127.0.0.1:" + gatewayPort + path);
        for (int i = 0; i < clientCount; i++) {
            Thread client = new Thread(this::run, "gateway-load-" + i);
            client.setDaemon(true);
            clients.add(client);
        }
        clients.forEach(Thread::start);
    }

    private void run() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();
        while (running.get()) {
            boolean sentAfterTheNewGatewayAnswered = newGatewayAnswered.get();
            boolean sentAfterTheDeath = died.get();
            String failure = null;
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status != 200) {
                    failure = "status " + status;
                }
            } catch (IOException e) {
                failure = e.toString();
            } catch (InterruptedException e) {
                return;
            }
            record(sentAfterTheDeath, sentAfterTheNewGatewayAnswered, failure);
            if (failure != null && !sentAfterTheNewGatewayAnswered) {
                pause();
            }
        }
    }

    private void record(boolean sentAfterTheDeath, boolean checkedRequest, String failure) {
        if (failure == null) {
            succeeded.incrementAndGet();
            if (sentAfterTheDeath) {
                newGatewayAnswered.set(true);
            }
        }
        if (checkedRequest) {
            checked.incrementAndGet();
            if (failure != null) {
                checkedFailures.add(failure);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Marks that the gateway's process is dead (call right after killing it). */
    void gatewayDied() {
        died.set(true);
    }

    long succeeded() {
        return succeeded.get();
    }

    boolean newGatewayAnswered() {
        return newGatewayAnswered.get();
    }

    /** Requests sent after the new gateway's first answer. */
    long checked() {
        return checked.get();
    }

    /** Why checked requests failed, one entry each. */
    List<String> checkedFailures() {
        return List.copyOf(checkedFailures);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread client : clients) {
            client.join(10_000);
        }
    }
}
