package io.longshore.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
     * The decision with what it was made from, for the {@code ScalingDecided} event and the admin
     * API; by default {@link #decide} without inputs. The orchestrator calls this one.
     */
    default ScalingDecision decision(ScalingContext context) {
        // below zero lies outside min/max like any other count: clamped, not a failure
        return ScalingDecision.of(Math.max(0, decide(context)));
    }

    /**
     * The policy one orchestrator uses, asked once when it is built: a policy that keeps state
     * between decisions (windows, history) returns a fresh copy of itself, so that one policy
     * value can configure several orchestrators. By default this policy.
     */
    default ScalingPolicy newInstance() {
        return this;
    }

    /**
     * How often this policy wants to decide, when the orchestrator's scaling interval is not set
     * explicitly; empty to leave the orchestrator's default.
     */
    default Optional<Duration> tick() {
        return Optional.empty();
    }

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

    /**
     * Target tracking: as many replicas as keep {@code settings}' metric per replica at its
     * target, with a tolerance band, a stable and a burst window, rate limits, scale-down
     * stabilisation and delay, and scale to zero when idle. See {@link TargetTracking}.
     */
    static ScalingPolicy targetTracking(TargetTracking settings) {
        return new TargetTrackingPolicy(settings);
    }

    /** Target tracking of {@code concurrency} requests in flight per replica, every other setting its default. */
    static ScalingPolicy targetTracking(double concurrency) {
        return targetTracking(TargetTracking.builder().target(concurrency).build());
    }
}
