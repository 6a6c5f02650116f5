package io.longshore.core;

import io.longshore.api.ContainerRuntime;
import io.longshore.api.ResourceStats;
import io.longshore.api.ScalingContext;
import io.longshore.api.ScalingPolicy;
import io.longshore.core.internal.DefaultRouter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the scaling policy every scaling interval, from the start or, for policies that ask
 * for it, from the first routed request: samples the replicas' CPU off the loop, builds the
 * context, asks the policy (a throwing policy keeps the count), clamps to min/max and hands the
 * decision to its {@link Target}. Loop only; not thread-safe.
 */
final class ScalingTicker {
    private static final Logger LOG = LoggerFactory.getLogger(ScalingTicker.class);

    /** The owner of the desired count: what the ticker reads, and where its decisions go. */
    interface Target {
        int desired();

        Optional<Instant> lastScaledAt();

        /** Sets the desired count to {@code replicas} (already clamped), for {@code reason}. */
        void scaleTo(int replicas, String reason);
    }

    private final ControlPort control;
    private final ReplicaTable table;
    private final DefaultRouter router;
    private final ContainerRuntime runtime;
    private final ScalingPolicy policy;
    private final long intervalNanos;
    private final int min;
    private final int max;
    private final Target target;
    private boolean started;
    private boolean ticking;
    private boolean stopped;
    private long nextTickNanos;

    ScalingTicker(ControlPort control, ReplicaTable table, DefaultRouter router, OrchestratorConfig config, Target target) {
        this.control = control;
        this.table = table;
        this.router = router;
        this.runtime = config.runtime();
        this.policy = config.scalingPolicy();
        this.intervalNanos = config.scalingInterval().toNanos();
        this.min = config.minReplicas();
        this.max = config.maxReplicas();
        this.target = target;
    }

    /** Ticks from now, or from the first request for a policy that asks for it. */
    void start() {
        started = true;
        if (!policy.startsAtFirstRequest() || router.firstRequestAt().isPresent()) {
            begin();
        }
    }

    /** The router saw its first request. */
    void firstRequest() {
        if (started) {
            begin();
        }
    }

    /** No more ticks, no more decisions. */
    void stop() {
        stopped = true;
    }

    private void begin() {
        if (ticking || stopped) {
            return;
        }
        ticking = true;
        nextTickNanos = control.nanos() + intervalNanos;
        control.later(Duration.ofNanos(intervalNanos), this::tick);
    }

    private void tick() {
        if (stopped) {
            return;
        }
        nextTickNanos += intervalNanos;
        control.later(Duration.ofNanos(Math.max(0, nextTickNanos - control.nanos())), this::tick);
        List<String> containers = table.values().stream()
                .filter(r -> r.hasContainer() && !r.isLeaving()).map(Replica::containerId).toList();
        long tickNanos = control.nanos();
        Instant tickTime = control.now();
        control.offLoop(() -> {
            double cpu = meanCpu(runtime, containers);
            control.post(() -> decide(cpu, tickNanos, tickTime));
        });
    }

    private static double meanCpu(ContainerRuntime runtime, List<String> containers) {
        double sum = 0;
        int count = 0;
        for (String id : containers) {
            try {
                Optional<ResourceStats> stats = runtime.stats(id);
                if (stats.isPresent()) {
                    sum += stats.get().cpuPercent();
                    count++;
                }
            } catch (RuntimeException e) {
                LOG.debug("no stats for {}", id, e);
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * Decides with the figures of the interval that ended at the tick: sampling CPU may take
     * a while (a Docker stats call takes about a second per container), and the request window
     * must not slide past the interval's first requests meanwhile.
     */
    private void decide(double cpu, long tickNanos, Instant tickTime) {
        if (stopped) {
            return;
        }
        router.cpuPercent(cpu);
        int desired = target.desired();
        ScalingContext context = new ScalingContext(desired, table.readyCount(), min, max, tickTime,
                target.lastScaledAt(), router.firstRequestAt(), router.metricsAsOf(tickNanos));
        int wanted;
        try {
            wanted = policy.decide(context);
        } catch (RuntimeException | LinkageError e) {
            control.userCodeFailed("policy " + policy, String.valueOf(e));
            return;
        }
        int clamped = Math.max(min, Math.min(max, wanted));
        if (clamped != desired) {
            target.scaleTo(clamped, "policy " + policy + " wants " + wanted
                    + (clamped != wanted ? " (clamped to " + clamped + ")" : ""));
        }
    }
}
