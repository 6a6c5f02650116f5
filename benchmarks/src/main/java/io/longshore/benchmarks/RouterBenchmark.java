package io.longshore.benchmarks;

import io.longshore.api.Clock;
import io.longshore.api.Endpoint;
import io.longshore.api.RouteRequest;
import io.longshore.core.Lease;
import io.longshore.core.Router;
import io.longshore.core.Routers;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One request's work in the router: a reusable {@link Lease} acquires a backend chosen by the
 * strategy, then completes with a 200 (which records latency, in-flight and passive-health
 * figures). Measured for every built-in strategy and 1 to 1000 replicas:
 * <ul>
 *   <li>{@code leaseAndComplete}: one thread, the caller passing its own clock readings, as the
 *       gateway does (it reads the clock at a request's start and end for its latency histogram
 *       anyway); a counter stands in for the clock, so this is the router's share of a request;</li>
 *   <li>{@code leaseAndCompleteContended}: the same on two threads sharing the router;</li>
 *   <li>{@code leaseAndCompleteReadingTheClock}: one thread that reads the router's system clock
 *       for both times, as a caller that does not time its requests otherwise would.</li>
 * </ul>
 * With {@code otherStrategiesSeen}, the router's call into its strategy has first seen every
 * built-in strategy type (as in a gateway whose routes use different strategies), so the JIT
 * cannot inline the one measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouterBenchmark {
    /** First port of the (never contacted) replicas. */
    static final int BASE_PORT = 25_100;
    private static final int WARM_UP_LEASES = 200_000;

    @Param({"1", "10", "100", "1000"})
    int replicas;

    @Param({"round-robin", "random", "least-in-flight", "p2c", "least-request", "peak-ewma", "hash-header",
            "hash-cookie", "hash-ip", "sticky"})
    String strategy;

    @Param({"false"})
    boolean otherStrategiesSeen;

    private Router router;

    @Setup
    public void setUp() {
        if (otherStrategiesSeen) {
            routeThroughEveryStrategy(new BenchRequest());
        }
        router = newRouter(replicas, Strategies.byParamName(strategy));
    }

    static Router newRouter(int replicas, Strategies strategy) {
        List<Endpoint> endpoints = IntStream.range(0, replicas)
                .mapToObj(i -> Endpoint.loopback(BASE_PORT + i))
                .toList();
        return Routers.fixed(endpoints, strategy.create(), Clock.system());
    }

    /** Routes through a router of every built-in strategy, so the router's call into its strategy has seen them all. */
    static void routeThroughEveryStrategy(RouteRequest request) {
        for (Strategies each : Strategies.values()) {
            Lease lease = newRouter(10, each).newLease();
            for (int i = 0; i < WARM_UP_LEASES; i++) {
                lease.acquire(request, null, i);
                lease.complete(200, i + 1);
            }
        }
    }

    /** One caller's lease, its request ({@link BenchRequest}) and its stand-in for the clock. */
    @State(Scope.Thread)
    public static class Caller {
        Lease lease;
        final RouteRequest request = new BenchRequest();
        long nanos;

        @Setup
        public void setUp(RouterBenchmark benchmark) {
            lease = benchmark.router.newLease();
        }
    }

    /** Acquire and complete a reusable lease on one thread, with the caller's times. */
    @Benchmark
    public Lease leaseAndComplete(Caller caller) {
        return leaseAndComplete(caller, caller.request);
    }

    /** The same on two threads sharing the router (its counters and snapshot). */
    @Benchmark
    @Threads(2)
    public Lease leaseAndCompleteContended(Caller caller) {
        return leaseAndComplete(caller, caller.request);
    }

    static Lease leaseAndComplete(Caller caller, RouteRequest request) {
        Lease lease = caller.lease;
        long start = caller.nanos += 1_000;
        if (!lease.acquire(request, null, start)) {
            throw new IllegalStateException("no replica");
        }
        lease.complete(200, start + 500_000);
        return lease;
    }

    /** Acquire and complete on one thread, reading the router's clock for both times. */
    @Benchmark
    public Lease leaseAndCompleteReadingTheClock(Caller caller) {
        return leaseReadingTheClock(router, caller.lease, caller.request);
    }

    static Lease leaseReadingTheClock(Router router, Lease lease, RouteRequest request) {
        Clock clock = router.clock();
        if (!lease.acquire(request, null, clock.nanoTime())) {
            throw new IllegalStateException("no replica");
        }
        lease.complete(200, clock.nanoTime());
        return lease;
    }

    Router router() {
        return router;
    }
}
