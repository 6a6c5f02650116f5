package io.longshore.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrafficShapesTest {
    private static final ReplicaModel INSTANT = ReplicaModel.builder().serviceTime(ServiceTime.constant(Duration.ZERO))
            .build();

    private static SimulationReport run(Traffic traffic, Duration length) {
        return Simulation.builder().fixedReplicas(List.of(INSTANT)).traffic(traffic).length(length).build().run();
    }

    @Test
    void aStepChangesTheArrivalRateAtItsTime() {
        SimulationReport report = run(Traffic.step(10, 100, Duration.ofSeconds(30)), Duration.ofSeconds(60));

        assertThat(report.requests(Duration.ZERO, Duration.ofSeconds(30))).isBetween(240L, 360L);
        assertThat(report.requests(Duration.ofSeconds(30), Duration.ofSeconds(60))).isBetween(2800L, 3200L);
        assertThat(Traffic.step(10, 100, Duration.ofSeconds(30)).offeredConcurrency(29, 0.05)).isCloseTo(0.5, within(1e-9));
        assertThat(Traffic.step(10, 100, Duration.ofSeconds(30)).offeredConcurrency(30, 0.05)).isCloseTo(5, within(1e-9));
    }

    @Test
    void poissonArrivalsAverageTheirRate() {
        SimulationReport report = run(Traffic.constant(200), Duration.ofSeconds(100));

        assertThat(report.requests()).isBetween(19_400L, 20_600L);
    }

    @Test
    void theShapesOfferTheLoadTheirNamesSay() {
        assertThat(Traffic.spike(10, 100, Duration.ofSeconds(10), Duration.ofSeconds(5)).offeredConcurrency(12, 1))
                .isEqualTo(100);
        assertThat(Traffic.spike(10, 100, Duration.ofSeconds(10), Duration.ofSeconds(5)).offeredConcurrency(15, 1))
                .isEqualTo(10);
        assertThat(Traffic.ramp(0, 100, Duration.ofSeconds(10), Duration.ofSeconds(10)).offeredConcurrency(15, 1))
                .isCloseTo(50, within(1e-9));
        assertThat(Traffic.diurnal(10, 110, Duration.ofHours(24)).offeredConcurrency(12 * 3600, 1))
                .isCloseTo(110, within(1e-6));
        assertThat(Traffic.clients(20, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMillis(50))
                .offeredConcurrency(6, 0.05)).isCloseTo(10, within(1e-9));
        assertThat(Traffic.constant(10).and(Traffic.constant(30)).offeredConcurrency(1, 0.5)).isEqualTo(20);
        assertThat(Traffic.timestamps(List.of()).offeredConcurrency(1, 1)).isNaN();
    }

    @Test
    void closedLoopClientsKeepOneRequestEachInFlight() {
        ReplicaModel tenth = ReplicaModel.builder().serviceTime(ServiceTime.constant(Duration.ofMillis(100))).build();
        SimulationReport report = Simulation.builder().fixedReplicas(List.of(tenth))
                .traffic(Traffic.idleThenBurst(Duration.ofSeconds(5), 20, Duration.ofSeconds(10)))
                .length(Duration.ofSeconds(30)).build().run();

        assertThat(report.requests()).isEqualTo(20 * 100);
        assertThat(report.timeline()).filteredOn(s -> s.at().compareTo(Duration.ofSeconds(5)) < 0)
                .allMatch(s -> s.open() == 0);
        assertThat(report.timeline()).filteredOn(s -> s.at().compareTo(Duration.ofMillis(5050)) > 0
                && s.at().compareTo(Duration.ofMillis(14950)) < 0).allMatch(s -> s.open() == 20);
    }

    @Test
    void timestampsReplayExactly() {
        SimulationReport report = run(Traffic.timestamps(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(7))), Duration.ofSeconds(10));

        assertThat(report.requests()).isEqualTo(3);
        assertThat(report.requests(Duration.ofSeconds(1), Duration.ofMillis(1001))).isEqualTo(2);
        assertThat(report.requests(Duration.ofSeconds(7), Duration.ofMillis(7001))).isEqualTo(1);
    }

    @Test
    void noisyLoadWandersAroundItsRate() {
        SimulationReport report = run(Traffic.noisy(100, 0.3, Duration.ofSeconds(10)), Duration.ofSeconds(300));

        assertThat(report.requests()).isBetween(27_000L, 33_000L);
    }

    @Test
    void shapesRefuseImpossibleSettings() {
        assertThatThrownBy(() -> Traffic.constant(-1)).hasMessageContaining("perSecond");
        assertThatThrownBy(() -> Traffic.noisy(10, 1.0, Duration.ofSeconds(1))).hasMessageContaining("amplitude");
        assertThatThrownBy(() -> Traffic.clients(0, Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO))
                .hasMessageContaining("clients");
        assertThatThrownBy(() -> Traffic.spike(1, 2, Duration.ZERO, Duration.ZERO)).hasMessageContaining("length");
    }

    @Test
    void serviceTimesStayWithinTheirShapeAndKnowTheirMean() {
        SplittableRandom random = new SplittableRandom(1);
        ServiceTime jittered = ServiceTime.jittered(Duration.ofMillis(50), 0.2);
        for (int i = 0; i < 1000; i++) {
            assertThat(jittered.sampleNanos(random)).isBetween(40_000_000L, 60_000_000L);
        }
        assertThat(jittered.meanNanos()).isEqualTo(50_000_000.0);
        assertThat(ServiceTime.exponential(Duration.ofMillis(10)).meanNanos()).isEqualTo(10_000_000.0);
        assertThat(((ServiceTime) r -> 7).meanNanos()).isEqualTo(7.0);
        assertThat(jittered.times(10).meanNanos()).isEqualTo(500_000_000.0);
        assertThat(ServiceTime.logNormal(Duration.ofMillis(50), 0.5).meanNanos())
                .isCloseTo(50e6 * Math.exp(0.125), within(1.0));
    }
}
