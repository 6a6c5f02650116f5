package io.longshore.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PeakEwmaStrategyTest {
    private static final long MS = 1_000_000;

    @Test
    void aSlowCandidateLosesEveryComparisonUntilItsQueueOfTheOthersIsTenTimesLonger() {
        List<Backend> candidates = TestBackend.many(4);
        for (int i = 0; i < 4; i++) {
            TestBackend.at(candidates, i).latency(i == 3 ? 100 * MS : 10 * MS, 0);
        }
        LoadBalancingStrategy strategy = LoadBalancingStrategy.peakEwma(new SplittableRandom(2));

        assertThat(Picks.count(strategy, candidates, 3000)[3]).isZero();

        for (int i = 0; i < 3; i++) {
            TestBackend.at(candidates, i).inFlight = 10; // 10 ms x 11 > 100 ms x 1
        }
        assertThat(Picks.count(strategy, candidates, 3000)[3]).as("in every pair it is in").isCloseTo(1500, within(120));
    }

    @Test
    void aCandidateWithoutAResponseStartsFromTheMeanOfTheOthersNotFromZero() {
        List<Backend> candidates = TestBackend.many(3);
        TestBackend.at(candidates, 0).latency(5 * MS, 0);
        TestBackend.at(candidates, 1).latency(20 * MS, 0);

        double[] shares = Picks.shares(
                Picks.count(LoadBalancingStrategy.peakEwma(new SplittableRandom(4)), candidates, 9000), 9000);

        // the new one starts at 10 ms, the geometric mean: it beats the 20 ms one and loses to the 5 ms one;
        // from zero it would win both of the pairs it is in (2/3 of the picks)
        assertThat(shares[2]).isCloseTo(1 / 3.0, within(0.02));
        assertThat(shares[0]).isCloseTo(2 / 3.0, within(0.02));
        assertThat(shares[1]).isZero();
    }

    @Test
    void theNeutralPriorIsTheGeometricMeanOfTheOthersEstimatesDecayedToTheNewestOfTheirTimes() {
        List<Backend> candidates = TestBackend.many(3);
        long decay = Duration.ofSeconds(10).toNanos();
        TestBackend.at(candidates, 0).latency(4 * MS, 20 * decay);
        TestBackend.at(candidates, 1).latency(9 * MS * Math.E, 19 * decay); // 9 ms at the newest time

        PeakEwmaStrategy.Prior prior = new PeakEwmaStrategy.Prior().compute(candidates, decay);

        assertThat(prior.nanos()).isCloseTo(6 * MS, within(1.0));
        assertThat(prior.atNanos()).isEqualTo(20 * decay);
    }

    @Test
    void anEstimateDecaysBetweenResponsesSoAReplicaLeftAloneIsTriedAgain() {
        long decay = Duration.ofSeconds(10).toNanos();
        List<Backend> candidates = TestBackend.many(2);
        TestBackend.at(candidates, 0).latency(100 * MS, 0);                  // slow, 30 s ago
        TestBackend.at(candidates, 1).latency(10 * MS, 3 * decay);           // fast, now
        LoadBalancingStrategy strategy = LoadBalancingStrategy.peakEwma(new SplittableRandom(1));

        // 100 ms x e^-3 = 5 ms by now: the slow one is the cheaper again
        assertThat(Picks.count(strategy, candidates, 100)).containsExactly(100, 0);

        TestBackend.at(candidates, 1).latency(10 * MS, 2 * decay);           // 20 s: 100 ms x e^-2 = 13.5 ms
        assertThat(Picks.count(strategy, candidates, 100)).containsExactly(0, 100);
    }

    @Test
    void withoutAnyResponseTheLessLoadedWinsAndRetriesAvoidTheExcludedOne() {
        List<Backend> candidates = TestBackend.many(3);
        TestBackend.at(candidates, 0).inFlight = 5;
        LoadBalancingStrategy strategy = LoadBalancingStrategy.peakEwma(new SplittableRandom(9));

        assertThat(Picks.count(strategy, candidates, 300)[0]).isZero();
        for (int i = 0; i < 100; i++) {
            assertThat(strategy.chooseExcept(candidates, Picks.GET, 1)).isEqualTo(2);
        }
    }

    @Test
    void itNamesItselfAndTellsTheRouterItsDecay() {
        LoadBalancingStrategy strategy = LoadBalancingStrategy.peakEwma(new SplittableRandom(), Duration.ofSeconds(3));

        assertThat(strategy).hasToString("peak-ewma");
        assertThat(strategy.latencyDecay()).isEqualTo(Duration.ofSeconds(3));
        assertThat(LoadBalancingStrategy.peakEwma(new SplittableRandom()).latencyDecay())
                .isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> LoadBalancingStrategy.peakEwma(new SplittableRandom(), Duration.ZERO))
                .hasMessageContaining("decay must be positive");
    }
}
