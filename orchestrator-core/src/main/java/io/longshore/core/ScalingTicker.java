package io.longshore.core;

import io.longshore.api.ContainerRuntime;
import io.longshore.api.ResourceStats;
import io.longshore.api.ScalingContext;
import io.longshore.api.ScalingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the scaling policy every scaling interval, from the start or, for policies that ask
 * for it, from the first routed request: samples the replicas' CPU off the loop, builds the
 * context, asks the policy (a throwing policy keeps the count), clamps to min/max and sets
 * the desired count. Loop only; not thread-safe.
 */
final class ScalingTicker {
    private static final Logger LOG = LoggerFactory.getLogger(ScalingTicker.class);

    private final ControlLoop loop;
    private final ScalingPolicy policy;
    private final long intervalNanos;
    private boolean ticking;
    private long nextTickNanos;

    ScalingTicker(ControlLoop loop, ScalingPolicy policy) {
        this.loop = loop;
        this.policy = policy;
        this.intervalNanos = loop.config.scalingInterval().toNanos();
    }

    void start() {
        if (!policy.startsAtFirstRequest() || loop.router.firstRequestAt().isPresent()) {
            begin();
        }
    }

    /** The router saw its first request. */
    void firstRequest() {
        if (loop.running) {
            begin();
        }
    }

    private void begin() {
        if (ticking || loop.closing) {
            return;
        }
        ticking = true;
        nextTickNanos = loop.nanos() + intervalNanos;
        loop.later(Duration.ofNanos(intervalNanos), this::tick);
    }

    private void tick() {
        if (loop.closing) {
            return;
        }
        nextTickNanos += intervalNanos;
        loop.later(Duration.ofNanos(Math.max(0, nextTickNanos - loop.nanos())), this::tick);
        List<String> containers = loop.table.values().stream()
                .filter(Replica::inService).map(r -> r.containerId).toList();
        ContainerRuntime runtime = loop.config.runtime();
        loop.offLoop(() -> {
            double cpu = meanCpu(runtime, containers);
            loop.post(() -> decide(cpu));
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

    private void decide(double cpu) {
        if (loop.closing) {
            return;
        }
        loop.router.cpuPercent(cpu);
        Optional<Instant> lastScaledAt = loop.lastScaling.map(OrchestratorStatus.Scaling::at);
        ScalingContext context = new ScalingContext(loop.desired, loop.table.readyCount(),
                loop.config.minReplicas(), loop.config.maxReplicas(), loop.now(), lastScaledAt,
                loop.router.firstRequestAt(), loop.router.metrics());
        int wanted;
        try {
            wanted = policy.decide(context);
        } catch (RuntimeException | LinkageError e) {
            loop.userCode.report("policy " + policy, e);
            return;
        }
        int clamped = loop.clamp(wanted);
        if (clamped != loop.desired) {
            String reason = "policy " + policy + " wants " + wanted
                    + (clamped != wanted ? " (clamped to " + clamped + ")" : "");
            loop.setDesired(clamped, reason);
        }
    }
}
