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
import java.util.random.RandomGenerator;

/**
 * The validated settings of one orchestrator; built by {@link OrchestratorBuilder}. Immutable.
 * {@code scheduler}, {@code runtimeExecutor} and {@code random} are {@code null} when the
 * orchestrator should create (and own) its own.
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
        ScalingPolicy scalingPolicy,
        Duration scalingInterval,
        Duration drainTimeout,
        Duration restartBackoffInitial,
        Duration restartBackoffMax,
        Duration restartBackoffReset,
        OutlierDetection outlierDetection,
        boolean stopReplicasOnClose,
        Duration shutdownTimeout,
        List<OrchestratorListener> listeners,
        Clock clock,
        Scheduler scheduler,
        Executor runtimeExecutor,
        RandomGenerator random) {

    /** The seed runs one replica when idle. */
    static final int DEFAULT_MIN_REPLICAS = 1;
    static final int DEFAULT_MAX_REPLICAS = 10;
    /** The seed's first port. */
    static final int DEFAULT_BASE_PORT = 8000;
    /** The seed probes every second. */
    static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(1);
    /** Consecutive passes to readmit (HAProxy's and Kubernetes' usual). */
    static final int DEFAULT_RISE = 2;
    /** Consecutive failures to replace (Kubernetes' failureThreshold). */
    static final int DEFAULT_FALL = 3;
    static final Duration DEFAULT_START_GRACE = Duration.ofSeconds(10);
    /** The seed scales every two minutes. */
    static final Duration DEFAULT_SCALING_INTERVAL = Duration.ofMinutes(2);
    static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_RESTART_BACKOFF_INITIAL = Duration.ofSeconds(1);
    static final Duration DEFAULT_RESTART_BACKOFF_MAX = Duration.ofSeconds(60);
    static final Duration DEFAULT_RESTART_BACKOFF_RESET = Duration.ofMinutes(10);
    static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
}
