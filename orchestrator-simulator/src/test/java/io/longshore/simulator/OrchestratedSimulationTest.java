package io.longshore.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.longshore.api.Metric;
import io.longshore.api.ScalingPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OrchestratedSimulationTest {
    private static final ReplicaModel MODEL = ReplicaModel.builder()
            .serviceTime(ServiceTime.constant(Duration.ofMillis(50))).startup(Duration.ofSeconds(2)).concurrency(10).build();

    /** A policy for the tests: one replica per 100 requests a second over the last 10 s, rounded. */
    private static final ScalingPolicy PER_HUNDRED = context ->
            (int) Math.round(context.metrics().value(Metric.REQUEST_RATE, Duration.ofSeconds(10)) / 100);

    @Test
    void aReplicaServesOnlyOnceItsStartUpHasPassed() {
        SimulationReport report = Simulation.builder()
                .traffic(Traffic.constant(20)).length(Duration.ofSeconds(10)).replicas(MODEL)
                .build().run();

        assertThat(report.timeline()).filteredOn(s -> s.at().compareTo(Duration.ofSeconds(2)) < 0)
                .allMatch(s -> s.routable() == 0 && s.running() == 1);
        assertThat(report.timeline()).filteredOn(s -> s.at().compareTo(Duration.ofMillis(2300)) >= 0)
                .allMatch(s -> s.routable() == 1);
        assertThat(report.failed()).as("requests sent while it starts wait in the line").isZero();
        assertThat(report.held()).isBetween(25L, 55L);
        assertThat(report.latency(1)).isBetween(Duration.ofMillis(1800), Duration.ofMillis(2300));
        assertThat(report.timeline().get(10).waiting()).isPositive();
        assertThat(report.replicaSeconds()).isEqualTo(10.0);
    }

    @Test
    void withoutAWaitingLineRequestsSentWhileNoReplicaServesFail() {
        SimulationReport report = Simulation.builder()
                .traffic(Traffic.constant(20)).length(Duration.ofSeconds(10)).replicas(MODEL)
                .waitingLine(0, Duration.ofSeconds(30))
                .build().run();

        assertThat(report.failures()).containsOnlyKeys(Outcome.NO_REPLICA);
        assertThat(report.held()).isZero();
        assertThat(report.failed(Duration.ofMillis(2300), Duration.ofSeconds(10))).isZero();
    }

    @Test
    void theLineAnswers503PastItsLengthAndPastItsTime() {
        ReplicaModel neverReady = MODEL.toBuilder().startup(Duration.ofMinutes(10)).build();
        SimulationReport report = Simulation.builder()
                .traffic(Traffic.timestamps(java.util.Collections.nCopies(8, Duration.ofSeconds(1))))
                .length(Duration.ofSeconds(5)).replicas(neverReady)
                .orchestrator(b -> b.startGracePeriod(Duration.ofMinutes(20)))
                .waitingLine(5, Duration.ofSeconds(3))
                .build().run();

        assertThat(report.failures()).containsEntry(Outcome.LINE_FULL, 3L).containsEntry(Outcome.WAIT_TIMEOUT, 5L);
        assertThat(report.held()).isEqualTo(5);
        assertThat(report.latency(1)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void beyondTheContainerConcurrencyRequestsWaitInTheGatewayNotInTheReplica() {
        ReplicaModel slowStart = MODEL.toBuilder().startup(Duration.ZERO).build();
        SimulationReport report = Simulation.builder()
                .traffic(Traffic.clients(30, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ZERO))
                .length(Duration.ofSeconds(12)).replicas(slowStart)
                .orchestrator(b -> b.initialReplicas(1).maxReplicas(1).containerConcurrency(10))
                .build().run();

        assertThat(report.failed()).isZero();
        assertThat(report.timeline()).filteredOn(s -> s.at().compareTo(Duration.ofSeconds(2)) > 0
                && s.at().compareTo(Duration.ofSeconds(10)) < 0).allMatch(s -> s.waiting() == 20 && s.open() == 30);
        assertThat(report.p50()).isEqualTo(Duration.ofMillis(150));
    }

    @Test
    void theOrchestratorsPolicyFollowsAStepAndTheReportMeasuresIt() {
        SimulationReport report = Simulation.builder()
                .traffic(Traffic.step(100, 500, Duration.ofSeconds(30))).length(Duration.ofSeconds(90))
                .replicas(MODEL)
                .orchestrator(b -> b.minReplicas(1).maxReplicas(10).scalingPolicy(PER_HUNDRED)
                        .scalingInterval(Duration.ofSeconds(2)))
                .capacityPerReplica(5)
                .oracle(5, 1)
                .build().run();

        assertThat(report.timeline().get(report.timeline().size() - 1).desired()).isEqualTo(5);
        assertThat(report.scalingChanges()).isBetween(1, 6);
        assertThat(report.scalingChanges(Duration.ZERO, Duration.ofSeconds(30))).isZero();
        assertThat(report.timeToCapacity(Duration.ofSeconds(30))).hasValueSatisfying(
                d -> assertThat(d).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(20)));
        assertThat(report.oracleReplicaSeconds()).isCloseTo(30 * 1 + 60 * 5 + 5 * 2, within(1.0));
        assertThat(report.replicaSeconds()).isBetween(report.oracleReplicaSeconds() * 0.8,
                report.oracleReplicaSeconds() * 1.2);
        assertThat(report.failed(Duration.ofSeconds(3), Duration.ofSeconds(90))).isZero();
        assertThat(report.replicasStarted()).isEqualTo(5);
    }

    @Test
    void aScaleInDrainsTheReplicaSoNoRequestFails() {
        SimulationReport report = Simulation.builder()
                .traffic(Traffic.spike(50, 400, Duration.ofSeconds(20), Duration.ofSeconds(30)))
                .length(Duration.ofSeconds(90)).replicas(MODEL)
                .orchestrator(b -> b.minReplicas(1).maxReplicas(10).scalingPolicy(PER_HUNDRED)
                        .scalingInterval(Duration.ofSeconds(2)).initialReplicas(1))
                .build().run();

        assertThat(report.maxReplicas()).isEqualTo(4);
        assertThat(report.timeline().get(report.timeline().size() - 1).running()).isEqualTo(1);
        assertThat(report.failed(Duration.ofSeconds(3), Duration.ofSeconds(90))).isZero();
    }

    @Test
    void heterogeneousSlotsGetTheirOwnModels() {
        ReplicaModel slow = MODEL.toBuilder().name("slow").serviceTime(ServiceTime.constant(Duration.ofMillis(500)))
                .build();
        SimulationReport report = Simulation.builder()
                .traffic(Traffic.constant(20)).length(Duration.ofSeconds(20))
                .replicas(slot -> slot == 1 ? slow : MODEL)
                .orchestrator(b -> b.initialReplicas(2).minReplicas(2))
                .build().run();

        assertThat(report.replicas()).extracting(ReplicaStats::model).containsExactly("replica", "slow");
        assertThat(report.latency(0.99, Duration.ofSeconds(3), Duration.ofSeconds(20)))
                .isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aPolicyTheCpuReadingsDriveSeesTheReplicasUtilisation() {
        ScalingPolicy cpu = context -> {
            double percent = context.metrics().value(Metric.CPU_PERCENT, Duration.ZERO);
            return Double.isNaN(percent) ? context.currentReplicas()
                    : (int) Math.ceil(context.currentReplicas() * percent / 50);
        };
        SimulationReport report = Simulation.builder()
                .traffic(Traffic.constant(200)).length(Duration.ofSeconds(60)).replicas(MODEL)
                .orchestrator(b -> b.maxReplicas(10).scalingPolicy(cpu).scalingInterval(Duration.ofSeconds(5)))
                .build().run();

        // 200/s x 50 ms = 10 requests in flight over replicas of 10 slots: 2 replicas at 50 %
        assertThat(report.timeline().get(report.timeline().size() - 1).desired()).isEqualTo(2);
    }
}
