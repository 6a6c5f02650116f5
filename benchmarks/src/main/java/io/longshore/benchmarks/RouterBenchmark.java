package io.longshore.benchmarks;

import io.longshore.api.Clock;
import io.longshore.api.Endpoint;
import io.longshore.api.RouteRequest;
import io.longshore.core.Lease;
import io.longshore.core.LeaseHandle;
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
 * One request's work in the router: lease a backend chosen by the strategy, then complete the
 * lease with a 200 (which records latency, in-flight and passive-health figures). Measured
 * single-threaded and with two threads sharing one router, for every built-in strategy and
 * 1 to 1000 replicas, two ways:
 * <ul>
 *   <li>{@code handle*}: through a reusable {@link LeaseHandle}, as the gateway routes. The
 *       caller passes its clock readings; the gateway reads the clock at a request's start and
 *       end for its own latency histogram anyway, so these benchmarks pass a counter instead
 *       and the router's share of a request is what they measure.</li>
 *   <li>{@code leaseAndComplete*}: {@link Router#lease} and {@link Lease#complete}, the
 *       convenience API: an {@code Optional}, a lease object, and two reads of the system
 *       clock per request.</li>
 * </ul>
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

    @Param({"1", "10", "100", "1000"})
    int replicas;

    @Param({"round-robin", "random", "least-in-flight", "p2c"})
    String strategy;

    private final RouteRequest request = RouteRequest.of("GET", "/api/v1/acts");
    private Router router;

    @Setup
    public void setUp() {
        router = newRouter(replicas, Strategies.byParamName(strategy));
    }

    static Router newRouter(int replicas, Strategies strategy) {
        List<Endpoint> endpoints = IntStream.range(0, replicas)
                .mapToObj(i -> Endpoint.loopback(BASE_PORT + i))
                .toList();
        return Routers.fixed(endpoints, strategy.create(), Clock.system());
    }

    /** One caller's handle and its stand-in for the clock. */
    @State(Scope.Thread)
    public static class Caller {
        LeaseHandle handle;
        long nanos;

        @Setup
        public void setUp(RouterBenchmark benchmark) {
            handle = benchmark.router.newHandle();
        }
    }

    /** Acquire and complete a reusable handle on one thread. */
    @Benchmark
    public LeaseHandle handleAcquireAndComplete(Caller caller) {
        return acquireAndComplete(caller, request);
    }

    /** Acquire and complete reusable handles on two threads sharing the router. */
    @Benchmark
    @Threads(2)
    public LeaseHandle handleAcquireAndCompleteContended(Caller caller) {
        return acquireAndComplete(caller, request);
    }

    static LeaseHandle acquireAndComplete(Caller caller, RouteRequest request) {
        LeaseHandle handle = caller.handle;
        long start = caller.nanos += 1_000;
        if (!handle.acquire(request, null, start)) {
            throw new IllegalStateException("no replica");
        }
        handle.complete(200, start + 500_000);
        return handle;
    }

    /** Lease and complete on one thread. */
    @Benchmark
    public Lease leaseAndComplete() {
        return leaseAndComplete(router, request);
    }

    /** Lease and complete on two threads sharing the router (its counters and snapshot). */
    @Benchmark
    @Threads(2)
    public Lease leaseAndCompleteContended() {
        return leaseAndComplete(router, request);
    }

    static Lease leaseAndComplete(Router router, RouteRequest request) {
        Lease lease = router.lease(request).orElseThrow();
        lease.complete(200);
        return lease;
    }

    Router router() {
        return router;
    }
}
