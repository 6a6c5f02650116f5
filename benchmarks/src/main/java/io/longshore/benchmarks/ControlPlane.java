package io.longshore.benchmarks;

import io.longshore.api.ContainerSpec;
import io.longshore.api.ProbeResult;
import io.longshore.core.Orchestrator;
import io.longshore.testkit.DeterministicScheduler;
import io.longshore.testkit.FakeContainerRuntime;
import io.longshore.testkit.ManualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * An orchestrator of {@code replicas} replicas on the fake runtime with a 1 s probe that
 * always passes, on virtual time: each {@link #tick()} advances the clock by one second and
 * runs, on the calling thread, everything the control loop does in that second. Not
 * thread-safe; drive it from one thread.
 */
final class ControlPlane implements AutoCloseable {
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    static final int BASE_PORT = 25_200;

    private final ManualClock clock = new ManualClock();
    private final Orchestrator orchestrator;

    ControlPlane(int replicas) {
        DeterministicScheduler scheduler = new DeterministicScheduler(clock);
        orchestrator = Orchestrator.builder()
                .service(ContainerSpec.builder("bench").image("bench/acts:1").build())
                .runtime(new FakeContainerRuntime(clock))
                .minReplicas(replicas)
                .maxReplicas(replicas)
                .initialReplicas(replicas)
                .basePort(BASE_PORT)
                .healthProbe(b -> CompletableFuture.completedFuture(ProbeResult.pass()))
                .probeInterval(PROBE_INTERVAL)
                .clock(clock)
                .scheduler(scheduler)
                .runtimeExecutor(Runnable::run).probeExecutor(Runnable::run)
                .build();
    }

    /** Starts the orchestrator and ticks until every replica is ready (at most a minute). */
    ControlPlane startAndSettle() {
        orchestrator.start();
        int expected = orchestrator.status().desired();
        for (int i = 0; i < 60 && orchestrator.router().routable().size() < expected; i++) {
            tick();
        }
        if (orchestrator.router().routable().size() < expected) {
            throw new IllegalStateException("only " + orchestrator.router().routable().size()
                    + " of " + expected + " replicas routable after a minute of virtual time");
        }
        return this;
    }

    /** One second of the control loop's life. */
    void tick() {
        clock.advance(PROBE_INTERVAL);
    }

    Orchestrator orchestrator() {
        return orchestrator;
    }

    @Override
    public void close() {
        orchestrator.close();
    }
}
