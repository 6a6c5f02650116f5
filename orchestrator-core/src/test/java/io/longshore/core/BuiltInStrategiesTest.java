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
