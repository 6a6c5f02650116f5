package io.longshore.simulator;

import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.internal.Checks;
import io.longshore.core.OrchestratorBuilder;
import io.longshore.core.OutlierDetection;
import io.longshore.core.WaitingLine;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * Assembles a {@link Simulation}. Every setter checks its argument; {@link #build()} checks them
 * together. There are two modes: an orchestrator that starts and stops replicas of the
 * {@link #replicas} models as its policy says (the default), or a {@link #fixedReplicas fixed
 * set} behind a router with a chosen {@link #strategy}. Not thread-safe.
 */
public final class SimulationBuilder {
    /** The seed of {@link #seed}. */
    public static final long DEFAULT_SEED = 1;
    /** The response timeout of {@link #responseTimeout}: the gateway's. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    /** How often the timeline is sampled. */
    public static final Duration DEFAULT_SAMPLE_INTERVAL = Duration.ofMillis(100);

    long seed = DEFAULT_SEED;
    Traffic traffic;
    Duration length;
    IntFunction<ReplicaModel> models = slot -> ReplicaModel.defaults();
    UnaryOperator<OrchestratorBuilder> orchestrator = UnaryOperator.identity();
    List<ReplicaModel> fixed;
    LoadBalancingStrategy strategy;
    OutlierDetection outlierDetection = OutlierDetection.defaults();
    Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
    Duration sampleInterval = DEFAULT_SAMPLE_INTERVAL;
    double capacityPerReplica = Double.NaN;
    int maxWaiting = WaitingLine.DEFAULT_MAX_LENGTH;
    Duration maxWait = WaitingLine.DEFAULT_MAX_WAIT;
    double oracleConcurrency = Double.NaN;
    int oracleMinimum;

    SimulationBuilder() {
    }

    /** The seed of every random draw (arrivals, service times, failures); {@value #DEFAULT_SEED} by default. */
    public SimulationBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** The requests to send. Required. */
    public SimulationBuilder traffic(Traffic traffic) {
        this.traffic = Objects.requireNonNull(traffic, "traffic");
        return this;
    }

    /** How long the traffic runs; the requests still open then are let finish. Required. */
    public SimulationBuilder length(Duration length) {
        this.length = Checks.requirePositive(length, "length");
        return this;
    }

    /** Every replica the orchestrator starts behaves as {@code model}; {@link ReplicaModel#defaults()} by default. */
    public SimulationBuilder replicas(ReplicaModel model) {
        Objects.requireNonNull(model, "model");
        return replicas(slot -> model);
    }

    /**
     * The replica in each port slot (0 for the first port, 1 for the next, …) behaves as
     * {@code models.apply(slot)}; a replacement in a slot behaves as its predecessor did.
     */
    public SimulationBuilder replicas(IntFunction<ReplicaModel> models) {
        this.models = Objects.requireNonNull(models, "models");
        return this;
    }

    /**
     * Settings of the orchestrator: its scaling policy and interval, min/max, strategy, probe
     * timing and the rest. The simulation sets the service, runtime, clock, scheduler, runtime
     * executor, health probe and base port after this, and before it these defaults: replicas
     * probed every 250 ms, ready after one pass ({@code rise(1)}), a start grace of twice the
     * slot-0 model's start-up (at least the orchestrator's default).
     */
    public SimulationBuilder orchestrator(UnaryOperator<OrchestratorBuilder> settings) {
        this.orchestrator = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /**
     * No orchestrator: these replicas serve from the start behind a router over fixed endpoints
     * ({@code Routers.fixed}, with passive outlier detection), to compare strategies. Their
     * start-up is ignored.
     */
    public SimulationBuilder fixedReplicas(List<ReplicaModel> models) {
        List<ReplicaModel> copy = List.copyOf(Objects.requireNonNull(models, "models"));
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("models must not be empty");
        }
        this.fixed = copy;
        return this;
    }

    /** The strategy of a {@link #fixedReplicas fixed set}; round robin by default. */
    public SimulationBuilder strategy(LoadBalancingStrategy strategy) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    /** The outlier detection of a {@link #fixedReplicas fixed set}; {@link OutlierDetection#defaults()} by default. */
    public SimulationBuilder outlierDetection(OutlierDetection outlierDetection) {
        this.outlierDetection = Objects.requireNonNull(outlierDetection, "outlierDetection");
        return this;
    }

    /** How long the gateway waits for a replica's answer before a 504; {@link #DEFAULT_RESPONSE_TIMEOUT} by default. */
    public SimulationBuilder responseTimeout(Duration timeout) {
        this.responseTimeout = Checks.requirePositive(timeout, "responseTimeout");
        return this;
    }

    /**
     * The gateway's waiting line: requests with no room on any replica wait for one, at most
     * {@code maxLength} of them and each at most {@code maxWait} (then 503), as in the gateway;
     * {@link WaitingLine#DEFAULT_MAX_LENGTH} and {@link WaitingLine#DEFAULT_MAX_WAIT} by default,
     * a length of 0 for no line (503 at once).
     */
    public SimulationBuilder waitingLine(int maxLength, Duration maxWait) {
        this.maxWaiting = Checks.requireAtLeast(maxLength, 0, "maxLength");
        this.maxWait = Checks.requirePositive(maxWait, "maxWait");
        return this;
    }

    /** How often the timeline is sampled; {@link #DEFAULT_SAMPLE_INTERVAL} by default. */
    public SimulationBuilder sampleInterval(Duration interval) {
        this.sampleInterval = Checks.requirePositive(interval, "sampleInterval");
        return this;
    }

    /**
     * The requests one replica takes without queueing, for {@link SimulationReport#timeToCapacity};
     * by default the concurrency limit of the slot-0 model (unknown when it has none).
     */
    public SimulationBuilder capacityPerReplica(double requests) {
        if (!(requests > 0) || Double.isInfinite(requests)) {
            throw new IllegalArgumentException("capacityPerReplica must be > 0, was " + requests);
        }
        this.capacityPerReplica = requests;
        return this;
    }

    /**
     * Compares with an oracle that runs, at every moment, {@code max(minReplicas, ceil(offered /
     * concurrencyPerReplica))} replicas, each started its start-up ahead; see
     * {@link SimulationReport#oracleReplicaSeconds()}.
     */
    public SimulationBuilder oracle(double concurrencyPerReplica, int minReplicas) {
        if (!(concurrencyPerReplica > 0) || Double.isInfinite(concurrencyPerReplica)) {
            throw new IllegalArgumentException("concurrencyPerReplica must be > 0, was " + concurrencyPerReplica);
        }
        this.oracleConcurrency = concurrencyPerReplica;
        this.oracleMinimum = Checks.requireAtLeast(minReplicas, 0, "minReplicas");
        return this;
    }

    /** Checks the settings together and builds the simulation (it runs with {@link Simulation#run()}). */
    public Simulation build() {
        if (traffic == null) {
            throw new IllegalStateException("traffic is required");
        }
        if (length == null) {
            throw new IllegalStateException("length is required");
        }
        if (fixed == null && strategy != null) {
            throw new IllegalStateException("strategy applies to fixedReplicas only; set an orchestrator's strategy "
                    + "with orchestrator(b -> b.strategy(...))");
        }
        return new Simulation(this);
    }
}
