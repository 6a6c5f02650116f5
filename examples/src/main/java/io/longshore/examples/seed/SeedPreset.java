package io.longshore.examples.seed;

import io.longshore.api.HealthProbe;
import io.longshore.api.ScalingPolicy;
import io.longshore.core.OrchestratorBuilder;
import java.time.Duration;

/**
 * The seed document's orchestrator settings, from the command line: probe
 * {@code GET /api/v1/_health} every health interval and replace a replica on the first failed
 * probe (rise 1, fall 1, as the seed; both flags); scale with
 * {@code requestsPerReplica(n, interval)} every interval, the clock starting at the first
 * request, or with {@code --autoscaler target} by target tracking of the requests in flight per
 * replica every tick (with a per-replica concurrency limit when asked); ports from the base port;
 * the strategy and slow start of {@code --strategy} and {@code --slow-start} (round robin, none,
 * as the seed). Stateless.
 */
final class SeedPreset {
    /** The health endpoint of the acts service (and of the busybox workload). */
    static final String HEALTH_PATH = "/api/v1/_health";
    /** How long a stopping replica may take after SIGTERM before it is killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /** How long a removed replica may finish its requests. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    private SeedPreset() {
    }

    /**
     * Applies the options; {@code probe} is the caller's (it closes it), normally
     * {@code HttpHealthProbe.of(HEALTH_PATH)}.
     */
    static OrchestratorBuilder apply(OrchestratorBuilder builder, SeedOptions options, HealthProbe probe) {
        return autoscaler(builder, options)
                .minReplicas(options.min())
                .maxReplicas(options.max())
                .basePort(options.basePort())
                .healthProbe(probe)
                .probeInterval(options.healthInterval())
                .rise(options.rise())
                .fall(options.fall())
                .drainTimeout(DRAIN_TIMEOUT)
                .strategy(options.balancing().newStrategy())
                .slowStart(options.balancing().slowStart());
    }

    /** {@code --autoscaler seed}: the seed's request count; {@code target}: target tracking. */
    private static OrchestratorBuilder autoscaler(OrchestratorBuilder builder, SeedOptions options) {
        AutoscalerOptions autoscaler = options.autoscaler();
        if (autoscaler.kind() == AutoscalerOptions.Kind.TARGET) {
            return builder.scalingPolicy(ScalingPolicy.targetTracking(autoscaler.targetTracking()))
                    .scalingInterval(autoscaler.scaleTick())
                    .containerConcurrency(autoscaler.containerConcurrency());
        }
        return builder.scalingPolicy(ScalingPolicy.requestsPerReplica(options.requestsPerReplica(),
                        options.scaleInterval()))
                .scalingInterval(options.scaleInterval());
    }
}
