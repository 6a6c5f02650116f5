package io.longshore.jetty;

import io.longshore.api.OrchestratorException;
import io.longshore.core.Orchestrator;
import io.longshore.core.WaitingLine;
import io.longshore.jetty.internal.accesslog.AccessLogWriter;
import io.longshore.jetty.internal.admin.AdminHandler;
import io.longshore.jetty.internal.admin.AdminHosts;
import io.longshore.jetty.internal.dashboard.AdminRoutes;
import io.longshore.jetty.internal.embedded.EmbeddedProxy;
import io.longshore.jetty.internal.metrics.GatewayMetrics;
import io.longshore.jetty.internal.metrics.ReplicaSeriesSweeper;
import io.longshore.jetty.internal.policy.Admission;
import io.longshore.jetty.internal.policy.ProxySettings;
import io.longshore.jetty.internal.policy.RetryBudget;
import io.longshore.jetty.internal.policy.WaitingRooms;
import io.longshore.jetty.internal.routing.RouteTable;
import io.longshore.jetty.internal.routing.ServiceRoute;
import io.longshore.jetty.internal.routing.ServiceView;
import io.longshore.jetty.internal.tls.TlsTerminator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP reverse proxy in front of one or more orchestrators (routed by path prefix) or fixed
 * backends, with an admin API on its own connector. Build it with {@link #builder()}:
 *
 * <pre>{@code
 * try (Gateway gateway = Gateway.builder().port(8080).adminPort(8081)
 *         .route("/", orchestrator).build().start()) { ... }
 * }</pre>
 *
 * <p>Thread-safe. {@link #start()} and {@link #close()} are idempotent; close stops accepting,
 * lets in-flight requests finish for up to the shutdown timeout, then closes the orchestrators
 * the gateway owns ({@link Ownership#OWNED}), never those the host kept.
 */
public final class Gateway implements AutoCloseable {
    /** The proxy and the admin API bind to loopback unless told otherwise. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_ADMIN_PORT = 8081;
    /** Longest a replica may stay silent before the request gets 504. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final long DEFAULT_MAX_REQUEST_BODY_BYTES = 10L * 1024 * 1024;
    public static final int DEFAULT_MAX_HEADER_BYTES = 8 * 1024;
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 1024;
    public static final int DEFAULT_CONNECTIONS_PER_BACKEND = 64;
    /** Retries may add at most this share of requests. */
    public static final double DEFAULT_RETRY_BUDGET = 0.2;
    public static final Duration DEFAULT_MAX_RETRY_BACKOFF = Duration.ofMillis(25);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    /** How long an idle keep-alive client connection is kept open. */
    public static final Duration DEFAULT_CLIENT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long a client may take to send a whole request head, however steadily its bytes come
     * (HAProxy's {@code timeout http-request}); then it gets 408 and is closed.
     */
    public static final Duration DEFAULT_REQUEST_HEAD_TIMEOUT = Duration.ofSeconds(10);
    /** How long an upgraded connection (a tunnel) may stay silent both ways before it is closed. */
    public static final Duration DEFAULT_TUNNEL_IDLE_TIMEOUT = Duration.ofHours(1);
    /**
     * How long an event loop of the standalone proxy that just found work keeps polling for more
     * before it sleeps: under load the next event is microseconds away, and waking a sleeping loop
     * costs the replica or client that sends it bytes an inter-processor interrupt on its own core.
     */
    public static final Duration DEFAULT_BUSY_POLL = Duration.ofNanos(20_000);
    /** Event-loop threads of the standalone proxy: 0 means one per available processor. */
    public static final int DEFAULT_IO_THREADS = 0;
    /** Requests the waiting line of a route holds at most. */
    public static final int DEFAULT_MAX_WAITING = WaitingLine.DEFAULT_MAX_LENGTH;
    /** How long a request waits in the line at most. */
    public static final Duration DEFAULT_MAX_WAIT = WaitingLine.DEFAULT_MAX_WAIT;

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Config config;
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final Admission admission;
    /** The proxy handler; {@code null} unless embedded. */
    private final EmbeddedProxy proxy;
    /** The engine, HTTP/2 and admin listeners; {@code null} when embedded. */
    private final StandaloneListeners listeners;
    private final AdminHandler admin;
    private final AccessLogWriter accessLog;
    /**
     * Ends gone replicas' series whether or not the admin API is served, on the engine's timer
     * (standalone) or the host server's scheduler while it runs the handler (embedded).
     */
    private final ReplicaSeriesSweeper sweeper;
    private boolean started;
    private boolean closed;

    /** The settings {@link GatewayBuilder} checked. */
    record Config(List<ServiceRoute> routes, List<Orchestrator> owned, String host, int port, String adminHost,
                  int adminPort, boolean adminEnabled, boolean embedded, String bearerToken,
                  Duration shutdownTimeout, ProxySettings settings, int ioThreads, Duration clientIdleTimeout,
                  int maxWaiting, Duration maxWait, Duration requestHeadTimeout, AccessLog accessLog, Tls tls,
                  Duration busyPoll, boolean http2, List<String> adminAllowedHosts, Duration adminBodyDeadline) {
    }

    Gateway(Config config) {
        this.config = config;
        RouteTable routes = new RouteTable(config.routes());
        RoutedServices services = new RoutedServices(config.routes(), metrics);
        this.admission = new Admission(config.settings().maxConcurrentRequests());
        RetryBudget budget = new RetryBudget(config.settings().retryBudget());
        WaitingRooms rooms = new WaitingRooms(routes, config.maxWaiting(), config.maxWait());
        for (ServiceView view : services.views()) {
            metrics.waiting(view.service(), () -> rooms.waiting(routes, view.service()));
        }
        TlsTerminator tls = config.tls() == null ? null : new TlsTerminator(config.tls(), config.http2());
        if (tls != null) {
            metrics.tls(tls.providerName(), tls::handshakes, tls::handshakeFailures, tls::reloads);
        }
        this.accessLog = config.accessLog() == null ? null : new AccessLogWriter(config.accessLog());
        if (accessLog != null) {
            metrics.accessLogDropped(accessLog::dropped);
        }
        ProxyParts parts = new ProxyParts(routes, services.byRoute(), config.settings(), admission, budget, rooms,
                accessLog);
        this.proxy = config.embedded() ? parts.embedded(0) : null;
        this.listeners = config.embedded() ? null : StandaloneListeners.of(config, parts, tls, metrics);
        this.admin = new AdminHandler(services.views(), metrics, config.bearerToken(),
                new AdminHosts(config.embedded() ? null : config.adminHost(), config.adminAllowedHosts()),
                new AdminRoutes(services.live(), config.settings().clock()), config.adminBodyDeadline());
        metrics.inFlight(admission::inFlight);
        this.sweeper = services.sweeper(config.settings().clock());
        if (proxy != null) {
            proxy.addBean(new EmbeddedSweeping(sweeper, proxy), true);
        }
    }

    /** The settings it was built with. */
    Config config() {
        return config;
    }

    public static GatewayBuilder builder() {
        return new GatewayBuilder();
    }

    /**
     * Opens the access log and (unless embedded) the proxy, TLS and admin listeners, starts ending
     * the metric series of replicas that left on the engine's timer (an embedded gateway's
     * handler does so on the host server's scheduler while it runs), then starts the orchestrators
     * the gateway owns.
     * Returns this. What cannot start (a file that cannot be opened, a certificate that cannot be
     * read, a port in use) fails it before any replica is started, with an
     * {@link OrchestratorException} that says what; the gateway is then closed.
     */
    public synchronized Gateway start() {
        if (closed) {
            throw new IllegalStateException("gateway is closed");
        }
        if (started) {
            return this;
        }
        started = true;
        if (accessLog != null) {
            try {
                accessLog.start();
            } catch (UncheckedIOException e) {
                close();
                throw new OrchestratorException(e.getMessage(), e);
            }
        }
        if (!config.embedded()) {
            try {
                listeners.start(config, admin);
            } catch (Exception e) {
                close();
                throw new OrchestratorException("gateway failed to start on " + config.host() + ":" + config.port()
                        + (config.tls() == null ? "" : " (TLS " + config.host() + ":" + config.tls().port() + ")")
                        + " (admin " + config.adminHost() + ":" + config.adminPort() + "): " + why(e), e);
            }
        }
        if (listeners != null) {
            sweeper.start(JettyTimer.of(listeners.timer()));
        }
        try {
            config.owned().forEach(Orchestrator::start);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /** What went wrong, with the type where the message alone may be a bare path ({@code NoSuchFileException}). */
    private static String why(Exception e) {
        if (e.getMessage() == null) {
            return e.toString();
        }
        return e instanceof IOException ? e.getClass().getSimpleName() + ": " + e.getMessage() : e.getMessage();
    }

    /** The port the proxy listens on (the bound one when 0 was asked for); -1 before start or when embedded. */
    public synchronized int port() {
        return listeners == null ? -1 : listeners.port();
    }

    /** The port the TLS listener listens on (the bound one when 0 was asked for); -1 before start or without TLS. */
    public synchronized int tlsPort() {
        return listeners == null ? -1 : listeners.tlsPort();
    }

    /** The port the admin API listens on; -1 before start, when disabled or embedded. */
    public synchronized int adminPort() {
        return listeners == null ? -1 : listeners.adminPort();
    }

    /**
     * The proxy as a Jetty handler, to mount in a host's own server; that server then starts and
     * stops it (and waits for its in-flight requests when its stop timeout is set).
     *
     * @throws IllegalStateException unless the gateway was built {@link GatewayBuilder#embedded() embedded}
     */
    public Handler handler() {
        if (proxy == null) {
            throw new IllegalStateException("the proxy handler exists only in embedded mode: build the gateway with "
                    + "GatewayBuilder.embedded() to mount it in a server of your own");
        }
        return proxy;
    }

    /**
     * The admin API as a Jetty handler, to mount in a host's own server: what an embedded gateway
     * serves the admin API with, or a standalone one built with {@code adminEnabled(false)}.
     */
    public Handler adminHandler() {
        return admin;
    }

    /** The gateway's meters, also served as Prometheus text at the admin API's {@code /metrics}. */
    public PrometheusMeterRegistry meterRegistry() {
        return metrics.registry();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        drain();
        sweeper.stop();
        if (listeners != null) {
            listeners.stop();
        } else {
            proxy.closeTunnels(); // the host server keeps the rest of its connections
        }
        if (accessLog != null) {
            accessLog.close();
        }
        List<Orchestrator> owned = new ArrayList<>(config.owned());
        java.util.Collections.reverse(owned);
        for (Orchestrator orchestrator : owned) {
            try {
                orchestrator.close();
            } catch (RuntimeException e) {
                LOG.warn("closing orchestrator {} failed", orchestrator.service(), e);
            }
        }
    }

    /**
     * Stops accepting (standalone), then waits up to the shutdown timeout for in-flight
     * requests; an embedded gateway's host server keeps its connector, so only the wait is left.
     */
    private void drain() {
        if (listeners != null && !listeners.isListening()) {
            return;
        }
        try {
            (listeners == null ? admission.drain() : listeners.shutdown())
                    .get(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{} requests still in flight after {}; closing anyway", admission.inFlight(), config.shutdownTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("draining the gateway failed", e);
        }
    }
}
