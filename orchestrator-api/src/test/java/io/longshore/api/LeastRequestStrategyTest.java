package io.longshore.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LeastRequestStrategyTest {

    @Test
    void equalWeightsTakeTheLessLoadedOfTwoRandomCandidatesSoTheMostLoadedIsNeverPicked() {
        List<Backend> candidates = TestBackend.many(4);
        int[] loads = {1, 2, 3, 50};
        for (int i = 0; i < loads.length; i++) {
            TestBackend.at(candidates, i).inFlight = loads[i];
        }

        int[] picks = Picks.count(LoadBalancingStrategy.leastRequest(new SplittableRandom(3)), candidates, 6000);

        assertThat(picks[3]).isZero();
        assertThat(picks[0]).isGreaterThan(picks[1]).isGreaterThan(picks[2]);
        assertThat(picks[0]).as("the least loaded wins each of the 3 of 6 pairs it is in").isCloseTo(3000, within(150));
    }

    @Test
    void unequalWeightsWithNothingInFlightAreHonouredWithinOnePercentOverTenThousandPicks() {
        List<Backend> candidates = TestBackend.many(3);
        TestBackend.at(candidates, 0).weight(1);
        TestBackend.at(candidates, 1).weight(3);
        TestBackend.at(candidates, 2).weight(6);

        double[] shares = Picks.shares(
                Picks.count(LoadBalancingStrategy.leastRequest(new SplittableRandom(1)), candidates, 10_000), 10_000);

        assertThat(shares[0]).isCloseTo(0.1, within(0.01));
        assertThat(shares[1]).isCloseTo(0.3, within(0.01));
        assertThat(shares[2]).isCloseTo(0.6, within(0.01));
    }

    @Test
    void requestsInFlightDivideTheWeightSoABusyHeavyCandidateYieldsToAnIdleLightOne() {
        List<Backend> candidates = TestBackend.many(2);
        TestBackend heavy = TestBackend.at(candidates, 0).weight(2);
        heavy.inFlight = 3; // 2 / (3 + 1) = 0.5 against 1 / (0 + 1) = 1

        double[] shares = Picks.shares(
                Picks.count(LoadBalancingStrategy.leastRequest(new SplittableRandom(1)), candidates, 9000), 9000);

        assertThat(shares[0]).isCloseTo(1 / 3.0, within(0.01));
        assertThat(shares[1]).isCloseTo(2 / 3.0, within(0.01));
    }

    @Test
    void theBiasSetsHowMuchRequestsInFlightCount() {
        List<Backend> candidates = TestBackend.many(2);
        TestBackend.at(candidates, 0).weight(2).inFlight = 3;

        double[] weightsOnly = Picks.shares(
                Picks.count(LoadBalancingStrategy.leastRequest(new SplittableRandom(1), 0.0), candidates, 9000), 9000);
        double[] squared = Picks.shares(
                Picks.count(LoadBalancingStrategy.leastRequest(new SplittableRandom(1), 2.0), candidates, 9000), 9000);

        assertThat(weightsOnly[0]).as("bias 0: 2 against 1").isCloseTo(2 / 3.0, within(0.01));
        assertThat(squared[0]).as("bias 2: 2/16 against 1").isCloseTo(1 / 9.0, within(0.01));
        assertThatThrownBy(() -> LoadBalancingStrategy.leastRequest(new SplittableRandom(), -1))
                .hasMessageContaining("bias must be a finite number >= 0, was -1.0");
    }

    @Test
    void aRetryTakesTheBetterOfTwoOthersByWeightOverLoadAndNeverTheExcludedOne() {
        List<Backend> candidates = TestBackend.many(3);
        TestBackend.at(candidates, 0).weight(4).inFlight = 1; // 4 / 2 = 2
        TestBackend.at(candidates, 1).weight(1).inFlight = 0; // 1 / 1 = 1
        TestBackend.at(candidates, 2).weight(1);
        LoadBalancingStrategy strategy = LoadBalancingStrategy.leastRequest(new SplittableRandom(5));

        for (int i = 0; i < 100; i++) {
            assertThat(strategy.chooseExcept(candidates, Picks.GET, 2)).isZero();
        }
        assertThat(strategy.chooseExcept(TestBackend.many(2), Picks.GET, 0)).isEqualTo(1);
        assertThat(strategy.chooseExcept(TestBackend.many(1), Picks.GET, 0)).isEqualTo(LoadBalancingStrategy.NONE);
        assertThat(strategy).hasToString("least-request");
    }
}
