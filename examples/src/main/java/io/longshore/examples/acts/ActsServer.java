package io.longshore.examples.acts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running acts service: the JDK HTTP server bound to a host and port, over the database
 * the {@link DatabaseSettings} name (shared with every other replica; the server keeps no data
 * of its own). Every response is JSON (a category's listing streamed in chunks, every other one
 * whole with its {@code Content-Length}) and carries {@code X-Replica} and {@code X-Version} (the
 * version it runs, from {@value #VERSION_ENV}, so that a rollout is visible from outside). Start
 * one with {@link #start(String, int, String, String, DatabaseSettings)}; it serves even while the database is
 * unreachable (the health check then answers 500). {@link #close()} stops it and closes its
 * database connections. Thread-safe; {@code close()} is idempotent.
 */
public final class ActsServer implements AutoCloseable {
    /** The response header naming the replica that answered. */
    public static final String REPLICA_HEADER = "X-Replica";
    /** The response header naming the version that answered. */
    public static final String VERSION_HEADER = "X-Version";
    /** The environment variable {@link ActsMain} reads the version from. */
    public static final String VERSION_ENV = "ACTS_VERSION";
    /** The version when none is given. */
    public static final String DEFAULT_VERSION = "v1";
    /**
     * Request bodies larger than this (2 MiB) get a 413. A replica reads a body whole and holds it
     * several times over while it parses, stores and echoes it, on each of its 4 workers at once:
     * with the seed's {@code -Xmx96m}, 4 bodies of 4 MiB at once ran it out of heap (one of 16 MiB
     * did on its own), 4 of 2 MiB did not.
     */
    public static final int MAX_BODY_BYTES = 2 * 1024 * 1024;
    /** The longest {@code imgB64} of an act (an image of up to about 1.4 MiB); longer ones get a 400. */
    public static final int MAX_IMAGE_B64_LENGTH = 2_000_000;
    private static final int WORKER_THREADS = 4;
    private static final Logger LOG = LoggerFactory.getLogger(ActsServer.class);

    private final HttpServer server;
    private final ExecutorService workers;
    private final ActsStore store;
    private final ActsApi api;
    private final ObjectMapper json = new ObjectMapper();
    private final String replicaId;
    private final String version;
    private final AtomicInteger closed = new AtomicInteger();

    private ActsServer(HttpServer server, ExecutorService workers, ActsStore store, String replicaId, String version) {
        this.server = server;
        this.workers = workers;
        this.store = store;
        this.api = new ActsApi(store, new RequestBodies(json), replicaId);
        this.replicaId = replicaId;
        this.version = version;
    }

    /** {@link #start(String, int, String, String, DatabaseSettings)} of {@value #DEFAULT_VERSION}. */
    public static ActsServer start(String host, int port, String replicaId, DatabaseSettings database)
            throws IOException {
        return start(host, port, replicaId, DEFAULT_VERSION, database);
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one), creates the database's tables when
     * missing (or logs why it cannot yet: each request tries again) and starts serving.
     *
     * @param replicaId the {@code X-Replica} value, or {@code null} for {@code host:port}
     * @param version   the {@code X-Version} value
     * @throws IOException when the port cannot be bound
     */
    public static ActsServer start(String host, int port, String replicaId, String version, DatabaseSettings database)
            throws IOException {
        return start(host, port, replicaId, version, database, ConnectionPool.connectorTo(database));
    }

    /**
     * {@link #start(String, int, String, String, DatabaseSettings)} with the database's
     * connections from {@code connector} (tests wrap them to make the database fail or change on cue).
     */
    static ActsServer start(String host, int port, String replicaId, String version, DatabaseSettings database,
            ConnectionPool.Connector connector) throws IOException {
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("version must not be blank");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        int bound = server.getAddress().getPort();
        String id = replicaId == null || replicaId.isBlank() ? host + ":" + bound : replicaId;
        ActsStore store = new ActsStore(new ConnectionPool(connector, WORKER_THREADS));
        try {
            store.ensureSchema();
        } catch (SQLException e) {
            LOG.warn("the database {} is not usable yet ({}); every request tries again",
                    database.describe(), e.getMessage());
        }
        ExecutorService workers = Executors.newFixedThreadPool(WORKER_THREADS, workerThreads(bound));
        ActsServer acts = new ActsServer(server, workers, store, id, version.strip());
        server.createContext("/", acts::exchange);
        server.setExecutor(workers);
        server.start();
        return acts;
    }

    /** The port it serves on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The {@code X-Replica} value of its responses. */
    public String replicaId() {
        return replicaId;
    }

    /** The {@code X-Version} value of its responses. */
    public String version() {
        return version;
    }

    @Override
    public void close() {
        if (closed.getAndIncrement() > 0) {
            return;
        }
        server.stop(0);
        workers.shutdownNow();
        store.close();
    }

    private void exchange(HttpExchange exchange) throws IOException {
        Response response = respond(exchange);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        if (response.body() instanceof JsonStream stream) {
            setHeaders(exchange, response);
            Optional<Response> refusal = StreamedAnswer.answer(exchange, json, stream, head);
            if (refusal.isEmpty()) {
                return;
            }
            response = refusal.get();
        }
        setHeaders(exchange, response);
        sendWhole(exchange, response.status(), json.writeValueAsBytes(response.body()), head);
    }

    private void setHeaders(HttpExchange exchange, Response response) {
        response.headers().forEach(exchange.getResponseHeaders()::set);
        exchange.getResponseHeaders().set(REPLICA_HEADER, replicaId);
        exchange.getResponseHeaders().set(VERSION_HEADER, version);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
    }

    /** Sends {@code body} with its {@code Content-Length}; a HEAD gets the same head without the body. */
    private static void sendWhole(HttpExchange exchange, int status, byte[] body, boolean head) throws IOException {
        try (exchange) {
            if (head) {
                // the GET's head: its Content-Length, no body (RFC 9110 §9.3.2)
                exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private Response respond(HttpExchange exchange) {
        try {
            byte[] body = readBody(exchange.getRequestBody());
            return api.handle(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), body);
        } catch (ApiException e) {
            return Response.error(e);
        } catch (UncheckedIOException | IOException e) {
            return Response.error(400, "unreadable request body: " + e.getMessage());
        } catch (RuntimeException e) {
            return Response.error(500, "internal error: " + e);
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "request body exceeds " + MAX_BODY_BYTES + " bytes");
        }
        return body;
    }

    private static ThreadFactory workerThreads(int port) {
        AtomicInteger next = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "acts-" + port + "-http-" + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
