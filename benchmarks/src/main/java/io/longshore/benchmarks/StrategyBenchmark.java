package io.longshore.benchmarks;

import io.longshore.api.Backend;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.RouteRequest;
import io.longshore.core.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The strategy's pick alone, over the router's own candidate snapshot: separates what the
 * strategy costs (and allocates) from the lease bookkeeping that {@link RouterBenchmark}
 * adds around it. The request ({@link BenchRequest}) hands the hashing strategies their keys as
 * views made in advance, so the figures are the strategy's own cost and allocation. With
 * {@code weights=unequal} the candidates are {@link WeightedBackend}s with the router's ids and
 * endpoints that weigh 1 to 5 (round robin and least request then run their weighted schedules).
 * With {@code otherStrategiesSeen}, the call into the strategy has first seen every built-in
 * strategy type, so the JIT cannot inline the one measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StrategyBenchmark {
    private static final int WARM_UP_PICKS = 200_000;

    @Param({"100"})
    int replicas;

    @Param({"round-robin", "random", "least-in-flight", "p2c", "least-request", "peak-ewma", "hash-header",
            "hash-cookie", "hash-ip", "sticky"})
    String strategy;

    @Param({"equal"})
    String weights;

    @Param({"false"})
    boolean otherStrategiesSeen;

    private final RouteRequest request = new BenchRequest();
    private LoadBalancingStrategy chooser;
    private List<Backend> candidates;

    @Setup
    public void setUp() {
        if (otherStrategiesSeen) {
            for (Strategies each : Strategies.values()) {
                List<Backend> warm = candidates(10, each, "unequal");
                LoadBalancingStrategy other = each.create();
                for (int i = 0; i < WARM_UP_PICKS; i++) {
                    pick(other, warm, request);
                }
            }
        }
        Strategies choice = Strategies.byParamName(strategy);
        chooser = choice.create();
        candidates = candidates(replicas, choice, weights);
    }

    /**
     * The router's snapshot of {@code replicas} backends; when {@code weights} is {@code unequal},
     * backends of the same ids and endpoints that weigh 1 to 5 in turn.
     */
    static List<Backend> candidates(int replicas, Strategies strategy, String weights) {
        Router router = RouterBenchmark.newRouter(replicas, strategy);
        if (weights.equals("unequal")) {
            List<Backend> weighted = new ArrayList<>();
            for (Backend backend : router.routable()) {
                weighted.add(new WeightedBackend(backend.id(), backend.endpoint(), 1 + weighted.size() % 5));
            }
            return List.copyOf(weighted);
        }
        if (!weights.equals("equal")) {
            throw new IllegalArgumentException("weights is equal or unequal, was '" + weights + "'");
        }
        return router.routable();
    }

    @Benchmark
    public int choose() {
        return pick(chooser, candidates, request);
    }

    /** The one call site of every measured and warm-up pick. */
    static int pick(LoadBalancingStrategy strategy, List<Backend> candidates, RouteRequest request) {
        return strategy.choose(candidates, request);
    }
}
