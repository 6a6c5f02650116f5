package io.longshore.core;

import io.longshore.api.Clock;
import io.longshore.api.ConfigurationException;
import io.longshore.api.ContainerRuntime;
import io.longshore.api.ContainerSpec;
import io.longshore.api.Endpoint;
import io.longshore.api.HealthProbe;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.OrchestratorListener;
import io.longshore.api.ScalingPolicy;
import io.longshore.api.Scheduler;
import io.longshore.api.internal.Checks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

/**
 * Assembles an {@link Orchestrator}. Every setter validates its argument and names it in the
 * error; {@link #build()} checks the settings that depend on each other. Defaults are the
 * constants of {@link OrchestratorConfig}. Not thread-safe.
 */
public final class OrchestratorBuilder {
    private ContainerSpec service;
    private ContainerRuntime runtime;
    private int minReplicas = OrchestratorConfig.DEFAULT_MIN_REPLICAS;
    private int maxReplicas = OrchestratorConfig.DEFAULT_MAX_REPLICAS;
    private Integer initialReplicas;
    private String host = Endpoint.LOOPBACK;
    private int basePort = OrchestratorConfig.DEFAULT_BASE_PORT;
    private LoadBalancingStrategy strategy;
    private HealthProbe probe;
    private Duration probeInterval = OrchestratorConfig.DEFAULT_PROBE_INTERVAL;
    private Duration probeTimeout;
    private int rise = OrchestratorConfig.DEFAULT_RISE;
    private int fall = OrchestratorConfig.DEFAULT_FALL;
    private Duration startGrace = OrchestratorConfig.DEFAULT_START_GRACE;
    private ScalingPolicy scalingPolicy;
    private Duration scalingInterval = OrchestratorConfig.DEFAULT_SCALING_INTERVAL;
    private Duration drainTimeout = OrchestratorConfig.DEFAULT_DRAIN_TIMEOUT;
    private Duration restartBackoffInitial = OrchestratorConfig.DEFAULT_RESTART_BACKOFF_INITIAL;
    private Duration restartBackoffMax = OrchestratorConfig.DEFAULT_RESTART_BACKOFF_MAX;
    private Duration restartBackoffReset = OrchestratorConfig.DEFAULT_RESTART_BACKOFF_RESET;
    private OutlierDetection outlierDetection = OutlierDetection.defaults();
    private boolean stopReplicasOnClose = true;
    private Duration shutdownTimeout = OrchestratorConfig.DEFAULT_SHUTDOWN_TIMEOUT;
    private final List<OrchestratorListener> listeners = new ArrayList<>();
    private Clock clock = Clock.system();
    private Scheduler scheduler;
    private Executor runtimeExecutor;
    private RandomGenerator random;

    OrchestratorBuilder() {
    }

    /** What each replica runs. Required. */
    public OrchestratorBuilder service(ContainerSpec service) {
        this.service = Objects.requireNonNull(service, "service");
        return this;
    }

