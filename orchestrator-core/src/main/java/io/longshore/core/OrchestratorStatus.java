package io.longshore.core;

import io.longshore.api.OrchestratorEvent;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The orchestrator's state at a glance, as the admin API's {@code /status} shows it. Immutable.
 *
 * @param service     the service name
 * @param desired     the desired replica count
 * @param ready       replicas passing their probes
 * @param min         the lower bound
 * @param max         the upper bound
 * @param strategy    the load-balancing strategy's name
 * @param policy      the scaling policy's name
 * @param lastScaling the last change of the desired count, if any
 * @param lastDecision the scaling policy's last decision with its inputs, if it decided yet
 */
public record OrchestratorStatus(String service, int desired, int ready, int min, int max,
                                 String strategy, String policy, Optional<Scaling> lastScaling,
                                 Optional<OrchestratorEvent.ScalingDecided> lastDecision) {
    public OrchestratorStatus {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(lastScaling, "lastScaling");
        Objects.requireNonNull(lastDecision, "lastDecision");
    }

    /** A status without a scaling decision (fixed backends, or before the policy's first decision). */
    public OrchestratorStatus(String service, int desired, int ready, int min, int max, String strategy,
                              String policy, Optional<Scaling> lastScaling) {
        this(service, desired, ready, min, max, strategy, policy, lastScaling, Optional.empty());
    }

    /** One change of the desired count. */
    public record Scaling(Instant at, int from, int to, String reason) { }
}
