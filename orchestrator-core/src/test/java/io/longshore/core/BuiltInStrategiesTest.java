package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.Backend;
import io.longshore.api.Endpoint;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.RouteRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuiltInStrategiesTest {
    private static final RouteRequest GET = RouteRequest.of("GET", "/");

    /** A backend with a fixed load. */
    record Loaded(String id, int inFlight, long latencyEwmaNanos) implements Backend {
        @Override
        public Endpoint endpoint() {
            return Endpoint.loopback(8000 + id.hashCode() % 1000);
        }
    }

    private static final List<Backend> EVEN = List.of(new Loaded("a", 0, 0), new Loaded("b", 0, 0),
            new Loaded("c", 0, 0), new Loaded("d", 0, 0));

    private static Map<String, Integer> picks(LoadBalancingStrategy strategy, List<Backend> candidates, int times) {
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < times; i++) {
            picks.merge(candidates.get(strategy.choose(candidates, GET)).id(), 1, Integer::sum);
        }
        return picks;
    }

    @Test
    void roundRobinTakesEachCandidateInTurn() {
        LoadBalancingStrategy strategy = LoadBalancingStrategy.roundRobin();

        List<String> order = java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> EVEN.get(strategy.choose(EVEN, GET)).id()).toList();

        assertThat(order).containsExactly("a", "b", "c", "d", "a", "b", "c", "d");
        assertThat(strategy).hasToString("round-robin");
    }

    @Test
    void randomSpreadsOverEveryCandidate() {
        Map<String, Integer> picks = picks(LoadBalancingStrategy.random(new SplittableRandom(7)), EVEN, 4000);

        assertThat(picks).hasSize(4);
        assertThat(picks.values()).allMatch(n -> n > 800 && n < 1200);
    }

    @Test
    void leastInFlightPicksTheLeastLoadedAndSpreadsTies() {
        List<Backend> candidates = List.of(new Loaded("busy", 5, 0), new Loaded("idle1", 1, 0),
                new Loaded("idle2", 1, 0), new Loaded("busier", 9, 0));

        Map<String, Integer> picks = picks(LoadBalancingStrategy.leastInFlight(), candidates, 100);

        assertThat(picks).containsOnlyKeys("idle1", "idle2");
        assertThat(picks).containsEntry("idle1", 50).containsEntry("idle2", 50);
    }

    @ParameterizedTest(name = "{0} candidates")
    @ValueSource(ints = {100, 128, 129, 300})
    void leastInFlightSpreadsTiesEvenlyWhereverTheTiesSit(int size) {
        List<Integer> tied = List.of(0, 3, 63, 64, 98, size - 1);
        List<Backend> candidates = java.util.stream.IntStream.range(0, size)
                .mapToObj(i -> (Backend) new Loaded("r" + i, tied.contains(i) ? 2 : 3 + i % 7, 0)).toList();

        Map<String, Integer> picks = picks(LoadBalancingStrategy.leastInFlight(), candidates, 600);

        assertThat(picks).containsOnlyKeys(tied.stream().map(i -> "r" + i).toList());
        assertThat(picks.values()).allMatch(n -> n == 100);
    }

    @ParameterizedTest(name = "{0} candidates")
    @ValueSource(ints = {2, 100, 200})
    void leastInFlightNeverPicksTheExcludedCandidateEvenWhenItIsTheLeastLoaded(int size) {
        List<Backend> candidates = java.util.stream.IntStream.range(0, size)
                .mapToObj(i -> (Backend) new Loaded("r" + i, i == size - 1 ? 0 : 4, 0)).toList();
        LoadBalancingStrategy strategy = LoadBalancingStrategy.leastInFlight();

        for (int i = 0; i < 50; i++) {
            assertThat(strategy.chooseExcept(candidates, GET, size - 1)).isBetween(0, size - 2);
        }
        assertThat(strategy.choose(candidates, GET)).isEqualTo(size - 1);
        assertThat(strategy.chooseExcept(List.of(candidates.get(0)), GET, 0)).isEqualTo(LoadBalancingStrategy.NONE);
    }

    @Test
    void powerOfTwoChoicesNeverPicksTheMostLoaded() {
        List<Backend> candidates = List.of(new Loaded("a", 1, 0), new Loaded("b", 2, 0),
                new Loaded("c", 3, 0), new Loaded("hot", 50, 0));

        Map<String, Integer> picks = picks(LoadBalancingStrategy.powerOfTwoChoices(new SplittableRandom(3)), candidates, 1000);

        assertThat(picks).doesNotContainKey("hot").containsKey("a");
        assertThat(picks.get("a")).isGreaterThan(picks.getOrDefault("c", 0));
    }

    @Test
    void powerOfTwoChoicesBreaksLoadTiesByLatency() {
        List<Backend> candidates = List.of(new Loaded("slow", 1, 9_000_000), new Loaded("fast", 1, 1_000_000));

        assertThat(picks(LoadBalancingStrategy.powerOfTwoChoices(new SplittableRandom(1)), candidates, 50))
                .containsOnlyKeys("fast");
    }

    @Test
    void everyBuiltInAnswersNoneForNoCandidates() {
        for (LoadBalancingStrategy strategy : List.of(LoadBalancingStrategy.roundRobin(),
                LoadBalancingStrategy.random(new SplittableRandom(1)), LoadBalancingStrategy.leastInFlight(),
                LoadBalancingStrategy.powerOfTwoChoices(new SplittableRandom(1)))) {
            assertThat(strategy.choose(List.of(), GET)).as(strategy.toString()).isEqualTo(LoadBalancingStrategy.NONE);
        }
    }
}
