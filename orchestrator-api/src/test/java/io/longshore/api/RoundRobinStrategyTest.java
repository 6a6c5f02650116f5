package io.longshore.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RoundRobinStrategyTest {

    @Test
    void equalWeightsRotateInCandidateOrderAsTheSeedDid() {
        List<Backend> candidates = TestBackend.many(4);
        LoadBalancingStrategy strategy = LoadBalancingStrategy.roundRobin();

        List<Integer> order = IntStream.range(0, 8).mapToObj(i -> strategy.choose(candidates, Picks.GET)).toList();

        assertThat(order).containsExactly(0, 1, 2, 3, 0, 1, 2, 3);
        assertThat(strategy).hasToString("round-robin");
    }

    @Test
    void wholeWeightsAreHonouredWithinOnePercentOverTenThousandPicks() {
        List<Backend> candidates = TestBackend.many(4);
        for (int i = 0; i < 4; i++) {
            TestBackend.at(candidates, i).weight(i + 1);
        }

        double[] shares = Picks.shares(Picks.count(LoadBalancingStrategy.roundRobin(), candidates, 10_000), 10_000);

        assertThat(shares[0]).isCloseTo(0.1, within(0.01));
        assertThat(shares[1]).isCloseTo(0.2, within(0.01));
        assertThat(shares[2]).isCloseTo(0.3, within(0.01));
        assertThat(shares[3]).isCloseTo(0.4, within(0.01));
    }

    @Test
    void fractionalWeightsOfSlowStartAreHonouredWithinOnePercent() {
        List<Backend> candidates = TestBackend.many(5);
        double[] weights = {1, 1, 1, 0.1, 0.55};
        for (int i = 0; i < weights.length; i++) {
            TestBackend.at(candidates, i).effectiveWeight(weights[i]);
        }

        double[] shares = Picks.shares(Picks.count(LoadBalancingStrategy.roundRobin(), candidates, 10_000), 10_000);

        double total = 3.65;
        for (int i = 0; i < weights.length; i++) {
            assertThat(shares[i]).as("candidate %d", i).isCloseTo(weights[i] / total, within(0.01));
        }
    }

    @Test
    void aWeightedCycleInterleavesTheHeavyCandidateWithTheLightOnes() {
        List<Backend> candidates = TestBackend.many(3);
        TestBackend.at(candidates, 0).weight(2);
        LoadBalancingStrategy strategy = LoadBalancingStrategy.roundRobin();

        List<Integer> cycles = IntStream.range(0, 8).mapToObj(i -> strategy.choose(candidates, Picks.GET)).toList();

        assertThat(cycles).containsExactly(0, 1, 2, 0, 0, 1, 2, 0);
    }

    @Test
    void aNewCandidateListIsScheduledAfreshAndTheOldScheduleIsNotUsedForIt() {
        LoadBalancingStrategy strategy = LoadBalancingStrategy.roundRobin();
        List<Backend> weighted = TestBackend.many(2);
        TestBackend.at(weighted, 0).weight(9);
        Picks.count(strategy, weighted, 10);

        int[] even = Picks.count(strategy, TestBackend.many(2), 1000);

        assertThat(even).containsExactly(500, 500);
    }

    @Test
    void aRetryNeverGoesToTheExcludedCandidateAndFindsNoneWhenItWasTheOnlyOne() {
        List<Backend> candidates = TestBackend.many(3);
        TestBackend.at(candidates, 1).weight(50);
        LoadBalancingStrategy strategy = LoadBalancingStrategy.roundRobin();

        for (int i = 0; i < 200; i++) {
            assertThat(strategy.chooseExcept(candidates, Picks.GET, 1)).isIn(0, 2);
        }
        assertThat(strategy.chooseExcept(TestBackend.many(1), Picks.GET, 0)).isEqualTo(LoadBalancingStrategy.NONE);
        assertThat(strategy.choose(List.of(), Picks.GET)).isEqualTo(LoadBalancingStrategy.NONE);
    }
}
