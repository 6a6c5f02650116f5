package io.longshore.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.ScalingPolicy;
import io.longshore.api.TargetTracking;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Target tracking with the waiting line, end to end on virtual time: a real orchestrator, router and line. */
class TargetTrackingSimulationTest {
    private static final ReplicaModel MODEL = ReplicaModel.builder()
            .serviceTime(ServiceTime.jittered(Duration.ofMillis(50), 0.2))
            .startup(Duration.ofSeconds(2)).concurrency(10).build();

    private static ScalingPolicy policy() {
        return ScalingPolicy.targetTracking(TargetTracking.builder().target(10).utilisation(0.7)
                .idle(Duration.ofSeconds(30)).build());
    }

    @Test
    void aTenfoldStepIsFollowedWithinTheStartUpAndNoRequestFails() {
        SimulationReport report = Simulation.builder()
                .traffic(Traffic.step(40, 400, Duration.ofSeconds(60))).length(Duration.ofMinutes(3))
                .replicas(MODEL)
                .orchestrator(b -> b.maxReplicas(20).containerConcurrency(10).scalingPolicy(policy()))
                .capacityPerReplica(10).oracle(7, 1)
                .build().run();

        assertThat(report.failed()).isZero();
        assertThat(report.held()).isPositive();
        assertThat(report.timeToCapacity(Duration.ofSeconds(60))).hasValueSatisfying(
                d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(6)));
        assertThat(report.timeline().get(report.timeline().size() - 1).desired()).isEqualTo(3);
        assertThat(report.replicaSeconds()).isLessThanOrEqualTo(report.oracleReplicaSeconds() * 1.15);
    }

    @Test
    void aBurstFromZeroIsHeldAndStartsOnlyTheReplicasItNeeds() {
        SimulationReport report = Simulation.builder()
                .traffic(Traffic.idleThenBurst(Duration.ofSeconds(5), 200, Duration.ofSeconds(20)))
                .length(Duration.ofSeconds(40)).replicas(MODEL)
                .orchestrator(b -> b.minReplicas(0).initialReplicas(0).maxReplicas(50).containerConcurrency(10)
                        .scalingPolicy(policy()))
                .build().run();

        assertThat(report.failed()).isZero();
        assertThat(report.held()).isGreaterThanOrEqualTo(200);
        assertThat(report.replicasStarted()).isBetween(20, (int) Math.ceil(200 / 7.0) + 1);
    }

    @Test
    void aTrickleAtZeroStartsOneReplicaAndAfterTheIdlePeriodNone() {
        SimulationReport report = Simulation.builder()
                .traffic(Traffic.spike(0, 5, Duration.ofSeconds(10), Duration.ofSeconds(20)))
                .length(Duration.ofSeconds(90)).replicas(MODEL)
                .orchestrator(b -> b.minReplicas(0).initialReplicas(0).maxReplicas(10).containerConcurrency(1)
                        .scalingPolicy(policy()))
                .build().run();

        assertThat(report.failed()).isZero();
        assertThat(report.replicasStarted()).as("requests held for a starting replica start no more").isEqualTo(1);
        assertThat(report.timeline().get(report.timeline().size() - 1).running()).isZero();
    }
}
