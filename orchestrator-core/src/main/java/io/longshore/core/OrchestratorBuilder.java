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

/**
 * Assembles an {@link Orchestrator}. Every setter validates its argument and names it in the
 * error; {@link #build()} checks the settings that depend on each other. Each setter says its
 * default; the defaults that are values are the {@code DEFAULT_*} constants here. Not
 * thread-safe.
 */
public final class OrchestratorBuilder {
    /** Replicas kept at least: the seed runs one replica when idle. */
    public static final int DEFAULT_MIN_REPLICAS = 1;
    /** Replicas run at most. */
    public static final int DEFAULT_MAX_REPLICAS = 10;
    /** The host replicas bind to and are reached at. */
    public static final String DEFAULT_HOST = Endpoint.LOOPBACK;
    /** The first replica's port: the seed's. */
    public static final int DEFAULT_BASE_PORT = 8000;
    /** The seed probes every second. */
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(1);
    /** Consecutive passing probes that make a replica ready (HAProxy's and Kubernetes' usual). */
    public static final int DEFAULT_RISE = 2;
    /** Consecutive failing probes that get a replica replaced (Kubernetes' failureThreshold). */
    public static final int DEFAULT_FALL = 3;
    /** How long failed probes of a newly started replica do not count. */
    public static final Duration DEFAULT_START_GRACE = Duration.ofSeconds(10);
    /** The seed scales every two minutes (unless the policy asks for its own tick). */
    public static final Duration DEFAULT_SCALING_INTERVAL = Duration.ofMinutes(2);
    /** Requests a replica takes at once: no limit. */
    public static final int DEFAULT_CONTAINER_CONCURRENCY = 0;
    /** How long a leaving replica may finish its requests in flight. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /** The first restart delay of a failing port. */
    public static final Duration DEFAULT_RESTART_BACKOFF_INITIAL = Duration.ofSeconds(1);
    /** The longest restart delay of a failing port. */
    public static final Duration DEFAULT_RESTART_BACKOFF_MAX = Duration.ofSeconds(60);
    /**
     * How long a replica's start may take until the orchestrator knows where it serves (Knative's
     * progress deadline).
     */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(10);
    /**
     * How long the runtime's {@code stop} may run beyond the replica's stop grace: as long as a
     * start may take, and above the Docker runtime's own bound (two engine calls of at most its
     * 3 min response timeout each).
     */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofMinutes(10);
    /** Readiness after which a port's failure streak is forgotten. */
    public static final Duration DEFAULT_RESTART_BACKOFF_RESET = Duration.ofMinutes(10);
    /** Whether {@link Orchestrator#close()} stops the replicas. */
    public static final boolean DEFAULT_STOP_REPLICAS_ON_CLOSE = true;
    /** How long {@link Orchestrator#close()} waits for the replicas to stop. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    private ContainerSpec service;
    private ContainerRuntime runtime;
    private int minReplicas = DEFAULT_MIN_REPLICAS;
    private int maxReplicas = DEFAULT_MAX_REPLICAS;
    private Integer initialReplicas;
    private String host = DEFAULT_HOST;
    private int basePort = DEFAULT_BASE_PORT;
    private LoadBalancingStrategy strategy;
    private HealthProbe probe;
    private Duration probeInterval = DEFAULT_PROBE_INTERVAL;
    private Duration probeTimeout;
    private int rise = DEFAULT_RISE;
    private int fall = DEFAULT_FALL;
    private Duration startGrace = DEFAULT_START_GRACE;
    private Duration startTimeout = DEFAULT_START_TIMEOUT;
    private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
    private ScalingPolicy scalingPolicy;
    private Duration scalingInterval;
    private int containerConcurrency = DEFAULT_CONTAINER_CONCURRENCY;
    private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
    private Duration restartBackoffInitial = DEFAULT_RESTART_BACKOFF_INITIAL;
    private Duration restartBackoffMax = DEFAULT_RESTART_BACKOFF_MAX;
    private Duration restartBackoffReset = DEFAULT_RESTART_BACKOFF_RESET;
    private OutlierDetection outlierDetection = OutlierDetection.defaults();
    private SlowStart slowStart = SlowStart.disabled();
    private RolloutConfig rollout = RolloutConfig.defaults();
    private boolean stopReplicasOnClose = DEFAULT_STOP_REPLICAS_ON_CLOSE;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private final List<OrchestratorListener> listeners = new ArrayList<>();
    private Clock clock = Clock.system();
    private Scheduler scheduler;
    private Executor runtimeExecutor;
    private Executor probeExecutor;

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

    /** Replicas kept at least, whatever the scaling policy says; {@value #DEFAULT_MIN_REPLICAS} by default. */
    public OrchestratorBuilder minReplicas(int minReplicas) {
        this.minReplicas = Checks.requireAtLeast(minReplicas, 0, "minReplicas");
        return this;
    }