    /** Where replicas run. Required. */
    public OrchestratorBuilder runtime(ContainerRuntime runtime) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        return this;
    }

    public OrchestratorBuilder minReplicas(int minReplicas) {
        this.minReplicas = Checks.requireAtLeast(minReplicas, 0, "minReplicas");
        return this;
    }

    public OrchestratorBuilder maxReplicas(int maxReplicas) {
        this.maxReplicas = Checks.requireAtLeast(maxReplicas, 1, "maxReplicas");
        return this;
    }

    /** Replicas started at once; defaults to {@code minReplicas} (at least 1). */
    public OrchestratorBuilder initialReplicas(int initialReplicas) {
        this.initialReplicas = Checks.requireAtLeast(initialReplicas, 0, "initialReplicas");
        return this;
    }

    /** The host replicas bind to and are reached at; 127.0.0.1 by default. */
    public OrchestratorBuilder host(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        this.host = host;
        return this;
    }

    /** The first replica's port; the others take the next free ones. */
    public OrchestratorBuilder basePort(int basePort) {
        if (basePort < 1 || basePort > 65_535) {
            throw new IllegalArgumentException("basePort must be in 1..65535, was " + basePort);
        }
        this.basePort = basePort;
        return this;
    }

    public OrchestratorBuilder strategy(LoadBalancingStrategy strategy) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    /** The readiness and liveness probe; defaults to a TCP connect. */
    public OrchestratorBuilder healthProbe(HealthProbe probe) {
        this.probe = Objects.requireNonNull(probe, "probe");
        return this;
    }

    public OrchestratorBuilder probeInterval(Duration interval) {
        this.probeInterval = Checks.requirePositive(interval, "probeInterval");
        return this;
    }

    /** How long a probe may take before it counts as failed; defaults to the interval. */
    public OrchestratorBuilder probeTimeout(Duration timeout) {
        this.probeTimeout = Checks.requirePositive(timeout, "probeTimeout");
        return this;
    }

    /** Consecutive passing probes that make a replica ready again. */
    public OrchestratorBuilder rise(int rise) {
        this.rise = Checks.requireAtLeast(rise, 1, "rise");
        return this;
    }

    /** Consecutive failing probes that get a replica replaced. */
    public OrchestratorBuilder fall(int fall) {
        this.fall = Checks.requireAtLeast(fall, 1, "fall");
        return this;
    }

    /** After a start, failed probes do not count for this long (passing ones do). */
    public OrchestratorBuilder startGracePeriod(Duration grace) {
        this.startGrace = Checks.requireNotNegative(grace, "startGracePeriod");
        return this;
    }

    public OrchestratorBuilder scalingPolicy(ScalingPolicy policy) {
        this.scalingPolicy = Objects.requireNonNull(policy, "scalingPolicy");
        return this;
    }

    public OrchestratorBuilder scalingInterval(Duration interval) {
        this.scalingInterval = Checks.requirePositive(interval, "scalingInterval");
        return this;
    }

    /** How long a replica being removed may finish its in-flight requests. */
    public OrchestratorBuilder drainTimeout(Duration timeout) {
        this.drainTimeout = Checks.requireNotNegative(timeout, "drainTimeout");
        return this;
    }

    /**
     * Restart backoff of a failing replica: {@code initial}, doubling up to {@code max}, back to
     * {@code initial} after {@code resetAfter} of health.
     */
    public OrchestratorBuilder restartBackoff(Duration initial, Duration max, Duration resetAfter) {
        this.restartBackoffInitial = Checks.requireNotNegative(initial, "restartBackoff initial");
        this.restartBackoffMax = Checks.requireNotNegative(max, "restartBackoff max");
        this.restartBackoffReset = Checks.requirePositive(resetAfter, "restartBackoff resetAfter");
        return this;
    }

    /** Passive ejection of replicas whose requests keep failing. */
    public OrchestratorBuilder outlierDetection(OutlierDetection outlierDetection) {
        this.outlierDetection = Objects.requireNonNull(outlierDetection, "outlierDetection");
        return this;
    }

    /** Whether {@link Orchestrator#close()} stops the replicas (default) or leaves them for adoption. */
    public OrchestratorBuilder stopReplicasOnClose(boolean stop) {
        this.stopReplicasOnClose = stop;
        return this;
    }

    public OrchestratorBuilder shutdownTimeout(Duration timeout) {
        this.shutdownTimeout = Checks.requirePositive(timeout, "shutdownTimeout");
        return this;
    }

    public OrchestratorBuilder listener(OrchestratorListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    public OrchestratorBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** The control loop; by default a thread of the orchestrator's own. */
    public OrchestratorBuilder scheduler(Scheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        return this;
    }

    /** Where blocking runtime calls run; by default threads of the orchestrator's own. */
    public OrchestratorBuilder runtimeExecutor(Executor executor) {
        this.runtimeExecutor = Objects.requireNonNull(executor, "runtimeExecutor");
        return this;
    }

    /** Randomness for jitter and random strategies. */
    public OrchestratorBuilder random(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
        return this;
    }

    /** Checks the settings together and builds the orchestrator (not yet started). */
    public Orchestrator build() {
        return new DefaultOrchestrator(config());
    }

    OrchestratorConfig config() {
        if (service == null) {
            throw new ConfigurationException("service is required");
        }
        if (runtime == null) {
            throw new ConfigurationException("runtime is required");
        }
        if (minReplicas > maxReplicas) {
            throw new ConfigurationException(
                    "minReplicas (" + minReplicas + ") must not exceed maxReplicas (" + maxReplicas + ")");
        }
        int initial = initialReplicas != null ? initialReplicas : Math.max(1, minReplicas);
        if (initial < minReplicas || initial > maxReplicas) {
            throw new ConfigurationException("initialReplicas (" + initial + ") must lie in minReplicas.."
                    + "maxReplicas (" + minReplicas + ".." + maxReplicas + ")");
        }
        if ((long) basePort + maxReplicas - 1 > 65_535) {
            throw new ConfigurationException("basePort (" + basePort + ") + maxReplicas (" + maxReplicas
                    + ") runs past port 65535");
        }
        if (restartBackoffMax.compareTo(restartBackoffInitial) < 0) {
            throw new ConfigurationException("restartBackoff max (" + restartBackoffMax
                    + ") must not be below its initial delay (" + restartBackoffInitial + ")");
        }
        Duration timeout = probeTimeout != null ? probeTimeout : probeInterval;
        return new OrchestratorConfig(service, runtime, minReplicas, maxReplicas, initial, host, basePort,
                strategy != null ? strategy : LoadBalancingStrategy.roundRobin(),
                probe != null ? probe : HealthProbe.tcp(timeout),
                probeInterval, timeout, rise, fall, startGrace,
                scalingPolicy != null ? scalingPolicy : ScalingPolicy.fixed(initial),
                scalingInterval, drainTimeout, restartBackoffInitial, restartBackoffMax,
                restartBackoffReset, outlierDetection, stopReplicasOnClose, shutdownTimeout,
                List.copyOf(listeners), clock, scheduler, runtimeExecutor, random);
    }
}
