package io.longshore.simulator;

import io.longshore.api.LoadBalancingStrategy;
import io.longshore.core.OrchestratorBuilder;
import io.longshore.core.OutlierDetection;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * A traffic simulation on virtual time: a real orchestrator (its control loop, scaling policy,
 * candidate filter) and its real router, on the test kit's {@code ManualClock} and
 * {@code DeterministicScheduler}, in front of modelled replicas ({@link ReplicaModel}), fed by a
 * {@link Traffic} shape through a modelled gateway; or, with a fixed replica set, a router and a
 * strategy alone. Every random draw comes from one seed, so a run is repeatable. Ten simulated
 * minutes at a thousand requests a second take a few seconds.
 *
 * <pre>{@code
 * SimulationReport report = Simulation.builder()
 *         .traffic(Traffic.step(100, 1000, Duration.ofMinutes(2)))
 *         .length(Duration.ofMinutes(6))
 *         .replicas(ReplicaModel.builder().concurrency(10).build())
 *         .orchestrator(b -> b.minReplicas(1).maxReplicas(30)
 *                 .scalingPolicy(myPolicy).scalingInterval(Duration.ofSeconds(2)))
 *         .build().run();
 * }</pre>
 *
 * Immutable; each {@link #run()} starts afresh.
 */
public final class Simulation {
    final long seed;
    final Traffic traffic;
    final Duration length;
    final IntFunction<ReplicaModel> models;
    final UnaryOperator<OrchestratorBuilder> orchestrator;
    final List<ReplicaModel> fixed;
    final LoadBalancingStrategy strategy;
    final OutlierDetection outlierDetection;
    final Duration responseTimeout;
    final Duration sampleInterval;
    final double capacityPerReplica;
    final double oracleConcurrency;
    final int oracleMinimum;
    final int maxWaiting;
    final Duration maxWait;

    Simulation(SimulationBuilder b) {
        this.seed = b.seed;
        this.traffic = b.traffic;
        this.length = b.length;
        this.models = b.models;
        this.orchestrator = b.orchestrator;
        this.fixed = b.fixed;
        this.strategy = b.strategy != null ? b.strategy : LoadBalancingStrategy.roundRobin();
        this.outlierDetection = b.outlierDetection;
        this.responseTimeout = b.responseTimeout;
        this.sampleInterval = b.sampleInterval;
        ReplicaModel first = fixed != null ? fixed.get(0) : models.apply(0);
        this.capacityPerReplica = !Double.isNaN(b.capacityPerReplica) ? b.capacityPerReplica
                : first.concurrency() > 0 ? first.concurrency() : Double.NaN;
        this.oracleConcurrency = b.oracleConcurrency;
        this.oracleMinimum = b.oracleMinimum;
        this.maxWaiting = b.maxWaiting;
        this.maxWait = b.maxWait;
    }

    public static SimulationBuilder builder() {
        return new SimulationBuilder();
    }

    /** Runs the traffic for its length, lets the open requests finish, and reports. */
    public SimulationReport run() {
        return new SimulationRun(this).run();
    }

    /** Whether the replicas are a fixed set (no orchestrator). */
    boolean isFixed() {
        return fixed != null;
    }

    /** The mean service time of the slot-0 model, in seconds, for the offered load. */
    double meanServiceSeconds() {
        ReplicaModel first = isFixed() ? fixed.get(0) : models.apply(0);
        return first.serviceTime().meanNanos() / 1e9;
    }

    /** The start-up of the slot-0 model, for the oracle. */
    Duration startup() {
        return isFixed() ? Duration.ZERO : models.apply(0).startup();
    }
}
