package io.longshore.jetty;

import io.longshore.api.Clock;
import io.longshore.api.ConfigurationException;
import io.longshore.api.internal.Checks;
import io.longshore.core.Orchestrator;
import io.longshore.core.Router;
import io.longshore.jetty.internal.ProxySettings;
import io.longshore.jetty.internal.ServiceRoute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Assembles a {@link Gateway}. Every setter validates its argument and names it in the error;
 * {@link #build()} checks the settings that depend on each other. Defaults are the
 * {@code DEFAULT_*} constants of {@link Gateway}. Not thread-safe.
 */
public final class GatewayBuilder {
    private final List<ServiceRoute> routes = new ArrayList<>();
    private final List<Orchestrator> owned = new ArrayList<>();
    private String host = Gateway.DEFAULT_HOST;
    private int port = Gateway.DEFAULT_PORT;
    private String adminHost = Gateway.DEFAULT_HOST;
    private int adminPort = Gateway.DEFAULT_ADMIN_PORT;
    private boolean adminEnabled = true;
    private boolean embedded;
    private String bearerToken;
    private Duration responseTimeout = Gateway.DEFAULT_RESPONSE_TIMEOUT;
    private Duration connectTimeout = Gateway.DEFAULT_CONNECT_TIMEOUT;
    private long maxRequestBodyBytes = Gateway.DEFAULT_MAX_REQUEST_BODY_BYTES;
    private int maxHeaderBytes = Gateway.DEFAULT_MAX_HEADER_BYTES;
    private int maxConcurrentRequests = Gateway.DEFAULT_MAX_CONCURRENT_REQUESTS;
    private int connectionsPerBackend = Gateway.DEFAULT_CONNECTIONS_PER_BACKEND;
    private double retryBudget = Gateway.DEFAULT_RETRY_BUDGET;
    private Duration maxRetryBackoff = Gateway.DEFAULT_MAX_RETRY_BACKOFF;
    private Duration shutdownTimeout = Gateway.DEFAULT_SHUTDOWN_TIMEOUT;
    private Duration clientIdleTimeout = Gateway.DEFAULT_CLIENT_IDLE_TIMEOUT;
    private int ioThreads = Gateway.DEFAULT_IO_THREADS;
    private Clock clock = Clock.system();
    private RandomGenerator random;

    GatewayBuilder() {
    }

    /**
     * Routes requests whose path starts with {@code prefix} (a whole segment, e.g. {@code /api}
     * matches {@code /api} and {@code /api/x} but not {@code /apix}) to {@code orchestrator}'s
     * replicas; the longest matching prefix wins. The host keeps ownership of the orchestrator.
     */
    public GatewayBuilder route(String prefix, Orchestrator orchestrator) {
        return route(prefix, orchestrator, Ownership.BORROWED);
    }

    /** Like {@link #route(String, Orchestrator)}; {@link Ownership#OWNED} hands its lifecycle to the gateway. */
    public GatewayBuilder route(String prefix, Orchestrator orchestrator, Ownership ownership) {
        Objects.requireNonNull(orchestrator, "orchestrator");
        Objects.requireNonNull(ownership, "ownership");
        routes.add(ServiceRoute.of(requirePrefix(prefix), orchestrator));
        if (ownership == Ownership.OWNED) {
            owned.add(orchestrator);
        }
        return this;
    }

    /** Static-backends mode: every path goes to {@code router}'s fixed backends (service {@code static}). */
    public GatewayBuilder router(Router router) {
        return route("/", "static", router);
    }

    /** Static-backends mode under a prefix, shown as {@code service} in the admin API. */
    public GatewayBuilder route(String prefix, String service, Router router) {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("service must not be blank");
        }
        routes.add(ServiceRoute.of(requirePrefix(prefix), service, Objects.requireNonNull(router, "router")));
        return this;
    }

    /** The address the proxy listens on; {@value Gateway#DEFAULT_HOST} by default. */
    public GatewayBuilder host(String host) {
        this.host = Checks.requireNonBlank(host, "host");
        return this;
    }

    /** The proxy's port; 0 picks a free one (read it back with {@link Gateway#port()}). */
    public GatewayBuilder port(int port) {
        this.port = Checks.requirePortOrZero(port, "port");
        return this;
    }

    /** The address the admin API listens on; {@value Gateway#DEFAULT_HOST} by default. */
    public GatewayBuilder adminHost(String adminHost) {
        this.adminHost = Checks.requireNonBlank(adminHost, "adminHost");
        return this;
    }

    /** The admin API's port; 0 picks a free one (read it back with {@link Gateway#adminPort()}). */
    public GatewayBuilder adminPort(int adminPort) {
        this.adminPort = Checks.requirePortOrZero(adminPort, "adminPort");
        return this;
    }

    /** Whether the admin connector is opened at all; on by default. */
    public GatewayBuilder adminEnabled(boolean adminEnabled) {
        this.adminEnabled = adminEnabled;
        return this;
    }

    /**
     * Opens no connector: the host mounts {@link Gateway#handler()} (and optionally
     * {@link Gateway#adminHandler()}) in its own Jetty server, which then owns their lifecycle.
     */
    public GatewayBuilder embedded() {
        this.embedded = true;
        return this;
    }

    /** Requires {@code Authorization: Bearer <token>} on every admin request (401 otherwise). */
    public GatewayBuilder bearerToken(String bearerToken) {
        if (bearerToken == null || bearerToken.isBlank()) {
            throw new IllegalArgumentException("bearerToken must not be blank");
        }
        this.bearerToken = bearerToken;
        return this;
    }

    /** Longest a replica may stay silent (no header or body byte) before the request gets 504. */
    public GatewayBuilder responseTimeout(Duration responseTimeout) {
        this.responseTimeout = Checks.requirePositive(responseTimeout, "responseTimeout");
        return this;
    }

    /** Longest a connection to a replica may take to open; then it counts as refused. */
    public GatewayBuilder connectTimeout(Duration connectTimeout) {
        this.connectTimeout = Checks.requirePositive(connectTimeout, "connectTimeout");
        return this;
    }

    /** Largest request body forwarded; larger ones get 413 (Content-Length or chunked). */
    public GatewayBuilder maxRequestBodyBytes(long maxRequestBodyBytes) {
        if (maxRequestBodyBytes < 0) {
            throw new IllegalArgumentException("maxRequestBodyBytes must be >= 0, was " + maxRequestBodyBytes);
        }
        this.maxRequestBodyBytes = maxRequestBodyBytes;
        return this;
    }

    /** Largest request line plus header section; larger ones get 431. */
    public GatewayBuilder maxHeaderBytes(int maxHeaderBytes) {
        this.maxHeaderBytes = Checks.requireAtLeast(maxHeaderBytes, 1024, "maxHeaderBytes");
        return this;
    }

    /** Requests proxied at once; the next one gets 503 immediately (no queue). */
    public GatewayBuilder maxConcurrentRequests(int maxConcurrentRequests) {
        this.maxConcurrentRequests = Checks.requireAtLeast(maxConcurrentRequests, 1, "maxConcurrentRequests");
        return this;
    }

    /** Pooled keep-alive connections per replica. */
    public GatewayBuilder connectionsPerBackend(int connectionsPerBackend) {
        this.connectionsPerBackend = Checks.requireAtLeast(connectionsPerBackend, 1, "connectionsPerBackend");
        return this;
    }

    /** Retries allowed as a share of requests (token bucket: +ratio per request, -1 per retry); 0 disables retries of answered requests. */
    public GatewayBuilder retryBudget(double ratio) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("retryBudget must be in 0..1, was " + ratio);
        }
        this.retryBudget = ratio;
        return this;
    }

    /** Upper bound of the random pause before a retry after a 502/503/504, reset or timeout. */
    public GatewayBuilder maxRetryBackoff(Duration maxRetryBackoff) {
        this.maxRetryBackoff = Checks.requireNotNegative(maxRetryBackoff, "maxRetryBackoff");
        return this;
    }

    /** How long {@link Gateway#close()} lets in-flight requests finish. */
    public GatewayBuilder shutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = Checks.requireNotNegative(shutdownTimeout, "shutdownTimeout");
        return this;
    }

    /** How long an idle keep-alive client connection is kept open. */
    public GatewayBuilder clientIdleTimeout(Duration clientIdleTimeout) {
        this.clientIdleTimeout = Checks.requirePositive(clientIdleTimeout, "clientIdleTimeout");
        return this;
    }

    /**
     * Event-loop threads of the standalone proxy; each serves its clients and their replica
     * connections on its own. 0 (the default) means one per available processor.
     */
    public GatewayBuilder ioThreads(int ioThreads) {
        if (ioThreads < 0) {
            throw new IllegalArgumentException("ioThreads must be >= 0, was " + ioThreads);
        }
        this.ioThreads = ioThreads;
        return this;
    }

    /** The clock latency is measured with. */
    public GatewayBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Randomness for retry jitter; must be thread-safe. Defaults to {@link ThreadLocalRandom}. */
    public GatewayBuilder random(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
        return this;
    }

    /** Checks the settings together and builds the gateway (not yet started). */
    public Gateway build() {
        if (routes.isEmpty()) {
            throw new ConfigurationException("at least one route (orchestrator or router) is required");
        }
        long distinct = routes.stream().map(ServiceRoute::prefix).distinct().count();
        if (distinct != routes.size()) {
            throw new ConfigurationException("two routes share a prefix: " + routes);
        }
        ProxySettings settings = new ProxySettings(responseTimeout, connectTimeout, maxRequestBodyBytes,
                maxHeaderBytes, maxConcurrentRequests, connectionsPerBackend, retryBudget, maxRetryBackoff,
                clock, random != null ? random : ThreadLocalRandom.current());
        return new Gateway(new Gateway.Config(List.copyOf(routes), List.copyOf(owned), host, port, adminHost,
                adminPort, adminEnabled && !embedded, embedded, bearerToken, shutdownTimeout, settings, ioThreads,
                clientIdleTimeout));
    }

    private static String requirePrefix(String prefix) {
        if (prefix == null || !prefix.startsWith("/")) {
            throw new IllegalArgumentException("prefix must start with '/', was " + prefix);
        }
        return prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }
}
