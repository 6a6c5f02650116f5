package io.longshore.benchmarks.autoscaling;

import io.longshore.api.ScalingPolicy;
import io.longshore.api.TargetTracking;
import io.longshore.simulator.ReplicaModel;
import io.longshore.simulator.ServiceTime;
import io.longshore.simulator.Simulation;
import io.longshore.simulator.SimulationReport;
import io.longshore.simulator.Traffic;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The autoscaling benchmark's scenarios, each the same traffic and replica model for every
 * policy: replicas of 50 ms ± 20 % service, 2 s start-up and a concurrency limit of 10, which
 * the gateway enforces (the excess waits in its line). The policies aim at 7 requests in flight
 * per replica (10 at 70 %), as does the oracle. Stateless.
 */
public final class AutoscalingScenarios {
    /** Requests in flight each replica is meant to carry: 10 at 70 % utilisation. */
    public static final double PER_REPLICA = 7;
    public static final ReplicaModel MODEL = ReplicaModel.builder()
            .serviceTime(ServiceTime.jittered(Duration.ofMillis(50), 0.2))
            .startup(Duration.ofSeconds(2)).concurrency(10).build();
    public static final int MAX_REPLICAS = 50;
    /** When the step happens, and the load before and after it. */
    public static final Duration STEP_AT = Duration.ofMinutes(2);
    public static final double STEP_FROM = 40;
    public static final double STEP_TO = 400;
    /** Requests one replica holds: its concurrency limit, for the time to capacity. */
    public static final double CAPACITY_PER_REPLICA = 10;
    /** The burst from zero: closed-loop clients without pause. */
    public static final int BURST_CLIENTS = 200;
    public static final double NOISY_RATE = 560;
    public static final double NOISY_AMPLITUDE = 0.15;
    public static final Duration NOISY_WARM_UP = Duration.ofMinutes(5);
    public static final Duration NOISY_LENGTH = Duration.ofMinutes(35);

    /** A policy under test: its name, a fresh policy, and its decision interval. */
    public record Candidate(String name, Supplier<ScalingPolicy> policy, Duration interval) {
    }

    private AutoscalingScenarios() {
    }

    /** The four policies of the comparison. */
    public static List<Candidate> candidates() {
        return List.of(
                // the seed's rule with its per-replica count set to what a replica serves at 7 in flight in 2 min
                new Candidate("seed", () -> ScalingPolicy.requestsPerReplica(
                        (int) (PER_REPLICA / 0.05 * 120), Duration.ofMinutes(2)), Duration.ofMinutes(2)),
                new Candidate("hpa-like", () -> new HpaLikePolicy(PER_REPLICA, 0.1, Duration.ofSeconds(15),
                        Duration.ofMinutes(5)), Duration.ofSeconds(15)),
                new Candidate("knative-like", () -> new KnativeLikePolicy(PER_REPLICA, Duration.ofSeconds(60),
                        Duration.ofSeconds(6), 2.0), Duration.ofSeconds(2)),
                new Candidate("target-tracking", () -> ScalingPolicy.targetTracking(TargetTracking.builder()
                        .target(10).utilisation(0.7).build()), TargetTracking.DEFAULT_TICK));
    }

    /** 40 requests a second, ten times that from two minutes on, for ten minutes. */
    public static SimulationReport step(Candidate candidate, long seed) {
        return Simulation.builder().seed(seed)
                .traffic(Traffic.step(STEP_FROM, STEP_TO, STEP_AT)).length(Duration.ofMinutes(10))
                .replicas(MODEL).orchestrator(b -> b.minReplicas(1).maxReplicas(MAX_REPLICAS).containerConcurrency(10)
                        .scalingPolicy(candidate.policy().get()).scalingInterval(candidate.interval()))
                .capacityPerReplica(CAPACITY_PER_REPLICA).oracle(PER_REPLICA, 1)
                .build().run();
    }

    /** At zero replicas, 200 clients at once, each sending back to back for 30 s. */
    public static SimulationReport burstFromZero(Candidate candidate, long seed) {
        return Simulation.builder().seed(seed)
                .traffic(Traffic.idleThenBurst(Duration.ofSeconds(10), BURST_CLIENTS, Duration.ofSeconds(30)))
                .length(Duration.ofSeconds(60)).replicas(MODEL)
                .orchestrator(b -> b.minReplicas(0).initialReplicas(0).maxReplicas(MAX_REPLICAS).containerConcurrency(10)
                        .scalingPolicy(candidate.policy().get()).scalingInterval(candidate.interval()))
                .build().run();
    }

    /**
     * 560 requests a second (28 in flight: 4 replicas at 7 each, right at the edge of a fifth)
     * wandering by ±15 % every 30 s, Poisson arrivals, for 35 minutes (the first 5 are warm-up).
     */
    public static SimulationReport noisy(Candidate candidate, long seed) {
        return Simulation.builder().seed(seed)
                .traffic(Traffic.noisy(NOISY_RATE, NOISY_AMPLITUDE, Duration.ofSeconds(30))).length(NOISY_LENGTH)
                .replicas(MODEL).orchestrator(b -> b.minReplicas(1).maxReplicas(MAX_REPLICAS).containerConcurrency(10)
                        .scalingPolicy(candidate.policy().get()).scalingInterval(candidate.interval()))
                .build().run();
    }

    /** Replicas the burst from zero needs at the policies' target: 200 / 7, rounded up. */
    public static int burstNeed() {
        return (int) Math.ceil(BURST_CLIENTS / PER_REPLICA);
    }
}
