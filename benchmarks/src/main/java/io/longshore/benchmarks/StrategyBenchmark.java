package io.longshore.benchmarks;

import io.longshore.api.Backend;
import io.longshore.api.LoadBalancingStrategy;
import io.longshore.api.RouteRequest;
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
 * adds around it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StrategyBenchmark {

    @Param({"100"})
    int replicas;

    @Param({"round-robin", "random", "least-in-flight", "p2c"})
    String strategy;

    private final RouteRequest request = RouteRequest.of("GET", "/api/v1/acts");
    private LoadBalancingStrategy chooser;
    private List<Backend> candidates;

    @Setup
    public void setUp() {
        Strategies choice = Strategies.byParamName(strategy);
        chooser = choice.create();
        candidates = RouterBenchmark.newRouter(replicas, choice).routable();
    }

    @Benchmark
    public int choose() {
        return chooser.choose(candidates, request);
    }
}
