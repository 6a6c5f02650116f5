package io.longshore.core;

import io.longshore.api.Clock;
import io.longshore.api.Endpoint;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.Scheduler;
import io.longshore.api.Scheduler.Cancellable;
import io.longshore.core.internal.DefaultRouter;
import io.longshore.core.internal.FailureReporter;
import io.longshore.core.internal.ReplicaBackend;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one orchestrator and the loop that changes it. Every field is touched only
 * from tasks of the scheduler (submitted through {@link #post} and {@link #later}, which
 * guard them and publish the new routing snapshot and views after each), so nothing here
 * needs a lock. Readers on other threads see only {@link #published()} and the router.
 */
final class ControlLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ControlLoop.class);

    final OrchestratorConfig config;
    final String service;
    final Clock clock;
    final ReplicaTable table = new ReplicaTable();
    final EventLog events;
    final RestartBackoff backoff;
    final FailureReporter userCode;
    final DefaultRouter router;
    final String specHash;
    final ReplicaLifecycle lifecycle;
    final ProbeRunner probes;
    final OutlierEjector ejector;
    final ScalingTicker scaling;
    final Adoption adoption;

    private final Scheduler scheduler;
    private final Executor executor;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile Published published;
    private List<ReplicaBackend> lastRouting = List.of();
    private long replicaSequence;
    private boolean refreshPending;

    int desired;
    boolean running;
    boolean closing;
    Optional<OrchestratorStatus.Scaling> lastScaling = Optional.empty();

    /** What readers on other threads see: the replicas and the status after the last change. */
    record Published(List<ReplicaView> views, List<ReplicaBackend> backends, OrchestratorStatus status) {
        /** The views with the live request counts of their backends. */
        List<ReplicaView> live() {
            List<ReplicaView> live = new ArrayList<>(views.size());
            for (int i = 0; i < views.size(); i++) {
                ReplicaView v = views.get(i);
                ReplicaBackend b = backends.get(i);
                live.add(new ReplicaView(v.id(), v.containerId(), v.port(), v.state(), v.healthy(),
                        b.requestCount(), b.inFlight(), v.startedAt(), v.restarts()));
            }
            return List.copyOf(live);
        }
    }

    ControlLoop(OrchestratorConfig config, Scheduler scheduler, Executor executor) {
        this.config = config;
        this.service = config.service().service();
        this.clock = config.clock();
        this.scheduler = scheduler;
        this.executor = executor;
        this.events = new EventLog(EventLog.DEFAULT_CAPACITY, config.listeners(), config.clock(), config.service().service());
        this.backoff = new RestartBackoff(config.restartBackoffInitial(), config.restartBackoffMax(),
                config.restartBackoffReset());
        this.userCode = new FailureReporter(clock, FailureReporter.DEFAULT_INTERVAL,
                (component, error) -> post(() -> emit(new OrchestratorEvent.UserCodeFailed(now(), service, component, error))));
        OutlierDetection outliers = config.outlierDetection();
        this.router = new DefaultRouter(config.strategy(), clock,
                outliers.enabled() ? outliers.consecutiveFailures() : 0, new RouterHooks());
        this.specHash = ContainerLabels.specHash(config.service());
        this.desired = config.initialReplicas();
        this.lifecycle = new ReplicaLifecycle(this, config.runtime());
        this.probes = new ProbeRunner(this, config.probe());
        this.ejector = new OutlierEjector(this);
        this.scaling = new ScalingTicker(this, config.scalingPolicy());
        this.adoption = new Adoption(this, config.runtime());
        this.published = new Published(List.of(), List.of(), status());
    }

    /** Runs {@code task} on the loop as soon as it is free. Callable from any thread. */
    void post(Runnable task) {
        try {
            scheduler.execute(() -> run(task));
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: loop closed, task dropped", service);
        }
    }

    /** Runs {@code task} on the loop after {@code delay}. Callable from any thread. */
    Cancellable later(Duration delay, Runnable task) {
        try {
            return scheduler.schedule(() -> run(task), delay);
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: loop closed, task dropped", service);
            return () -> { };
        }
    }

    /** Runs blocking work off the loop, on the runtime executor. */
    void offLoop(Runnable work) {
        try {
            executor.execute(work);
        } catch (RejectedExecutionException e) {
            LOG.warn("{}: runtime executor refused work", service, e);
        }
    }

    private void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | LinkageError e) {
            LOG.error("{}: control loop task failed; the loop goes on", service, e);
        } finally {
            requestRefresh();
        }
    }

    /**
     * Coalesces the refreshes of every task queued now into one that runs after them: a probe
     * round of N replicas posts N completions, and refreshing after each rebuilt N views N times.
     * Loop only.
     */
    private void requestRefresh() {
        if (refreshPending) {
            return;
        }
        refreshPending = true;
        try {
            scheduler.execute(() -> {
                refreshPending = false;
                refresh();
            });
        } catch (RejectedExecutionException e) {
            refreshPending = false;
            refresh();
        }
    }

    /** Publishes the routing snapshot (when it changed) and the views. Loop only. */
    void refresh() {
        List<ReplicaBackend> routing = table.routing(config.outlierDetection().panicThresholdPercent());
        if (!sameBackends(routing, lastRouting)) {
            router.publish(routing);
            lastRouting = routing;
        }
        List<ReplicaView> views = new ArrayList<>();
        List<ReplicaBackend> backends = new ArrayList<>();
        for (Replica replica : table.values()) {
            views.add(replica.view());
            backends.add(replica.backend);
        }
        published = new Published(List.copyOf(views), List.copyOf(backends), status());
        if (closing && (table.isEmpty() || !config.stopReplicasOnClose())) {
            closed.complete(null);
        }
    }

    private static boolean sameBackends(List<ReplicaBackend> a, List<ReplicaBackend> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    Published published() {
        return published;
    }

    private OrchestratorStatus status() {
        return new OrchestratorStatus(service, desired, table.readyCount(), config.minReplicas(),
                config.maxReplicas(), config.strategy().toString(), config.scalingPolicy().toString(), lastScaling);
    }

    /** Sets the desired count (already clamped) and reconciles. Loop only. */
    void setDesired(int to, String reason) {
        int from = desired;
        if (to == from || closing) {
            return;
        }
        desired = to;
        Instant at = now();
        lastScaling = Optional.of(new OrchestratorStatus.Scaling(at, from, to, reason));
        emit(new OrchestratorEvent.Scaled(at, service, from, to, reason));
        lifecycle.reconcile();
    }

    int clamp(int replicas) {
        return Math.max(config.minReplicas(), Math.min(config.maxReplicas(), replicas));
    }

    /** Begins the shutdown: stops ticking and, unless configured otherwise, removes every replica. */
    void beginClose() {
        if (closing) {
            return;
        }
        closing = true;
        lifecycle.unwatch();
        if (config.stopReplicasOnClose()) {
            for (Replica replica : table.all()) {
                lifecycle.drain(replica, Replica.Exit.REMOVE, "orchestrator closing");
            }
        }
    }

    CompletableFuture<Void> closed() {
        return closed;
    }

    String nextReplicaId(int port) {
        return service + "-" + port + "-" + (++replicaSequence);
    }

    Endpoint endpoint(int port) {
        return new Endpoint(config.host(), port);
    }

    void emit(OrchestratorEvent event) {
        events.emit(event);
    }

    Instant now() {
        return clock.instant();
    }

    long nanos() {
        return clock.nanoTime();
    }

    /** The router's hooks: each hands its news to the loop. */
    private final class RouterHooks implements DefaultRouter.Hooks {
        @Override
        public void outlier(ReplicaBackend backend) {
            post(() -> ejector.onOutlier(backend));
        }

        @Override
        public void firstRequest(Instant at) {
            post(scaling::firstRequest);
        }

        @Override
        public void userCodeFailed(String component, String error) {
            post(() -> emit(new OrchestratorEvent.UserCodeFailed(now(), service, component, error)));
        }
    }
}
