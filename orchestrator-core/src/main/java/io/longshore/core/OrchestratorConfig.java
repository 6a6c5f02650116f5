package io.longshore.core;

import io.longshore.api.Clock;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerSpec;
import io.longshore.api.HealthProbe;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.OrchestratorListener;
import io.longshore.api.ScalingPolicy;
import io.longshore.api.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The validated settings of one orchestrator; built by {@link OrchestratorBuilder}, whose
 * constants are the defaults. Immutable. {@code containerConcurrency} is 0 for no limit. {@code scheduler}, {@code runtimeExecutor} and
 * {@code probeExecutor} are {@code null} when the orchestrator should create (and own) its own.
 */
record OrchestratorConfig(
        ContainerSpec service,
        ContainerRuntime runtime,
        int minReplicas,
        int maxReplicas,
        int initialReplicas,
        String host,
        int basePort,
        LoadBalancingStrategy strategy,
        HealthProbe probe,
        Duration probeInterval,
        Duration probeTimeout,
        int rise,
        int fall,
        Duration startGrace,
        Duration startTimeout,
        Duration stopTimeout,
        ScalingPolicy scalingPolicy,
        Duration scalingInterval,
        Duration drainTimeout,
        Duration restartBackoffInitial,
        Duration restartBackoffMax,
        Duration restartBackoffReset,
        OutlierDetection outlierDetection,
        RolloutConfig rollout,
        boolean stopReplicasOnClose,
        Duration shutdownTimeout,
        List<OrchestratorListener> listeners,
        Clock clock,
        Scheduler scheduler,
        Executor runtimeExecutor,
        Executor probeExecutor,
        SlowStart slowStart,
        int containerConcurrency) {

    /**
     * The highest port a new replica starts on: {@code basePort} plus the most replicas that may
     * hold a port at once by the plan — the desired count at its largest with a rollout's surge for
     * it — minus one. Replicas still draining hold ports beyond the plan; a new replica waits for
     * one of those rather than take a port past this. {@link OrchestratorBuilder} refuses a
     * configuration whose {@link #highestPort highest port} lies past 65535.
     */
    int lastPort() {
        return (int) Math.min(65_535, highestPort(basePort, maxReplicas, rollout));
    }

    /**
     * The highest port (slot) the plan of a service ever takes: {@code basePort} + the most
     * replicas that may hold a port at once (the desired count up to {@code maxReplicas} with the
     * rollout's surge for it) - 1. A long: it may lie past 65535.
     */
    static long highestPort(int basePort, int maxReplicas, RolloutConfig rollout) {
        int most = 0;
        for (int desired = 1; desired <= maxReplicas; desired++) {
            most = Math.max(most, desired + rollout.surgeFor(desired));
        }
        return (long) basePort + most - 1;
    }
}
