package io.longshore.benchmarks.autoscaling;

import io.longshore.api.ScalingContext;
import io.longshore.api.ScalingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The Kubernetes HPA's algorithm on a concurrency metric, for comparison: every sync period the
 * mean concurrency per ready replica over the period (the metrics pipeline's resolution) against
 * the target, no change within the tolerance, {@code ceil(ready × ratio)} otherwise; scale-up at
 * most 100 % or 4 replicas per period (the default behaviour), scale-down to no lower than the
 * highest recommendation of the stabilisation window. It sees neither the gateway's line nor the
 * arrival rate, as the HPA on a pod metric does not. Stateful: one per orchestrator.
 */
public final class HpaLikePolicy implements ScalingPolicy {
    private final double target;
    private final double tolerance;
    private final Duration sync;
    private final Duration stabilization;
    private final ArrayDeque<Recommendation> history = new ArrayDeque<>();

    private record Recommendation(Instant at, int replicas) {
    }

    public HpaLikePolicy(double target, double tolerance, Duration sync, Duration stabilization) {
        this.target = target;
        this.tolerance = tolerance;
        this.sync = sync;
        this.stabilization = stabilization;
    }

    @Override
    public int decide(ScalingContext context) {
        int current = context.currentReplicas();
        int ready = context.readyReplicas();
        if (ready == 0) {
            return Math.max(current, 1);
        }
        double perReplica = context.metrics().concurrency(sync) / ready;
        double ratio = perReplica / target;
        int recommendation = Math.abs(ratio - 1) <= tolerance ? current : (int) Math.ceil(ready * ratio - 1e-9);
        Instant now = context.now();
        history.addLast(new Recommendation(now, recommendation));
        while (!history.isEmpty() && history.peekFirst().at().isBefore(now.minus(stabilization))) {
            history.removeFirst();
        }
        if (recommendation < current) {
            int highest = history.stream().mapToInt(Recommendation::replicas).max().orElse(recommendation);
            recommendation = Math.min(current, Math.max(recommendation, highest));
        }
        int upLimit = current + Math.max(4, current);
        return Math.min(recommendation, upLimit);
    }

    @Override
    public ScalingPolicy newInstance() {
        return new HpaLikePolicy(target, tolerance, sync, stabilization);
    }

    @Override
    public String toString() {
        return "hpa-like";
    }
}
