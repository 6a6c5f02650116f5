package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.ContainerInfo;
import io.longshore.api.ContainerSpec;
import io.longshore.api.OrchestratorEvent;
import io.longshore.api.RouteRequest;
import io.longshore.testkit.DeterministicScheduler;
import io.longshore.testkit.FakeContainerRuntime;
import io.longshore.testkit.ManualClock;
import io.longshore.testkit.ScriptedProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An orchestrator on virtual time: manual clock, deterministic scheduler, fake runtime,
 * direct runtime executor and the test kit's probe scripted per port.
 */
final class Harness implements AutoCloseable {
    static final RouteRequest GET = RouteRequest.of("GET", "/");

    final ManualClock clock = new ManualClock();
    final DeterministicScheduler scheduler = new DeterministicScheduler(clock);
    final FakeContainerRuntime runtime = new FakeContainerRuntime(clock);
    final ScriptedProbe probe = new ScriptedProbe();
    final List<OrchestratorEvent> events = new CopyOnWriteArrayList<>();
    final ContainerSpec spec = ContainerSpec.builder("acts").command("acts-server").build();
    /** The same service, version 2. */
    final ContainerSpec v2 = spec.toBuilder().env("ACTS_VERSION", "v2").build();
    Orchestrator orchestrator;

    /** Defaults for tests: no start grace, rise 2, fall 3, probe every second. */
    OrchestratorBuilder builder() {
        return Orchestrator.builder()
                .service(spec)
                .runtime(runtime)
                .clock(clock)
                .scheduler(scheduler)
                .runtimeExecutor(Runnable::run).probeExecutor(Runnable::run)
                .healthProbe(probe)
                .startGracePeriod(Duration.ZERO)
                .listener(events::add);
    }

    Orchestrator start(OrchestratorBuilder builder) {
        orchestrator = builder.build().start();
        scheduler.runPending();
        return orchestrator;
    }

    /** Starts with {@code replicas} and lets them pass rise probes (the first probe runs one interval after the start). */
    Orchestrator startReady(int replicas) {
        start(builder().initialReplicas(replicas).minReplicas(1).maxReplicas(10));
        advance(Duration.ofSeconds(2));
        return orchestrator;
    }

    void advance(Duration step) {
        clock.advance(step);
    }

    void seconds(long n) {
        advance(Duration.ofSeconds(n));
    }

    List<Integer> ports() {
        return orchestrator.replicas().stream().map(ReplicaView::port).toList();
    }

    List<Integer> routablePorts() {
        return orchestrator.router().routable().stream().map(b -> b.endpoint().port()).toList();
    }

    List<Integer> runningPorts() {
        return runtime.running().stream().map(i -> i.endpoint().port()).sorted().toList();
    }

    ReplicaView replicaAt(int port) {
        return orchestrator.replicas().stream().filter(r -> r.port() == port).findFirst().orElseThrow();
    }

    String containerAt(int port) {
        return runtime.running().stream().filter(i -> i.endpoint().port() == port)
                .map(ContainerInfo::id).findFirst().orElseThrow();
    }

    /** The spec hash each replica runs, in port order. */
    List<String> specs() {
        return orchestrator.replicas().stream().map(ReplicaView::specHash).toList();
    }

    static String hash(ContainerSpec spec) {
        return ContainerLabels.specHash(spec);
    }

    /** Asks for an update and returns the answer once the loop gave it. */
    RolloutStatus update(ContainerSpec to) {
        return answer(orchestrator.update(to));
    }

    /** Runs what is due and returns the stage's value (or throws what it failed with). */
    <T> T answer(java.util.concurrent.CompletionStage<T> stage) {
        scheduler.runPending();
        var future = stage.toCompletableFuture();
        assertThat(future).as("answered on the loop").isDone();
        return future.join();
    }

    RolloutStatus rollout() {
        return orchestrator.rollout().orElseThrow();
    }

    <T extends OrchestratorEvent> List<T> events(Class<T> type) {
        List<T> found = new ArrayList<>();
        for (OrchestratorEvent event : events) {
            if (type.isInstance(event)) {
                found.add(type.cast(event));
            }
        }
        return found;
    }

    /** A lease on the replica at {@code port}, leasing (and completing) others until it comes. */
    Lease leaseOn(int port) {
        for (int i = 0; i < 20; i++) {
            Lease lease = lease();
            if (lease.backend().endpoint().port() == port) {
                return lease;
            }
            lease.complete(200, now());
        }
        throw new AssertionError("no lease on " + port);
    }

    /** Routes {@code count} requests and completes each with {@code status}. */
    void requests(int count, int status) {
        for (int i = 0; i < count; i++) {
            lease().complete(status, now());
        }
    }

    /** A new lease holding a replica the router picked for {@link #GET}; fails when none is routable. */
    Lease lease() {
        Lease lease = orchestrator.router().newLease();
        if (!lease.acquire(GET, null, now())) {
            throw new AssertionError("no routable replica");
        }
        return lease;
    }

    /** The virtual clock's reading, for lease times. */
    long now() {
        return clock.nanoTime();
    }

    /**
     * Closes the orchestrator and checks that no loop task threw meanwhile: an illegal replica
     * transition or any other bug in the loop is logged and survived, so a test would not see it.
     */
    @Override
    public void close() {
        if (orchestrator != null) {
            orchestrator.close();
            scheduler.runPending();
            assertThat(((DefaultOrchestrator) orchestrator).failedLoopTasks())
                    .as("control loop tasks that threw (see the ERROR log)").isZero();
        }
    }
}
