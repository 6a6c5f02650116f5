package io.longshore.core;

import io.longshore.api.OrchestratorEvent;
import io.longshore.api.Scheduler;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
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
    private static final Logger LOG = LoggerFactory.getLogger(DefaultOrchestrator.class);

    private final OrchestratorConfig config;
    private final ThreadScheduler ownScheduler;
    private final ThreadPoolExecutor ownExecutor;
    private final ControlLoop loop;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    DefaultOrchestrator(OrchestratorConfig config) {
        this.config = config;
        String service = config.service().service();
        this.ownScheduler = config.scheduler() == null ? new ThreadScheduler(service) : null;
        this.ownExecutor = config.runtimeExecutor() == null ? runtimePool(service) : null;
        Scheduler scheduler = ownScheduler != null ? ownScheduler : config.scheduler();
        Executor executor = ownExecutor != null ? ownExecutor : config.runtimeExecutor();
        this.loop = new ControlLoop(config, scheduler, executor);
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
            loop.post(loop.adoption::begin);
        }
        return this;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        loop.post(loop::beginClose);
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
    }

    @Override
    public String service() {
        return config.service().service();
    }

    @Override
    public Router router() {
        return loop.router;
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
        int clamped = loop.clamp(replicas);
        loop.post(() -> loop.setDesired(clamped, "scaled to " + replicas + " by request"));
        return clamped;
    }

    @Override
    public List<OrchestratorEvent> recentEvents(int limit) {
        return loop.events.recent(limit);
    }

    @Override
    public CompletionStage<Boolean> drain(String replicaId) {
        return onReplica(replicaId, replica -> loop.lifecycle.drain(replica, Replica.Exit.REPLACE, "drained by request"));
    }

    @Override
    public CompletionStage<Boolean> replace(String replicaId) {
        return onReplica(replicaId, replica -> loop.lifecycle.replace(replica, "replaced by request", false));
    }

    /** Runs {@code action} on the loop for the replica with that id unless it is missing or already leaving. */
    private CompletionStage<Boolean> onReplica(String replicaId, Consumer<Replica> action) {
        Objects.requireNonNull(replicaId, "replicaId");
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        if (closed.get()) {
            done.complete(false);
            return done;
        }
        loop.post(() -> {
            try {
                boolean act = false;
                for (Replica replica : loop.table.all()) {
                    if (replica.id.equals(replicaId) && !loop.closing && replica.exit == Replica.Exit.NONE
                            && !replica.stopping) {
                        action.accept(replica);
                        act = true;
                    }
                }
                done.complete(act);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
                throw e;
            }
        });
        return done;
    }

    @Override
    public String toString() {
        return "orchestrator(" + service() + ")";
    }
}
