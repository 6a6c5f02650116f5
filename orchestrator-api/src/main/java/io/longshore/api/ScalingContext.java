package io.longshore.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a scaling policy decides from. Immutable.
 *
 * @param currentReplicas the desired count before this decision
 * @param readyReplicas   replicas that pass their probes now
 * @param minReplicas     the lower bound the orchestrator will clamp to
 * @param maxReplicas     the upper bound the orchestrator will clamp to
 * @param now             the time of the decision
 * @param lastScaledAt    when the desired count last changed, if ever
 * @param firstRequestAt  when the first request was routed, if yet
 * @param metrics         load figures
 */
public record ScalingContext(int currentReplicas, int readyReplicas, int minReplicas,
                             int maxReplicas, Instant now, Optional<Instant> lastScaledAt,
                             Optional<Instant> firstRequestAt, LoadMetrics metrics) {
    public ScalingContext {
        if (minReplicas < 0 || maxReplicas < minReplicas) {
            throw new IllegalArgumentException(
                    "need 0 <= min <= max, was min=" + minReplicas + " max=" + maxReplicas);
        }
        if (currentReplicas < 0 || readyReplicas < 0) {
            throw new IllegalArgumentException("replica counts must be >= 0");
        }
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(lastScaledAt, "lastScaledAt");
        Objects.requireNonNull(firstRequestAt, "firstRequestAt");
        Objects.requireNonNull(metrics, "metrics");
    }
}