    /** Replicas run at most; {@value #DEFAULT_MAX_REPLICAS} by default. */
    public OrchestratorBuilder maxReplicas(int maxReplicas) {
        this.maxReplicas = Checks.requireAtLeast(maxReplicas, 1, "maxReplicas");
        return this;
    }

    /** Replicas started at once; defaults to {@code minReplicas} (at least 1). */
    public OrchestratorBuilder initialReplicas(int initialReplicas) {
        this.initialReplicas = Checks.requireAtLeast(initialReplicas, 0, "initialReplicas");
        return this;
    }

    /**
     * The host replicas bind to and are reached at, proposed to the runtime with each replica's
     * port; {@value #DEFAULT_HOST} by default. A runtime that assigns endpoints reports its own.
     */
    public OrchestratorBuilder host(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        this.host = host;
        return this;
    }

    /**
     * The first replica's port (its slot); the others take the next free ones. {@value #DEFAULT_BASE_PORT}
     * by default. {@link #build()} checks that the ports up to {@code basePort + maxReplicas + surge - 1}
     * (the surge of a rollout at {@code maxReplicas}, see {@link #rollout}) stay within 65535: the
     * slot is the proposed endpoint's port on every runtime, also one that assigns endpoints.
     */
    public OrchestratorBuilder basePort(int basePort) {
        if (basePort < 1 || basePort > 65_535) {
            throw new IllegalArgumentException("basePort must be in 1..65535, was " + basePort);
        }
        this.basePort = basePort;
        return this;
    }

    /** Picks a replica per request; {@link LoadBalancingStrategy#roundRobin()} by default. */
    public OrchestratorBuilder strategy(LoadBalancingStrategy strategy) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    /**
     * The readiness and liveness probe; by default {@link HealthProbe#tcp} with the probe timeout.
     * The orchestrator never closes a probe it is given.
     */
    public OrchestratorBuilder healthProbe(HealthProbe probe) {
        this.probe = Objects.requireNonNull(probe, "probe");
        return this;
    }

    /** How often every replica is probed; {@link #DEFAULT_PROBE_INTERVAL} (1 s) by default. */
    public OrchestratorBuilder probeInterval(Duration interval) {
        this.probeInterval = Checks.requirePositive(interval, "probeInterval");
        return this;
    }

    /** How long a probe may take before it counts as failed; the probe interval by default. */
    public OrchestratorBuilder probeTimeout(Duration timeout) {
        this.probeTimeout = Checks.requirePositive(timeout, "probeTimeout");
        return this;
    }

    /** Consecutive passing probes that make a replica ready (again); {@value #DEFAULT_RISE} by default. */
    public OrchestratorBuilder rise(int rise) {
        this.rise = Checks.requireAtLeast(rise, 1, "rise");
        return this;
    }

    /**
     * Consecutive failing probes that get a replica replaced (stopped at once, without grace);
     * {@value #DEFAULT_FALL} by default.
     */
    public OrchestratorBuilder fall(int fall) {
        this.fall = Checks.requireAtLeast(fall, 1, "fall");
        return this;
    }

    /**
     * After a start (once its endpoint is known), failed probes do not count for this long
     * (passing ones do); {@link #DEFAULT_START_GRACE} (10 s) by default.
     */
    public OrchestratorBuilder startGracePeriod(Duration grace) {
        this.startGrace = Checks.requireNotNegative(grace, "startGracePeriod");
        return this;
    }

