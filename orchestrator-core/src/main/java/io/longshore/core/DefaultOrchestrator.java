package io.longshore.core;

import io.longshore.api.ContainerSpec;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator: owns the control loop, the scheduler and runtime executor it created,
 * and answers queries from the loop's published snapshots. With a scheduler of its own,
 * {@link #close()} waits (up to the shutdown timeout) until the replicas are stopped; with an
 * injected scheduler it only starts the shutdown, which the scheduler's owner drives.
 * Thread-safe.
 */
final class DefaultOrchestrator implements Orchestrator {
    /** Threads of the default runtime executor (blocking start/stop/list calls). */
    static final int RUNTIME_THREADS = 8;
    /** The fewest threads the default probe executor may grow to (else twice the most replicas). */
    static final int MIN_PROBE_THREADS = 16;
    private static final Logger LOG = LoggerFactory.getLogger(DefaultOrchestrator.class);

    private final OrchestratorConfig config;
    private final ThreadScheduler ownScheduler;
    private final ThreadPoolExecutor ownExecutor;
    private final ThreadPoolExecutor ownProbeExecutor;
    private final ControlLoop loop;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    DefaultOrchestrator(OrchestratorConfig config) {
        this.config = config;
        String service = config.service().service();
        this.ownScheduler = config.scheduler() == null ? new ThreadScheduler(service) : null;
        this.ownExecutor = config.runtimeExecutor() == null ? runtimePool(service) : null;
        this.ownProbeExecutor = config.probeExecutor() == null
                ? probePool(service, Math.max(MIN_PROBE_THREADS, 2 * config.maxReplicas())) : null;
        Scheduler scheduler = ownScheduler != null ? ownScheduler : config.scheduler();
        Executor executor = ownExecutor != null ? ownExecutor : config.runtimeExecutor();
        Executor probeExecutor = ownProbeExecutor != null ? ownProbeExecutor : config.probeExecutor();
        this.loop = new ControlLoop(config, scheduler, executor, probeExecutor);
    }

    /**
     * Threads for the probe's {@code probe()} calls: as many as calls have not returned (at most
     * one per replica), up to {@code limit} (replicas replaced while their calls hang leave those
     * threads behind; beyond the limit a probe is not run: no verdict, a reported failure of user
     * code), each kept 30 s
     * after its last call.
     */
    private static ThreadPoolExecutor probePool(String service, int limit) {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(0, limit, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
            Thread thread = new Thread(task, "longshore-" + service + "-probe-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    private static ThreadPoolExecutor runtimePool(String service) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(RUNTIME_THREADS, RUNTIME_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "longshore-" + service + "-runtime-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    @Override
    public Orchestrator start() {
        if (closed.get()) {
            throw new IllegalStateException("orchestrator of " + service() + " is closed");
        }
        if (started.compareAndSet(false, true)) {
            loop.start();
        }
        return this;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        loop.close();
        if (ownScheduler == null) {
            loop.closed().whenComplete((ignored, error) -> shutdownExecutor());
            return;
        }
        try {
            loop.closed().get(config.shutdownTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{}: replicas not stopped within {}; leaving them", service(), config.shutdownTimeout());
        } catch (ExecutionException e) {
            LOG.warn("{}: shutdown failed", service(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ownScheduler.shutdown();
            shutdownExecutor();
        }
    }

    private void shutdownExecutor() {
        if (ownExecutor != null) {
            ownExecutor.shutdown();
        }
        if (ownProbeExecutor != null) {
            ownProbeExecutor.shutdown();
        }
    }

    @Override
    public String service() {
        return config.service().service();
    }

    @Override
    public Router router() {
        return loop.router();
    }

    @Override
    public List<ReplicaView> replicas() {
        return loop.published().live();
    }

    @Override
    public OrchestratorStatus status() {
        return loop.published().status();
    }

    @Override
    public int scaleTo(int replicas) {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must be >= 0, was " + replicas);
        }
        return loop.scaleTo(replicas);
    }

    @Override
    public List<OrchestratorEvent> recentEvents(int limit) {
        return loop.recentEvents(limit);
    }

    @Override
    public CompletionStage<Boolean> drain(String replicaId) {
        Objects.requireNonNull(replicaId, "replicaId");
        return closed.get() ? CompletableFuture.completedFuture(false)
                : loop.leave(replicaId, Departure.replace("drained by request", true, Duration.ZERO));
    }

    @Override
    public CompletionStage<Boolean> replace(String replicaId) {
        Objects.requireNonNull(replicaId, "replicaId");
        return closed.get() ? CompletableFuture.completedFuture(false)
                : loop.leave(replicaId, Departure.replace("replaced by request", false, Duration.ZERO));
    }

    @Override
    public CompletionStage<Boolean> setWeight(String replicaId, int weight) {
        Objects.requireNonNull(replicaId, "replicaId");
        ContainerSpec.requireWeight(weight, "weight");
        return closed.get() ? CompletableFuture.completedFuture(false) : loop.setWeight(replicaId, weight);
    }

    @Override
    public ContainerSpec spec() {
        return loop.published().spec();
    }

    @Override
    public CompletionStage<RolloutStatus> update(ContainerSpec spec) {
        Objects.requireNonNull(spec, "spec");
        requireThisService(spec);
        return loop.rollout(rollouts -> rollouts.update(spec, "update requested", loop.desired()));
    }

    /** Applies {@code change} on the loop, to the desired spec of that moment: concurrent changes all apply. */
    @Override
    public CompletionStage<RolloutStatus> update(UnaryOperator<ContainerSpec> change) {
        Objects.requireNonNull(change, "change");
        return loop.rollout(rollouts -> {
            ContainerSpec spec;
            try {
                spec = Objects.requireNonNull(change.apply(rollouts.target().spec()), "the changed spec");
                requireThisService(spec);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new RolloutException("the change does not make a valid spec: " + e.getMessage());
            }
            return rollouts.update(spec, "update requested", loop.desired());
        });
    }

    private void requireThisService(ContainerSpec spec) {
        if (!spec.service().equals(service())) {
            throw new IllegalArgumentException("the spec is of service '" + spec.service() + "'; this orchestrator runs '"
                    + service() + "'");
        }
    }

    @Override
    public Optional<RolloutStatus> rollout() {
        return loop.published().rollout();
    }

    @Override
    public CompletionStage<RolloutStatus> pauseRollout() {
        return loop.rollout(rollouts -> rollouts.pause(loop.desired()));
    }

    @Override
    public CompletionStage<RolloutStatus> resumeRollout() {
        return loop.rollout(rollouts -> rollouts.resume(loop.desired()));
    }

    @Override
    public CompletionStage<RolloutStatus> undoRollout() {
        return loop.rollout(rollouts -> rollouts.undo(loop.desired()));
    }

    /** Loop tasks that threw so far; each is a bug (logged as an error), so tests expect 0. */
    int failedLoopTasks() {
        return loop.failedTasks();
    }

    @Override
    public String toString() {
        return "orchestrator(" + service() + ")";
    }
}
