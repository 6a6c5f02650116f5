package io.longshore.api;

import java.time.Duration;
import java.util.List;

/**
 * Decides how many replicas a service should run. Called on the control loop at each
 * scaling tick; the orchestrator clamps the answer to min/max and applies it. A policy that
 * throws keeps the current count, and the failure is reported.
 */
@FunctionalInterface
public interface ScalingPolicy {

    /** The desired replica count; may lie outside min/max (it is clamped). */
    int decide(ScalingContext context);

    /**
     * Whether the scaling clock starts at the first routed request (the seed's behaviour)
     * rather than when the orchestrator starts.
     */
    default boolean startsAtFirstRequest() {
        return false;
    }

    /** Always {@code replicas}. */
    static ScalingPolicy fixed(int replicas) {
        return new FixedPolicy(replicas);
    }

    /**
     * The seed's autoscaler: {@code replicas = requestsInWindow / perReplica + 1}, with the
     * clock starting at the first request. Use the window as the scaling interval.
     */
    static ScalingPolicy requestsPerReplica(int perReplica, Duration window) {
        return new RequestsPerReplicaPolicy(perReplica, window);
    }

    /** The seed's extension: user rules; when several fire, scale-out wins. */
    static ScalingPolicy rules(List<ScalingRule> rules) {
        return new RulePolicy(rules);
    }
}