    /**
     * How long a replica's start may take, from asking the runtime to start it until the
     * orchestrator knows where it serves (the runtime's {@code start} returned and, for a runtime
     * that assigns endpoints, reported the endpoint); {@link #DEFAULT_START_TIMEOUT} (10 min) by
     * default. A {@code start} that has not returned by then counts as a failed start: the replica
     * is retried after the restart backoff, and a container the late {@code start} still returns
     * is stopped. A replica whose endpoint was not reported by then is stopped and replaced.
     */
    public OrchestratorBuilder startTimeout(Duration timeout) {
        this.startTimeout = Checks.requirePositive(timeout, "startTimeout");
        return this;
    }

    /**
     * How long the runtime's {@code stop} of a replica may run beyond the replica's stop grace,
     * from the moment the call begins on a runtime thread; {@link #DEFAULT_STOP_TIMEOUT} (10 min)
     * by default. A replica whose {@code stop} has not returned by then is given up as stopped
     * ({@code ReplicaStopped} says so) and its slot is filled again as after any stop; while the
     * old container still holds the port, a replacement on the same port cannot serve and is
     * restarted with the restart backoff. What the late {@code stop} returns is ignored.
     */
    public OrchestratorBuilder stopTimeout(Duration timeout) {
        this.stopTimeout = Checks.requirePositive(timeout, "stopTimeout");
        return this;
    }

    /** Decides the replica count; {@link ScalingPolicy#fixed} at the initial count by default. */
    public OrchestratorBuilder scalingPolicy(ScalingPolicy policy) {
        this.scalingPolicy = Objects.requireNonNull(policy, "scalingPolicy");
        return this;
    }

    /**
     * How often the scaling policy decides; by default the policy's own {@link ScalingPolicy#tick()}
     * (2 s for target tracking), else {@link #DEFAULT_SCALING_INTERVAL} (2 min).
     */
    public OrchestratorBuilder scalingInterval(Duration interval) {
        this.scalingInterval = Checks.requirePositive(interval, "scalingInterval");
        return this;
    }

    /**
     * The most requests one replica takes at once (Knative's {@code containerConcurrency}): the
     * router routes no more to it, and a gateway holds the rest in its waiting line until one
     * ends; 0 (the default, {@value #DEFAULT_CONTAINER_CONCURRENCY}) for no limit.
     */
    public OrchestratorBuilder containerConcurrency(int containerConcurrency) {
        this.containerConcurrency = Checks.requireAtLeast(containerConcurrency, 0, "containerConcurrency");
        return this;
    }

    /**
     * How long a leaving replica may finish its requests in flight before it is stopped anyway;
     * {@link #DEFAULT_DRAIN_TIMEOUT} (30 s) by default.
     */
    public OrchestratorBuilder drainTimeout(Duration timeout) {
        this.drainTimeout = Checks.requireNotNegative(timeout, "drainTimeout");
        return this;
    }

    /**
     * Restart backoff of a failing replica: {@code initial}, doubling up to {@code max}, back to
     * {@code initial} after {@code resetAfter} of readiness. By default
     * {@link #DEFAULT_RESTART_BACKOFF_INITIAL} (1 s), {@link #DEFAULT_RESTART_BACKOFF_MAX} (60 s),
     * {@link #DEFAULT_RESTART_BACKOFF_RESET} (10 min).
     */
    public OrchestratorBuilder restartBackoff(Duration initial, Duration max, Duration resetAfter) {
        this.restartBackoffInitial = Checks.requireNotNegative(initial, "restartBackoff initial");
        this.restartBackoffMax = Checks.requireNotNegative(max, "restartBackoff max");
        this.restartBackoffReset = Checks.requirePositive(resetAfter, "restartBackoff resetAfter");
        return this;
    }

    /**
     * Passive ejection of replicas whose requests keep failing, and the panic threshold;
     * {@link OutlierDetection#defaults()} by default.
     */
    public OrchestratorBuilder outlierDetection(OutlierDetection outlierDetection) {
        this.outlierDetection = Objects.requireNonNull(outlierDetection, "outlierDetection");
        return this;
    }

    /**
     * Slow start: a replica that just became ready (or came back from ejection or failed probes)
     * ramps up from a share of its weight to all of it, for the strategies that balance by weight
     * (round robin, least request). {@link SlowStart#disabled()} by default; {@link SlowStart#defaults()}
     * ramps from 10 % over 30 s.
     */
    public OrchestratorBuilder slowStart(SlowStart slowStart) {
        this.slowStart = Objects.requireNonNull(slowStart, "slowStart");
        return this;
    }

