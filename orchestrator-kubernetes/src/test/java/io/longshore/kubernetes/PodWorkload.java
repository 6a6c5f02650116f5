package io.longshore.kubernetes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What runs "in" a pod of the fake kubelet: a JDK HTTP server on 127.0.0.1 and the pod's
 * {@code PORT}, answering like the test kit's {@code TestWorkload} and the acts service's probe:
 * {@code GET /api/v1/_health} 200 (500 after {@code POST /api/v1/_crash}), {@code GET /api/v1/_count},
 * anything else 200 with {@code <pod> <METHOD> <path>}; every answer names the pod in {@code X-Replica}.
 * Thread-safe.
 */
final class PodWorkload implements AutoCloseable {
    static final String HEALTH_PATH = "/api/v1/_health";
    static final String CRASH_PATH = "/api/v1/_crash";
    static final String COUNT_PATH = "/api/v1/_count";

    private final String pod;
    private final HttpServer server;
    private final ExecutorService pool;
    private final AtomicBoolean crashed = new AtomicBoolean();
    private final AtomicLong served = new AtomicLong();

    private PodWorkload(String pod, HttpServer server, ExecutorService pool) {
        this.pod = pod;
        this.server = server;
        this.pool = pool;
    }

    /** Starts serving on 127.0.0.1:{@code port}; throws when the port is taken. */
    static PodWorkload start(String pod, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        ExecutorService pool = Executors.newFixedThreadPool(4, task -> {
            Thread thread = new Thread(task, "fake-pod-" + pod);
            thread.setDaemon(true);
            return thread;
        });
        PodWorkload workload = new PodWorkload(pod, server, pool);
        server.setExecutor(pool);
        server.createContext("/", workload::handle);
        server.start();
        return workload;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            exchange.getResponseHeaders().add("X-Replica", pod);
            if (HEALTH_PATH.equals(path)) {
                respond(exchange, crashed.get() ? 500 : 200, crashed.get() ? "crashed" : "ok");
            } else if (CRASH_PATH.equals(path) && "POST".equals(method)) {
                crashed.set(true);
                respond(exchange, 200, "crashing");
            } else if (COUNT_PATH.equals(path)) {
                respond(exchange, 200, Long.toString(served.get()));
            } else {
                served.incrementAndGet();
                respond(exchange, 200, pod + " " + method + " " + path);
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
