package io.longshore.jetty;

import io.longshore.api.Clock;
import io.longshore.api.ConfigurationException;
import io.longshore.api.internal.Checks;
import io.longshore.core.Orchestrator;
import io.longshore.core.Router;
import io.longshore.jetty.internal.admin.AdminHandler;
import io.longshore.jetty.internal.admin.AdminHosts;
import io.longshore.jetty.internal.admin.BearerToken;
import io.longshore.jetty.internal.policy.ProxySettings;
import io.longshore.jetty.internal.policy.Randomness;
import io.longshore.jetty.internal.routing.ServiceRoute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Assembles a {@link Gateway}. Every setter validates its argument and names it in the error;
 * {@link #build()} checks the settings that depend on each other. Defaults are the
 * {@code DEFAULT_*} constants of {@link Gateway}. An {@link #embedded()} gateway opens no
 * connector, so {@link #build()} refuses the settings that only the standalone proxy's
 * connectors have, and says where the host server takes them instead. Not thread-safe.
 */
public final class GatewayBuilder {
    private static final Duration MAX_BUSY_POLL = Duration.ofMillis(1);

    private final List<ServiceRoute> routes = new ArrayList<>();
    private final List<Orchestrator> owned = new ArrayList<>();
    private String host = Gateway.DEFAULT_HOST;
    private int port = Gateway.DEFAULT_PORT;
    private String adminHost = Gateway.DEFAULT_HOST;
    private int adminPort = Gateway.DEFAULT_ADMIN_PORT;
    private boolean adminEnabled = true;
    private boolean embedded;
    private String bearerToken;
    private final List<String> adminAllowedHosts = new ArrayList<>();
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
    private Duration requestHeadTimeout = Gateway.DEFAULT_REQUEST_HEAD_TIMEOUT;
    private Duration busyPoll = Gateway.DEFAULT_BUSY_POLL;
    private AccessLog accessLog;
    private Duration tunnelIdleTimeout = Gateway.DEFAULT_TUNNEL_IDLE_TIMEOUT;
    private Tls tls;
    private boolean http2;
    private int ioThreads = Gateway.DEFAULT_IO_THREADS;
    private int maxWaiting = Gateway.DEFAULT_MAX_WAITING;
    private Duration maxWait = Gateway.DEFAULT_MAX_WAIT;
    private Clock clock = Clock.system();
    private Duration adminBodyDeadline = AdminHandler.DEFAULT_BODY_DEADLINE;
    private RandomGenerator random;
    /** The standalone-only settings set so far, refused by {@link #build()} if {@link #embedded()}. */
    private final StandaloneOnlySettings standaloneOnly = new StandaloneOnlySettings();

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
        return standaloneOnly("host");
    }

    /** The proxy's port; 0 picks a free one (read it back with {@link Gateway#port()}). */
    public GatewayBuilder port(int port) {
        this.port = Checks.requirePortOrZero(port, "port");
        return standaloneOnly("port");
    }

    /** The address the admin API listens on; {@value Gateway#DEFAULT_HOST} by default. */
    public GatewayBuilder adminHost(String adminHost) {
        this.adminHost = Checks.requireNonBlank(adminHost, "adminHost");
        return standaloneOnly("adminHost");
    }

    /** The admin API's port; 0 picks a free one (read it back with {@link Gateway#adminPort()}). */
    public GatewayBuilder adminPort(int adminPort) {
        this.adminPort = Checks.requirePortOrZero(adminPort, "adminPort");
        return standaloneOnly("adminPort");
    }

    /** Whether the admin connector is opened at all; on by default. */
    public GatewayBuilder adminEnabled(boolean adminEnabled) {
        this.adminEnabled = adminEnabled;
        return standaloneOnly("adminEnabled");
    }

    /**
     * Opens no connector: the host mounts {@link Gateway#handler()} (and optionally
     * {@link Gateway#adminHandler()}) in its own Jetty server, which then owns their lifecycle,
     * accepts the connections and parses the requests. {@link #build()} then refuses the
     * settings of the standalone proxy's connectors: {@code host}, {@code port},
     * {@code adminHost}, {@code adminPort}, {@code adminEnabled}, {@code ioThreads},
     * {@code maxHeaderBytes}, {@code clientIdleTimeout}, {@code requestHeadTimeout}, {@code tls} and
     * {@code http2}.
     */
    public GatewayBuilder embedded() {
        this.embedded = true;
        return this;
    }

    /**
     * More host names the admin API answers to, beyond {@code 127.0.0.1}, {@code [::1]},
     * {@code localhost} and the {@link #adminHost admin bind address}: the names operators reach
     * it by (a machine name, a DNS name in front of {@code 0.0.0.0}, the host server's name when
     * embedded). A request whose {@code Host} names none of them gets 421 Misdirected Request, so
     * a web page that re-points its own DNS name at the admin address (DNS rebinding) is refused
     * even though its {@code Origin} and {@code Host} agree. Each name is a host name or IP
     * address without port or scheme; names add up over calls.
     */
    public GatewayBuilder adminAllowedHosts(String... names) {
        Objects.requireNonNull(names, "adminAllowedHosts");
        List<String> checked = new ArrayList<>(names.length);
        for (String name : names) {
            checked.add(AdminHosts.requireHostName(name, "adminAllowedHosts"));
        }
        adminAllowedHosts.addAll(checked);
        return this;
    }

    /**
     * Requires {@code Authorization: Bearer <token>} on every admin request (401 otherwise). The
     * token is visible ASCII ({@code !} to {@code ~}, RFC 6750's token characters and then some):
     * HTTP clients send header values as ASCII or Latin-1, so a token with any other character
     * could never match what arrives and would lock everyone out.
     */
    public GatewayBuilder bearerToken(String bearerToken) {
        this.bearerToken = BearerToken.require(bearerToken);
        return this;
    }

    /**
     * Writes one access-log line per request ({@link AccessLog}: combined or JSON, to a file,
     * standard output or an SLF4J logger), in both transports. Off by default.
     */
    public GatewayBuilder accessLog(AccessLog accessLog) {
        this.accessLog = Objects.requireNonNull(accessLog, "accessLog");
        return this;
    }

    /**
     * Terminates TLS on a listener of its own beside the plain one ({@link Tls}: PEM or PKCS12
     * certificates chosen by SNI, reloaded when their files change); requests that came over it
     * reach replicas with {@code X-Forwarded-Proto: https}. Off by default; standalone only.
     */
    public GatewayBuilder tls(Tls tls) {
        this.tls = Objects.requireNonNull(tls, "tls");
        return standaloneOnly("tls");
    }

    /**
     * Serves HTTP/2 to clients that ask for it: on the plain listener to a client that opens
     * with the HTTP/2 preface (prior knowledge, as {@code curl --http2-prior-knowledge} does),
     * on the TLS listener to one that offers {@code h2} by ALPN (browsers do). Each stream goes to
     * a replica as an HTTP/1.1 request under the same routes, admission, retries, waiting line
     * and access log as HTTP/1.1 clients get. Off by default: the preface is then answered with
     * {@code 505} and ALPN offers only {@code http/1.1}. Standalone only.
     */
    public GatewayBuilder http2(boolean http2) {
        this.http2 = http2;
        return standaloneOnly("http2");
    }

    /**
     * How long an upgraded connection (a WebSocket, say: a tunnel between the client and its
     * replica after a {@code 101 Switching Protocols}) may stay silent both ways before the
     * gateway closes it. {@link Gateway#DEFAULT_TUNNEL_IDLE_TIMEOUT} by default.
     */
    public GatewayBuilder tunnelIdleTimeout(Duration tunnelIdleTimeout) {
        this.tunnelIdleTimeout = Checks.requirePositive(tunnelIdleTimeout, "tunnelIdleTimeout");
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

    /**
     * Largest request line (414 beyond) and header section (431 beyond) the standalone proxy
     * accepts; {@value Gateway#DEFAULT_MAX_HEADER_BYTES} by default, at least 1024.
     */
    public GatewayBuilder maxHeaderBytes(int maxHeaderBytes) {
        this.maxHeaderBytes = Checks.requireAtLeast(maxHeaderBytes, 1024, "maxHeaderBytes");
        return standaloneOnly("maxHeaderBytes");
    }

    /** Requests proxied at once (waiting ones included); the next one gets 503 immediately. */
    public GatewayBuilder maxConcurrentRequests(int maxConcurrentRequests) {
        this.maxConcurrentRequests = Checks.requireAtLeast(maxConcurrentRequests, 1, "maxConcurrentRequests");
        return this;
    }

    /**
     * Pooled keep-alive connections per replica. A standalone gateway splits them over its event
     * loops, each loop's share rounded up (at least one per loop).
     */
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

    /**
     * How long the standalone proxy keeps an idle keep-alive client connection, and lets a
     * client stall while sending a body (then 408) or reading a response (then it is dropped).
     */
    public GatewayBuilder clientIdleTimeout(Duration clientIdleTimeout) {
        this.clientIdleTimeout = Checks.requirePositive(clientIdleTimeout, "clientIdleTimeout");
        return standaloneOnly("clientIdleTimeout");
    }

    /**
     * How long the standalone proxy lets a client take to send a whole request head, from the
     * connection's start (for its first request) or from the first byte of a later one, however
     * steadily its bytes come; then a client that sent part of a head gets 408 and one that sent
     * nothing is closed. {@link Gateway#DEFAULT_REQUEST_HEAD_TIMEOUT} by default.
     */
    public GatewayBuilder requestHeadTimeout(Duration requestHeadTimeout) {
        this.requestHeadTimeout = Checks.requirePositive(requestHeadTimeout, "requestHeadTimeout");
        return standaloneOnly("requestHeadTimeout");
    }

    /**
     * How long an event loop of the standalone proxy that just found work keeps polling for more
     * (non-blocking) before it sleeps; {@link Gateway#DEFAULT_BUSY_POLL} (20 µs) by default,
     * {@link Duration#ZERO} to sleep at once, at most 1 ms. Polling spends the loop's idle moments
     * under load so that the replicas and clients sending it bytes need not wake it: on a machine
     * where they share cores with the gateway that leaves them more CPU. A loop with nothing to do
     * polls once for this long and then sleeps.
     */
    public GatewayBuilder busyPoll(Duration busyPoll) {
        Objects.requireNonNull(busyPoll, "busyPoll");
        if (busyPoll.isNegative() || busyPoll.compareTo(MAX_BUSY_POLL) > 0) {
            throw new IllegalArgumentException("busyPoll must be between 0 and " + MAX_BUSY_POLL + ", was " + busyPoll);
        }
        this.busyPoll = busyPoll;
        return standaloneOnly("busyPoll");
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
        return standaloneOnly("ioThreads");
    }

    /**
     * Requests each route's waiting line holds at most: a request that finds no room on any replica
     * (none routable, as at zero replicas, or every one at its concurrency limit) waits there, and
     * the orchestrator is asked for a replica at once; past this many it gets 503 with
     * {@code Retry-After}. {@value Gateway#DEFAULT_MAX_WAITING} by default; 0 for no line (503 at once).
     * Routers other than this library's cannot tell when room appears and get no line.
     */
    public GatewayBuilder maxWaiting(int maxWaiting) {
        this.maxWaiting = Checks.requireAtLeast(maxWaiting, 0, "maxWaiting");
        return this;
    }

    /** How long a request waits in the line at most, then 503 with {@code Retry-After}; 30 s by default. */
    public GatewayBuilder maxWait(Duration maxWait) {
        this.maxWait = Checks.requirePositive(maxWait, "maxWait");
        return this;
    }

    /**
     * How long the admin API lets a client take to send a whole request body (then 408);
     * {@link AdminHandler#DEFAULT_BODY_DEADLINE} (10 s) by default. Not public: tests shorten it.
     */
    GatewayBuilder adminBodyDeadline(Duration adminBodyDeadline) {
        this.adminBodyDeadline = Checks.requirePositive(adminBodyDeadline, "adminBodyDeadline");
        return this;
    }

    /** The clock latency is measured with. */
    public GatewayBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * The source the gateway's random numbers (the pause before a retry) are drawn from: read
     * once, by {@link #build()}, to seed a generator of the gateway's own that gives each event
     * loop a generator of its own. So it need not be thread-safe, and a seeded one makes the
     * gateway's pauses repeatable. A new {@link SplittableRandom} by default.
     */
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
        standaloneOnly.refuseIfEmbedded(embedded);
        ProxySettings settings = new ProxySettings(responseTimeout, connectTimeout, maxRequestBodyBytes,
                maxHeaderBytes, maxConcurrentRequests, connectionsPerBackend, retryBudget, maxRetryBackoff, tunnelIdleTimeout,
                clock, new Randomness(random != null ? random : new SplittableRandom()));
        return new Gateway(new Gateway.Config(List.copyOf(routes), List.copyOf(owned), host, port, adminHost,
                adminPort, adminEnabled && !embedded, embedded, bearerToken, shutdownTimeout, settings, ioThreads,
                clientIdleTimeout, maxWaiting, maxWait, requestHeadTimeout, accessLog, tls, busyPoll, http2,
                List.copyOf(adminAllowedHosts), adminBodyDeadline));
    }

    private GatewayBuilder standaloneOnly(String setting) {
        standaloneOnly.set(setting);
        return this;
    }

    private static String requirePrefix(String prefix) {
        if (prefix == null || !prefix.startsWith("/")) {
            throw new IllegalArgumentException("prefix must start with '/', was " + prefix);
        }
        return prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }
}