    /**
     * How {@link Orchestrator#update} replaces the replicas (surge, unavailability, minReady,
     * progress deadline, crash loop); {@link RolloutConfig#defaults()} by default.
     */
    public OrchestratorBuilder rollout(RolloutConfig rollout) {
        this.rollout = Objects.requireNonNull(rollout, "rollout");
        return this;
    }

    /**
     * Whether {@link Orchestrator#close()} stops the replicas ({@value #DEFAULT_STOP_REPLICAS_ON_CLOSE}
     * by default) or leaves them running for the next orchestrator to adopt.
     */
    public OrchestratorBuilder stopReplicasOnClose(boolean stop) {
        this.stopReplicasOnClose = stop;
        return this;
    }

    /**
     * How long {@link Orchestrator#close()} waits for the replicas to stop (with a scheduler of
     * its own); {@link #DEFAULT_SHUTDOWN_TIMEOUT} (30 s) by default.
     */
    public OrchestratorBuilder shutdownTimeout(Duration timeout) {
        this.shutdownTimeout = Checks.requirePositive(timeout, "shutdownTimeout");
        return this;
    }

    /** Adds a listener of every event, called on the control loop; none by default. */
    public OrchestratorBuilder listener(OrchestratorListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** The source of time of the orchestrator, its router and its probes; {@link Clock#system()} by default. */
    public OrchestratorBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** The control loop; by default a thread of the orchestrator's own. */
    public OrchestratorBuilder scheduler(Scheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        return this;
    }

    /**
     * Where the runtime's blocking calls run; by default eight threads of the orchestrator's own.
     * Virtual-time tests pass {@code Runnable::run} here and to {@link #probeExecutor}.
     */
    public OrchestratorBuilder runtimeExecutor(Executor executor) {
        this.runtimeExecutor = Objects.requireNonNull(executor, "runtimeExecutor");
        return this;
    }

    /**
     * Where the health probe's {@code probe()} calls run, one at a time per replica; by default
     * threads of the orchestrator's own, as many as calls have not returned, up to twice
     * {@code maxReplicas} (at least 16). A probe that blocks holds up only its own replica's
     * checks, which fail by timeout.
     */
    public OrchestratorBuilder probeExecutor(Executor executor) {
        this.probeExecutor = Objects.requireNonNull(executor, "probeExecutor");
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
        long highest = OrchestratorConfig.highestPort(basePort, maxReplicas, rollout);
        if (highest > 65_535) {
            // a rollout at maxReplicas starts its surge replicas on the ports (slots) just above the
            // others: past 65535 some find none (with none, the rollout waits and is rolled back at
            // its progress deadline); an assigning runtime's slots are proposed endpoints' ports too
            throw new ConfigurationException("basePort (" + basePort + ") + maxReplicas (" + maxReplicas
                    + ") + a rollout's surge of " + (highest - basePort + 1 - maxReplicas) + " needs ports up to "
                    + highest + ", past 65535 (the surge replicas of a rollout at maxReplicas start on the ports"
                    + " just above the others)");
        }
        if (restartBackoffMax.compareTo(restartBackoffInitial) < 0) {
            throw new ConfigurationException("restartBackoff max (" + restartBackoffMax
                    + ") must not be below its initial delay (" + restartBackoffInitial + ")");
        }
        Duration timeout = probeTimeout != null ? probeTimeout : probeInterval;
        ScalingPolicy policy = scalingPolicy != null ? scalingPolicy : ScalingPolicy.fixed(initial);
        Duration interval = scalingInterval != null ? scalingInterval
                : policy.tick().filter(tick -> !tick.isNegative() && !tick.isZero()).orElse(DEFAULT_SCALING_INTERVAL);
        return new OrchestratorConfig(service, runtime, minReplicas, maxReplicas, initial, host, basePort,
                strategy != null ? strategy : LoadBalancingStrategy.roundRobin(),
                probe != null ? probe : HealthProbe.tcp(timeout),
                probeInterval, timeout, rise, fall, startGrace, startTimeout, stopTimeout, policy,
                interval, drainTimeout, restartBackoffInitial, restartBackoffMax,
                restartBackoffReset, outlierDetection, rollout, stopReplicasOnClose, shutdownTimeout,
                List.copyOf(listeners), clock, scheduler, runtimeExecutor,
                probeExecutor, slowStart, containerConcurrency);
    }
}
