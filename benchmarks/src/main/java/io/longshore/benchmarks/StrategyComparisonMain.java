package io.longshore.benchmarks;

import io.longshore.api.LoadBalancingStrategy;
import io.longshore.simulator.StrategyComparison;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Prints the strategy comparison of the simulator as a Markdown table: every built-in strategy
 * that needs no request key, on each of {@link StrategyComparison#heterogeneous()}'s cases (ten
 * replicas of 50 ms ± 20 %: all fast, one 10× slower, one stalling 2 s every 30 s, one failing
 * fast, all three), five simulated minutes at 100 requests a second each, on virtual time with
 * one seed, so every run prints the same table. Run with
 * {@code java -cp benchmarks/target/benchmarks.jar io.longshore.benchmarks.StrategyComparisonMain [seed]}.
 */
public final class StrategyComparisonMain {

    private StrategyComparisonMain() {
    }

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : StrategyComparison.DEFAULT_SEED;
        Map<String, Supplier<LoadBalancingStrategy>> strategies = new LinkedHashMap<>();
        strategies.put("round-robin", LoadBalancingStrategy::roundRobin);
        strategies.put("random", () -> LoadBalancingStrategy.random(new SplittableRandom(seed)));
        strategies.put("least-in-flight", LoadBalancingStrategy::leastInFlight);
        strategies.put("p2c", () -> LoadBalancingStrategy.powerOfTwoChoices(new SplittableRandom(seed)));
        strategies.put("least-request", () -> LoadBalancingStrategy.leastRequest(new SplittableRandom(seed)));
        strategies.put("peak-ewma", () -> LoadBalancingStrategy.peakEwma(new SplittableRandom(seed)));
        List<StrategyComparison.Row> rows = new ArrayList<>();
        for (StrategyComparison.Case each : StrategyComparison.heterogeneous()) {
            strategies.forEach((name, strategy) -> rows.add(StrategyComparison.run(each, name, strategy, seed)));
        }
        System.out.print(StrategyComparison.table(rows));
    }
}
