package io.longshore.benchmarks;

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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The control loop's work per probe tick: one operation is one second of virtual time for an
 * orchestrator of 200 replicas on the fake runtime, probed every second by a probe that passes
 * at once — so it measures the loop itself (scheduling, probe bookkeeping, rise/fall,
 * snapshot publication), not the network.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ControlPlaneBenchmark {

    @Param({"200"})
    int replicas;

    private ControlPlane controlPlane;

    @Setup
    public void setUp() {
        controlPlane = new ControlPlane(replicas).startAndSettle();
    }

    /** One second of the loop: 200 probes and what follows from their results. */
    @Benchmark
    public void tick() {
        controlPlane.tick();
    }

    @TearDown
    public void tearDown() {
        controlPlane.close();
    }
}
