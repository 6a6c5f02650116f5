package io.longshore.jetty.internal.engine;

import io.longshore.jetty.internal.accesslog.AccessLogWriter;
import io.longshore.jetty.internal.metrics.ServiceMetrics;
import io.longshore.jetty.internal.policy.Admission;
import io.longshore.jetty.internal.policy.ProxySettings;
import io.longshore.jetty.internal.policy.RetryBudget;
import io.longshore.jetty.internal.policy.WaitingRooms;
import io.longshore.jetty.internal.routing.RouteTable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's standalone proxy: one listening socket and {@code workers} event loops that
 * share it (see {@link ProxyWorker}), a timer thread for timeouts, and the shared
 * {@link EngineContext}. {@link #start}, {@link #shutdown} (stop accepting, drain) and
 * {@link #stop} are called by one owner; the counters are safe to read from any thread.
 */
public final class ProxyEngine {
    /** Connections a listening socket queues before they are accepted. */
    static final int BACKLOG = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(ProxyEngine.class);

    private final RouteTable routes;
    private final List<ServiceMetrics> metrics;
    private final ProxySettings settings;
    private final Admission admission;
    private final RetryBudget budget;
    private final WaitingRooms rooms;
    private final EngineOptions options;
    private final AccessLogWriter accessLog;
    private final List<ProxyWorker> workers = new ArrayList<>();
    private ScheduledExecutorScheduler scheduler;
    private ServerSocketChannel listener;
    private ServerSocketChannel tlsListener;
    private int tlsPort = -1;
    private EngineContext context;
    private int port = -1;

    /**
     * @param admission the gateway's count of requests in flight, which the engine adds to
     * @param budget    the gateway's retry budget
     * @param options   the engine's own connector settings
     * @param rooms     where requests wait for room, by route
     * @param accessLog where each request is logged, {@code null} for nowhere
     */
    public ProxyEngine(RouteTable routes, List<ServiceMetrics> metrics, ProxySettings settings,
                       Admission admission, RetryBudget budget, EngineOptions options, WaitingRooms rooms,
                       AccessLogWriter accessLog) {
        this.accessLog = accessLog;
        this.routes = routes;
        this.metrics = List.copyOf(metrics);
        this.settings = settings;
        this.admission = admission;
        this.budget = budget;
        this.options = options;
        this.rooms = rooms;
    }

    /** Binds {@code host:port} (0 for any free port) and starts the workers. */
    public void start(String host, int bindPort) throws Exception {
        scheduler = new ScheduledExecutorScheduler("longshore-gateway-timer", true);
        scheduler.start();
        context = new EngineContext(routes, metrics, settings, admission, budget, scheduler, options, rooms,
                accessLog);
        listener = listen(host, bindPort);
        port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        if (options.tls() != null) {
            options.tls().start(scheduler);
            tlsListener = listen(host, options.tls().config().port());
            tlsPort = ((InetSocketAddress) tlsListener.getLocalAddress()).getPort();
        }
        int workerCount = options.workers();
        int perWorker = Math.max(1, (settings.connectionsPerBackend() + workerCount - 1) / workerCount);
        for (int i = 0; i < workerCount; i++) {
            ProxyWorker worker = new ProxyWorker(context, new WorkerThread("longshore-gateway-io-" + i), perWorker,
                    settings.randomness().forLoop(), tlsPort);
            workers.add(worker);
            worker.start();
            worker.acceptor(listener);
            if (tlsListener != null) {
                worker.acceptor(tlsListener);
            }
        }
    }

    private static ServerSocketChannel listen(String host, int bindPort) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.bind(new InetSocketAddress(host, bindPort), BACKLOG);
        channel.configureBlocking(false);
        return channel;
    }

    /** The engine's timer thread, for the gateway's own periodic work; {@code null} before start. */
    public org.eclipse.jetty.util.thread.Scheduler timer() {
        return scheduler;
    }

    /** The TLS listener's bound port; -1 before start or without TLS. */
    public int tlsPort() {
        return tlsPort;
    }

    /** The bound port; -1 before start. */
    public int port() {
        return port;
    }

    /**
     * Stops accepting, answers what is in flight with {@code Connection: close}, closes idle
     * connections; the future completes when no request is in flight.
     */
    public CompletableFuture<Void> shutdown() {
        if (context == null) {
            return CompletableFuture.completedFuture(null);
        }
        closeListener();
        CompletableFuture<Void> drained = admission.drain();
        workers.forEach(ProxyWorker::closeIdleClients);
        return drained;
    }

    /** Closes every connection and stops the threads. */
    public void stop() {
        closeListener();
        for (ProxyWorker worker : workers) {
            try {
                worker.stop();
            } catch (Exception e) {
                LOG.warn("stopping {} failed", worker, e);
            }
        }
        workers.clear();
        if (options.tls() != null) {
            options.tls().stop();
        }
        if (scheduler != null) {
            try {
                scheduler.stop();
            } catch (Exception e) {
                LOG.warn("stopping the gateway's timer failed", e);
            }
        }
    }

    private void closeListener() {
        for (ServerSocketChannel channel : new ServerSocketChannel[] {listener, tlsListener}) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    LOG.debug("closing a listening socket failed", e);
                }
            }
        }
    }
}
