package io.longshore.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.LoadBalancingStrategy;
import io.longshore.core.OutlierDetection;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FixedReplicaSimulationTest {
    private static final ReplicaModel FAST = ReplicaModel.builder().name("fast")
            .serviceTime(ServiceTime.constant(Duration.ofMillis(100))).build();

    private static SimulationBuilder fixed(List<ReplicaModel> models, Traffic traffic, Duration length) {
        return Simulation.builder().fixedReplicas(models).traffic(traffic).length(length);
    }

    @Test
    void aReplicaWithRoomAnswersEveryRequestInItsServiceTime() {
        SimulationReport report = fixed(List.of(FAST, FAST), Traffic.constant(50), Duration.ofSeconds(20)).build().run();

        assertThat(report.requests()).isBetween(900L, 1100L);
        assertThat(report.served()).isEqualTo(report.requests());
        assertThat(report.failed()).isZero();
        assertThat(report.p50()).isEqualTo(Duration.ofMillis(100));
        assertThat(report.p999()).isEqualTo(Duration.ofMillis(100));
        assertThat(report.replicaSeconds()).isEqualTo(40.0);
    }

    @Test
    void theSameSeedGivesTheSameRunAndAnotherSeedAnother() {
        SimulationBuilder builder = fixed(List.of(ReplicaModel.defaults()), Traffic.constant(100), Duration.ofSeconds(5));

        SimulationReport first = builder.seed(7).build().run();
        SimulationReport again = builder.seed(7).build().run();
        SimulationReport other = builder.seed(8).build().run();

        assertThat(again.requests()).isEqualTo(first.requests());
        assertThat(again.p99()).isEqualTo(first.p99());
        assertThat(other.requests()).isNotEqualTo(first.requests());
    }

    @Test
    void requestsBeyondAReplicasConcurrencyQueueInsideIt() {
        ReplicaModel single = FAST.toBuilder().concurrency(1).build();
        SimulationReport report = fixed(List.of(single),
                Traffic.timestamps(List.of(Duration.ZERO, Duration.ZERO, Duration.ZERO)), Duration.ofSeconds(1))
                .build().run();

        assertThat(report.latency(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(report.latency(0.5)).isEqualTo(Duration.ofMillis(200));
        assertThat(report.latency(1)).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void leastInFlightKeepsTheTailLowerThanRoundRobinWhenOneReplicaIsTenTimesSlower() {
        ReplicaModel slow = FAST.toBuilder().name("slow").serviceTime(ServiceTime.constant(Duration.ofSeconds(1))).build();
        List<ReplicaModel> models = List.of(FAST, FAST, FAST, slow);

        SimulationReport roundRobin = fixed(models, Traffic.constant(30), Duration.ofSeconds(60)).build().run();
        SimulationReport leastInFlight = fixed(models, Traffic.constant(30), Duration.ofSeconds(60))
                .strategy(LoadBalancingStrategy.leastInFlight()).build().run();

        assertThat(roundRobin.latency(0.9)).isEqualTo(Duration.ofSeconds(1));
        assertThat(leastInFlight.latency(0.9)).isEqualTo(Duration.ofMillis(100));
        assertThat(leastInFlight.replicas().get(3).requests()).isLessThan(roundRobin.replicas().get(3).requests() / 2);
    }

    @Test
    void aReplicaThatFailsFastIsEjectedAfterItsFailuresInARow() {
        ReplicaModel failing = FAST.toBuilder().name("failing").failures(1.0, 503, Duration.ofMillis(1)).build();
        SimulationReport report = fixed(List.of(FAST, FAST, failing), Traffic.constant(60), Duration.ofSeconds(20))
                .strategy(LoadBalancingStrategy.roundRobin()).build().run();

        ReplicaStats failed = report.replicas().get(2);
        assertThat(failed.model()).isEqualTo("failing");
        assertThat(failed.failures()).isEqualTo(failed.requests());
        assertThat(report.failures()).containsOnlyKeys(Outcome.REPLICA_ERROR);
        assertThat(report.failed()).isEqualTo(OutlierDetection.DEFAULT_CONSECUTIVE_FAILURES);
    }

    @Test
    void aStallingReplicaHoldsItsRequestsUntilTheStallEnds() {
        ReplicaModel stalling = FAST.toBuilder().name("stalling")
                .stalls(Duration.ofSeconds(30), Duration.ofSeconds(2)).build();
        SimulationReport report = fixed(List.of(stalling), Traffic.constant(20), Duration.ofSeconds(40)).build().run();

        assertThat(report.latency(1)).isGreaterThan(Duration.ofMillis(1900)).isLessThanOrEqualTo(Duration.ofMillis(2100));
        assertThat(report.latency(0.9)).isEqualTo(Duration.ofMillis(100));
        assertThat(report.latency(1, Duration.ofSeconds(30), Duration.ofSeconds(32)))
                .isGreaterThan(Duration.ofMillis(1000));
        assertThat(report.failed()).isZero();
    }

    @Test
    void aReplicaSilentPastTheResponseTimeoutCountsAsTimedOut() {
        ReplicaModel hung = FAST.toBuilder().serviceTime(ServiceTime.constant(Duration.ofSeconds(40))).build();
        SimulationReport report = fixed(List.of(hung), Traffic.timestamps(List.of(Duration.ZERO)), Duration.ofSeconds(1))
                .responseTimeout(Duration.ofSeconds(5)).build().run();

        assertThat(report.failures()).containsEntry(Outcome.TIMEOUT, 1L);
        assertThat(report.p50()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aStrategysOwnRandomnessKeepsTheRunRepeatable() {
        SimulationBuilder builder = fixed(List.of(FAST, FAST, FAST), Traffic.constant(100), Duration.ofSeconds(5));

        long first = builder.strategy(LoadBalancingStrategy.powerOfTwoChoices(new SplittableRandom(3))).build().run()
                .replicas().get(0).requests();
        long again = builder.strategy(LoadBalancingStrategy.powerOfTwoChoices(new SplittableRandom(3))).build().run()
                .replicas().get(0).requests();

        assertThat(again).isEqualTo(first);
    }
}
