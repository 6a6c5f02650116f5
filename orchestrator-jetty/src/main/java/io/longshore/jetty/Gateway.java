package io.longshore.jetty;

import io.longshore.api.OrchestratorException;
import io.longshore.core.Orchestrator;
import io.longshore.core.WaitingLine;
import io.longshore.jetty.internal.accesslog.AccessLogWriter;
import io.longshore.jetty.internal.admin.AdminErrorHandler;
import io.longshore.jetty.internal.admin.AdminHandler;
import io.longshore.jetty.internal.admin.AdminHosts;
import io.longshore.jetty.internal.dashboard.AdminRoutes;
import io.longshore.jetty.internal.dashboard.LiveService;
import io.longshore.jetty.internal.embedded.EmbeddedProxy;
import io.longshore.jetty.internal.engine.EngineOptions;
import io.longshore.jetty.internal.engine.ProxyEngine;
import io.longshore.jetty.internal.http2.Http2Frontend;
import io.longshore.jetty.internal.metrics.GatewayMetrics;
import io.longshore.jetty.internal.metrics.ReplicaSeriesSweeper;
import io.longshore.jetty.internal.metrics.ServiceMetrics;
import io.longshore.jetty.internal.policy.Admission;
import io.longshore.jetty.internal.policy.ProxySettings;
import io.longshore.jetty.internal.policy.RetryBudget;
import io.longshore.jetty.internal.policy.WaitingRooms;
import io.longshore.jetty.internal.routing.RouteTable;
import io.longshore.jetty.internal.routing.ServiceRoute;
import io.longshore.jetty.internal.routing.ServiceView;
import io.longshore.jetty.internal.routing.StaticServiceView;
import io.longshore.jetty.internal.tls.TlsTerminator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
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
    private static final int ADMIN_THREADS = 8;
    /** The most threads HTTP/2 streams' requests run on (the proxy handler never blocks one). */
    private static final int HTTP2_THREADS = 16;

    private final Config config;
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final Admission admission;
    private final EmbeddedProxy proxy;
    private final ProxyEngine engine;
    /** HTTP/2 for the standalone engine's clients; {@code null} when off or embedded. */
    private final Http2Frontend http2;
    private final AdminHandler admin;
    private final AccessLogWriter accessLog;
    /** Ends gone replicas' series whether or not the admin API is served. */
    private final ReplicaSeriesSweeper sweeper;
    private Server adminServer;
    private ServerConnector adminConnector;
    private boolean started;
    private boolean closed;

    /** The settings {@link GatewayBuilder} checked. */
    record Config(List<ServiceRoute> routes, List<Orchestrator> owned, String host, int port, String adminHost,
                  int adminPort, boolean adminEnabled, boolean embedded, String bearerToken,
                  Duration shutdownTimeout, ProxySettings settings, int ioThreads, Duration clientIdleTimeout,
                  int maxWaiting, Duration maxWait, Duration requestHeadTimeout, AccessLog accessLog, Tls tls,
                  Duration busyPoll, boolean http2, List<String> adminAllowedHosts) {
    }

    Gateway(Config config) {
        this.config = config;
        RouteTable routes = new RouteTable(config.routes());
        List<ServiceMetrics> serviceMetrics = new ArrayList<>();
        List<ServiceView> views = new ArrayList<>();
        List<LiveService> live = new ArrayList<>();
        for (ServiceRoute route : config.routes()) {
            ServiceMetrics m = metrics.service(route.service());
            serviceMetrics.add(m);
            ServiceView view = route.view() != null ? route.view()
                    : new StaticServiceView(route.service(), route.router().get(), m::requests);
            if (views.stream().noneMatch(v -> v.service().equals(view.service()))) {
                views.add(view);
                live.add(new LiveService(route.prefix(), view, m));
                metrics.bind(view);
            }
        }
        this.admission = new Admission(config.settings().maxConcurrentRequests());
        RetryBudget budget = new RetryBudget(config.settings().retryBudget());
        WaitingRooms rooms = new WaitingRooms(routes, config.maxWaiting(), config.maxWait());
        for (ServiceView view : views) {
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
        if (config.embedded()) {
            this.proxy = new EmbeddedProxy(routes, serviceMetrics, config.settings(), admission, budget, rooms,
                    accessLog, 0);
            this.engine = null;
            this.http2 = null;
        } else {
            int threads = config.ioThreads() > 0 ? config.ioThreads() : Runtime.getRuntime().availableProcessors();
            this.proxy = null;
            int maxHead = config.settings().maxHeaderBytes();
            this.http2 = !config.http2() ? null : new Http2Frontend(new EmbeddedProxy(routes, serviceMetrics,
                    config.settings(), admission, budget, rooms, accessLog, maxHead), maxHead, HTTP2_THREADS);
            if (http2 != null) {
                metrics.http2Connections(http2::connections);
            }
            this.engine = new ProxyEngine(routes, serviceMetrics, config.settings(), admission, budget,
                    new EngineOptions(threads, config.clientIdleTimeout().toMillis(),
                            config.requestHeadTimeout().toMillis(), tls, config.busyPoll().toNanos(), http2), rooms,
                    accessLog);
        }
        this.admin = new AdminHandler(views, metrics, config.bearerToken(),
                new AdminHosts(config.embedded() ? null : config.adminHost(), config.adminAllowedHosts()),
                new AdminRoutes(live, config.settings().clock()));
        metrics.inFlight(admission::inFlight);
        this.sweeper = new ReplicaSeriesSweeper(live.stream().map(service -> new ReplicaSeriesSweeper.Service(
                service.view().service(), service.metrics(), service.view()::replicas)).toList(),
                config.settings().clock());
    }

    public static GatewayBuilder builder() {
        return new GatewayBuilder();
    }

    /**
     * Opens the access log and (unless embedded) the proxy, TLS and admin listeners, starts ending
     * the metric series of replicas that left, then starts the orchestrators the gateway owns.
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
                startServers();
            } catch (Exception e) {
                close();
                throw new OrchestratorException("gateway failed to start on " + config.host() + ":" + config.port()
                        + (config.tls() == null ? "" : " (TLS " + config.host() + ":" + config.tls().port() + ")")
                        + " (admin " + config.adminHost() + ":" + config.adminPort() + "): " + why(e), e);
            }
        }
        sweeper.start();
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

    private void startServers() throws Exception {
        if (config.adminEnabled()) {
            QueuedThreadPool adminThreads = new QueuedThreadPool(ADMIN_THREADS, 2);
            adminThreads.setName("longshore-admin");
            adminServer = new Server(adminThreads);
            adminServer.setErrorHandler(new AdminErrorHandler()); // Jetty's own refusals in the API's JSON
            adminConnector = connector(adminServer, config.adminHost(), config.adminPort());
            adminServer.setHandler(admin);
            adminServer.start();
        }
        if (http2 != null) {
            http2.start();
        }
        engine.start(config.host(), config.port());
        LOG.info("gateway listening on {}:{}{}{}{}", config.host(), port(),
                engine.tlsPort() < 0 ? "" : ", TLS on " + config.host() + ":" + engine.tlsPort(),
                http2 == null ? "" : ", HTTP/2 on",
                adminConnector == null ? "" : ", admin on " + config.adminHost() + ":" + adminPort());
    }

    private static ServerConnector connector(Server server, String host, int port) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        return connector;
    }

    /** The port the proxy listens on (the bound one when 0 was asked for); -1 before start or when embedded. */
    public synchronized int port() {
        return engine == null ? -1 : engine.port();
    }

    /** The port the TLS listener listens on (the bound one when 0 was asked for); -1 before start or without TLS. */
    public synchronized int tlsPort() {
        return engine == null ? -1 : engine.tlsPort();
    }

    /** The port the admin API listens on; -1 before start, when disabled or embedded. */
    public synchronized int adminPort() {
        return adminConnector == null ? -1 : adminConnector.getLocalPort();
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
        if (engine != null) {
            engine.stop();
            stop(http2 == null ? null : http2::stop, "HTTP/2 streams");
        } else {
            proxy.closeTunnels(); // the host server keeps the rest of its connections
        }
        stop(adminServer == null ? null : adminServer::stop, "admin server");
        sweeper.stop();
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
        if (engine != null && engine.port() < 0) {
            return;
        }
        try {
            (engine == null ? admission.drain()
                    : http2 == null ? engine.shutdown() : CompletableFuture.allOf(engine.shutdown(), http2.shutdown()))
                    .get(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{} requests still in flight after {}; closing anyway", admission.inFlight(), config.shutdownTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("draining the gateway failed", e);
        }
    }

    /** Something of the gateway's that stops, and may fail to. */
    private interface Stoppable {
        void stop() throws Exception;
    }

    /** Stops {@code part} ({@code null}: nothing to stop), logging a failure rather than throwing it. */
    private static void stop(Stoppable part, String what) {
        if (part == null) {
            return;
        }
        try {
            part.stop();
        } catch (Exception e) {
            LOG.warn("stopping the gateway's {} failed", what, e);
        }
    }
}
