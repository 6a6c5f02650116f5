package io.longshore.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.ContainerSpec;
import io.longshore.api.HealthProbe;
import io.longshore.api.ProbeResult;
import io.longshore.api.RouteRequest;
import io.longshore.core.Lease;
import io.longshore.core.Orchestrator;
import io.longshore.core.ReplicaView;
import io.longshore.testkit.DeterministicScheduler;
import io.longshore.testkit.FakeContainerRuntime;
import io.longshore.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The seed preset on virtual time: the seed's replacement and scaling rules, step by step. */
class SeedPresetTest {
    private static final int BASE = 24000;

    private final ManualClock clock = new ManualClock();
    private final DeterministicScheduler scheduler = new DeterministicScheduler(clock);
    private final FakeContainerRuntime runtime = new FakeContainerRuntime(clock);
    private final Set<Integer> crashed = ConcurrentHashMap.newKeySet();
    private final HealthProbe probe = backend -> CompletableFuture.completedFuture(
            crashed.contains(backend.endpoint().port()) ? ProbeResult.fail("500") : ProbeResult.pass());
    private Orchestrator orchestrator;

    @AfterEach
    void close() {
        orchestrator.close();
        scheduler.runPending();
    }

    @Test
    void oneFailedProbeReplacesTheReplicaOnTheSamePort() {
        start("--base-port", String.valueOf(BASE));
        ReplicaView first = onlyReplica();

        crashed.add(BASE);
        seconds(1);
        crashed.clear();
        seconds(3);

        ReplicaView replacement = onlyReplica();
        assertThat(replacement.port()).isEqualTo(BASE);
        assertThat(replacement.containerId()).isNotEqualTo(first.containerId());
        assertThat(replacement.healthy()).isTrue();
    }

    @Test
    void twentyRequestsInAnIntervalAddAReplicaAndAQuietIntervalRemovesIt() {
        start("--base-port", String.valueOf(BASE), "--scale-interval", "2m");

        route(20);
        seconds(120);
        seconds(2);
        assertThat(ports()).containsExactly(BASE, BASE + 1);

        route(6);
        seconds(120);
        assertThat(ports()).containsExactly(BASE);
    }

    @Test
    void theStrategyFlagPicksTheStrategyTheStatusNames() {
        start("--base-port", String.valueOf(BASE), "--strategy", "hash:header:X-User");

        assertThat(orchestrator.status().strategy()).isEqualTo("hash:header:X-User");
    }

    @Test
    void theSlowStartFlagRampsAReplicaThatJustBecameReady() {
        start("--base-port", String.valueOf(BASE), "--strategy", "least-request", "--slow-start", "20s");
        seconds(20); // the first replica has ramped up
        orchestrator.scaleTo(2);
        scheduler.runPending();
        seconds(2);

        assertThat(orchestrator.status().strategy()).isEqualTo("least-request");
        assertThat(orchestrator.router().routable()).extracting(b -> b.effectiveWeight())
                .containsExactly(1.0, 0.1);
        seconds(10);
        assertThat(orchestrator.router().routable().get(1).effectiveWeight()).isBetween(0.45, 0.55);
    }

    @Test
    void targetTrackingWithMinZeroStopsTheLastReplicaAfterTheIdleTime() {
        start("--base-port", String.valueOf(BASE), "--autoscaler", "target", "--min", "0", "--idle", "10s");
        assertThat(ports()).containsExactly(BASE);

        route(3);
        seconds(6);
        assertThat(ports()).as("not idle for 10 s yet").containsExactly(BASE);
        seconds(14);

        assertThat(ports()).isEmpty();
        assertThat(orchestrator.status().lastDecision()).hasValueSatisfying(d -> assertThat(d.to()).isZero());
    }

    @Test
    void targetTrackingWithAContainerConcurrencyRoutesNoMoreThanThatToAReplica() {
        start("--base-port", String.valueOf(BASE), "--autoscaler", "target", "--container-concurrency", "2");
        RouteRequest request = RouteRequest.of("GET", "/api/v1/categories");
        Lease first = orchestrator.router().newLease();
        Lease second = orchestrator.router().newLease();
        Lease third = orchestrator.router().newLease();

        assertThat(first.acquire(request, null, clock.nanoTime())).isTrue();
        assertThat(second.acquire(request, null, clock.nanoTime())).isTrue();
        assertThat(third.acquire(request, null, clock.nanoTime())).isFalse();
        assertThat(third.mayWait()).as("no room, rather than nowhere to route").isTrue();

        first.complete(200, clock.nanoTime());
        assertThat(third.acquire(request, null, clock.nanoTime())).isTrue();
        second.complete(200, clock.nanoTime());
        third.complete(200, clock.nanoTime());
    }

    private void start(String... args) {
        SeedOptions options = SeedOptions.parse(args);
        orchestrator = SeedPreset.apply(Orchestrator.builder(), options, probe)
                .service(ContainerSpec.builder("acts").command("acts").build())
                .runtime(runtime)
                .clock(clock)
                .scheduler(scheduler)
                .runtimeExecutor(Runnable::run).probeExecutor(Runnable::run)
                .build()
                .start();
        scheduler.runPending();
        seconds(2);
    }

    private void route(int requests) {
        for (int i = 0; i < requests; i++) {
            Lease lease = orchestrator.router().newLease();
            assertThat(lease.acquire(RouteRequest.of("GET", "/api/v1/categories"), null, clock.nanoTime())).isTrue();
            lease.complete(200, clock.nanoTime());
        }
        scheduler.runPending();
    }

    private void seconds(int n) {
        for (int i = 0; i < n; i++) {
            clock.advance(Duration.ofSeconds(1));
        }
    }

    private ReplicaView onlyReplica() {
        assertThat(orchestrator.replicas()).hasSize(1);
        return orchestrator.replicas().get(0);
    }

    private List<Integer> ports() {
        return orchestrator.replicas().stream().map(ReplicaView::port).toList();
    }
}
