package io.longshore.jetty;

import io.longshore.jetty.internal.admin.AdminHandler;
import io.longshore.jetty.internal.engine.EngineOptions;
import io.longshore.jetty.internal.engine.ProxyEngine;
import io.longshore.jetty.internal.http2.Http2Frontend;
import io.longshore.jetty.internal.metrics.GatewayMetrics;
import io.longshore.jetty.internal.tls.TlsTerminator;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a standalone {@link Gateway} listens with: its event-loop engine (the proxy, and TLS when
 * set), its HTTP/2 front end when on, and its {@link AdminServer} when the admin API is enabled.
 * Starts them (the admin API first, the proxy last), drains the proxy's requests in flight, and
 * stops them in a fixed order, logging a part that fails to stop rather than throwing. Not
 * thread-safe: its gateway calls it under its own lock.
 */
final class StandaloneListeners {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** The most threads HTTP/2 streams' requests run on (the proxy handler never blocks one). */
    private static final int HTTP2_THREADS = 16;
    private final ProxyEngine engine;
    /** {@code null} when HTTP/2 is off. */
    private final Http2Frontend http2;
    /** {@code null} before start and when the admin API is not served on a port of its own. */
    private AdminServer admin;

    private StandaloneListeners(ProxyEngine engine, Http2Frontend http2) {
        this.engine = engine;
        this.http2 = http2;
    }

    /**
     * The listeners {@code config} asks for, on the proxy {@code parts}: the engine, with
     * {@code tls} ({@code null}: none), and HTTP/2 when on, whose connections {@code metrics}
     * count. Nothing listens until {@link #start}.
     */
    static StandaloneListeners of(Gateway.Config config, ProxyParts parts, TlsTerminator tls, GatewayMetrics metrics) {
        int threads = config.ioThreads() > 0 ? config.ioThreads() : Runtime.getRuntime().availableProcessors();
        int maxHead = config.settings().maxHeaderBytes();
        Http2Frontend http2 = !config.http2() ? null : new Http2Frontend(parts.embedded(maxHead), maxHead,
                HTTP2_THREADS);
        if (http2 != null) {
            metrics.http2Connections(http2::connections);
        }
        ProxyEngine engine = parts.engine(new EngineOptions(threads, config.clientIdleTimeout().toMillis(),
                config.requestHeadTimeout().toMillis(), tls, config.busyPoll().toNanos(), http2));
        return new StandaloneListeners(engine, http2);
    }

    /** Starts listening as {@code config} says, the admin API serving {@code adminHandler} when enabled. */
    void start(Gateway.Config config, AdminHandler adminHandler) throws Exception {
        if (config.adminEnabled()) {
            admin = new AdminServer(config.adminHost(), config.adminPort(), adminHandler);
            admin.start();
        }
        if (http2 != null) {
            http2.start();
        }
        engine.start(config.host(), config.port());
        LOG.info("gateway listening on {}:{}{}{}{}", config.host(), port(),
                engine.tlsPort() < 0 ? "" : ", TLS on " + config.host() + ":" + engine.tlsPort(),
                http2 == null ? "" : ", HTTP/2 on",
                admin == null ? "" : ", admin on " + config.adminHost() + ":" + adminPort());
    }

    /** The port the proxy listens on (the bound one when 0 was asked for); -1 before start. */
    int port() {
        return engine.port();
    }

    /** The engine's timer, which runs from {@link #start} to {@link #stop}; {@code null} before start. */
    org.eclipse.jetty.util.thread.Scheduler timer() {
        return engine.timer();
    }

    /** The port the TLS listener listens on; -1 before start or without TLS. */
    int tlsPort() {
        return engine.tlsPort();
    }

    /** The port the admin API listens on; -1 before start or when disabled. */
    int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    /** Whether the proxy is listening, so there may be requests in flight to wait for. */
    boolean isListening() {
        return engine.port() >= 0;
    }

    /** Stops accepting; completes when no request is in flight. */
    CompletableFuture<Void> shutdown() {
        return http2 == null ? engine.shutdown() : CompletableFuture.allOf(engine.shutdown(), http2.shutdown());
    }

    /** Stops the engine, then HTTP/2's streams, then the admin API. */
    void stop() {
        engine.stop();
        stop(http2 == null ? null : http2::stop, "HTTP/2 streams");
        stop(admin == null ? null : admin::stop, "admin server");
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
