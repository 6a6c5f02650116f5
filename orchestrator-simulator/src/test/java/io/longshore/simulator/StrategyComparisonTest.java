package io.longshore.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.LoadBalancingStrategy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The strategies on the heterogeneous replicas, on virtual time: the ordering the
 * comparison table shows, asserted with margins. Three simulated minutes per case.
 */
class StrategyComparisonTest {
    private static final Duration LENGTH = Duration.ofMinutes(3);
    private static final Map<String, Supplier<LoadBalancingStrategy>> STRATEGIES = Map.of(
            "round-robin", LoadBalancingStrategy::roundRobin,
            "p2c", () -> LoadBalancingStrategy.powerOfTwoChoices(new SplittableRandom(7)),
            "least-request", () -> LoadBalancingStrategy.leastRequest(new SplittableRandom(7)),
            "peak-ewma", () -> LoadBalancingStrategy.peakEwma(new SplittableRandom(7)));

    private static StrategyComparison.Row run(String caseName, String strategy) {
        StrategyComparison.Case standard = StrategyComparison.heterogeneous().stream()
                .filter(each -> each.name().equals(caseName)).findFirst().orElseThrow();
        StrategyComparison.Case shorter = new StrategyComparison.Case(standard.name(), standard.replicas(),
                standard.rate(), LENGTH);
        return StrategyComparison.run(shorter, strategy, STRATEGIES.get(strategy));
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / 1e6;
    }

    @Test
    void withOneReplicaTenTimesSlowerPeakEwmaKeepsTheAllFastTailAndRoundRobinDoesNot() {
        double allFast = millis(run("all fast", "round-robin").p99());
        StrategyComparison.Row roundRobin = run("one 10x slower", "round-robin");
        StrategyComparison.Row peakEwma = run("one 10x slower", "peak-ewma");

        assertThat(millis(peakEwma.p99())).isLessThanOrEqualTo(1.3 * allFast);
        assertThat(millis(roundRobin.p99())).isGreaterThan(5 * allFast);
        assertThat(peakEwma.share("slow")).isLessThan(0.01);
        assertThat(roundRobin.share("slow")).isCloseTo(0.1, org.assertj.core.api.Assertions.within(0.001));
    }

    @Test
    void theStrategiesThatSeeLoadSendLessToTheSlowReplicaThanRoundRobin() {
        double roundRobin = run("one 10x slower", "round-robin").share("slow");

        for (String strategy : List.of("p2c", "least-request", "peak-ewma")) {
            assertThat(run("one 10x slower", strategy).share("slow")).as(strategy).isLessThan(roundRobin / 2);
        }
    }

    @Test
    void onceEjectionHasKickedInTheFastFailingReplicaGetsAtMostOnePercentWhateverTheStrategy() {
        for (String strategy : STRATEGIES.keySet()) {
            StrategyComparison.Row row = run("one fails fast (503)", strategy);

            assertThat(row.share("failing")).as(strategy).isLessThanOrEqualTo(0.01);
            assertThat(row.failed()).as(strategy).isLessThanOrEqualTo(row.requests() / 100);
        }
    }

    @Test
    void aStallingReplicaHurtsRoundRobinsTailButNotTheStrategiesThatSeeItsQueue() {
        assertThat(run("one stalls 2s every 30s", "round-robin").p999()).isGreaterThan(Duration.ofSeconds(1));

        for (String strategy : List.of("p2c", "least-request", "peak-ewma")) {
            assertThat(run("one stalls 2s every 30s", strategy).p999()).as(strategy)
                    .isLessThan(Duration.ofMillis(100));
        }
    }

    @Test
    void withAllThreeAtOncePeakEwmaBeatsRoundRobinAtTheTail() {
        StrategyComparison.Row roundRobin = run("slow + stalling + failing", "round-robin");
        StrategyComparison.Row peakEwma = run("slow + stalling + failing", "peak-ewma");

        assertThat(millis(peakEwma.p99())).isLessThan(millis(roundRobin.p99()) * 0.8);
        assertThat(millis(peakEwma.p999())).isLessThan(millis(roundRobin.p999()) * 0.8);
        assertThat(peakEwma.failed()).isLessThanOrEqualTo(roundRobin.failed() + 5);
    }

    @Test
    void aComparisonIsRepeatableAndItsTableShowsEveryRow() {
        StrategyComparison.Row first = run("one 10x slower", "peak-ewma");
        StrategyComparison.Row again = run("one 10x slower", "peak-ewma");

        assertThat(again).isEqualTo(first);
        assertThat(StrategyComparison.table(List.of(first))).contains("| one 10x slower | peak-ewma | ")
                .contains("| – | – |");
    }
}
