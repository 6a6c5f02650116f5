package io.longshore.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.longshore.api.ContainerRuntime;
import io.longshore.api.Metric;
import io.longshore.api.ResourceStats;
import io.longshore.api.OrchestratorEvent.Scaled;
import io.longshore.api.OrchestratorEvent.UserCodeFailed;
import io.longshore.api.ReplicaState;
import io.longshore.api.ScalingPolicy;
import io.longshore.api.ScalingRule;
import io.longshore.api.ScalingRule.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScalingTest {
    private static final Duration TWO_MINUTES = Duration.ofMinutes(2);
    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    private void startSeed() {
        h.start(h.builder().initialReplicas(1).minReplicas(1).maxReplicas(10)
                .scalingPolicy(ScalingPolicy.requestsPerReplica(20, TWO_MINUTES))
                .scalingInterval(TWO_MINUTES));
        h.seconds(2);
    }

    @ParameterizedTest(name = "{0} requests -> {1} replicas")
    @CsvSource({"1, 1", "19, 1", "20, 2", "39, 2", "45, 3"})
    void theSeedPolicyRunsRequestsOverTwentyPlusOneReplicasWithTheWindowFromTheFirstRequest(int requests, int replicas) {
        startSeed();
        h.seconds(28);
        h.requests(requests, 200);

        h.seconds(90);
        assertThat(h.orchestrator.status().desired()).isEqualTo(1);
        assertThat(h.events(Scaled.class)).isEmpty();

        h.seconds(30);
        assertThat(h.orchestrator.status().desired()).isEqualTo(replicas);
        assertThat(h.ports()).hasSize(replicas);
    }

    @Test
    void slowResourceStatsDoNotSlideTheWindowPastTheIntervalsFirstRequests() {
        ContainerRuntime slowStats = new SlowStatsRuntime(h.runtime, () -> h.clock.advance(Duration.ofSeconds(3)));
        h.start(h.builder().runtime(slowStats).initialReplicas(1).minReplicas(1).maxReplicas(10)
                .scalingPolicy(ScalingPolicy.requestsPerReplica(20, TWO_MINUTES))
                .scalingInterval(TWO_MINUTES));
        h.seconds(2);
        h.requests(20, 200);

        h.advance(TWO_MINUTES);
        h.seconds(5);

        assertThat(h.orchestrator.status().desired()).isEqualTo(2);
    }

    /** Ticks every 2 s on a runtime executor that holds calls when asked; {@code policy} decides. */
    private HoldingExecutor startTickingEvery2s(ScalingPolicy policy) {
        HoldingExecutor executor = new HoldingExecutor();
        h.start(h.builder().runtimeExecutor(executor).initialReplicas(1).minReplicas(1).maxReplicas(10)
                .scalingPolicy(policy).scalingInterval(Duration.ofSeconds(2)));
        h.seconds(1);
        return executor;
    }

    @Test
    void aSlowCpuSampleIsTheOnlyOneUnderWayAndTheTicksMeanwhileDecideWithTheLastReading() {
        List<Instant> decided = new ArrayList<>();
        HoldingExecutor executor = startTickingEvery2s(context -> {
            decided.add(context.now());
            return context.currentReplicas();
        });
        Instant start = h.clock.instant();
        executor.hold();                       // the runtime answers stats slowly from now on

        h.seconds(8);                          // ticks at 2, 4, 6 and 8 s: the first samples

        assertThat(executor.held).as("samples under way on the runtime threads").hasSize(1);
        assertThat(decided).as("the ticks at 4, 6, 8 s decided with the last reading")
                .containsExactly(start.plusSeconds(3), start.plusSeconds(5), start.plusSeconds(7));
        executor.stopHolding();
        executor.releaseHeld();                // the 2 s sample: its decision would be older than the 8 s one
        h.scheduler.runPending();
        assertThat(decided).hasSize(3);
        h.seconds(2);                          // the 10 s tick samples again
        assertThat(decided).hasSize(4).last().isEqualTo(start.plusSeconds(9));
    }

    @Test
    void aDecisionOnASampleOlderThanTheLastDecisionIsDropped() {
        List<Instant> decided = new ArrayList<>();
        HoldingExecutor executor = startTickingEvery2s(context -> {
            decided.add(context.now());
            return decided.size() == 1 ? 5 : 2;  // the first decision wants 5, any later one 2
        });
        executor.hold();
        h.seconds(1);                          // the 2 s tick's sample hangs
        executor.stopHolding();
        h.seconds(2);                          // the 4 s tick decides: 5
        assertThat(h.orchestrator.status().desired()).isEqualTo(5);

        executor.releaseFirst();               // the 2 s sample returns after the 4 s decision
        h.scheduler.runPending();

        assertThat(decided).hasSize(1);
        assertThat(h.orchestrator.status().desired()).as("not undone by the older sample").isEqualTo(5);
    }

    /** A runtime whose stats call takes time, as Docker's does (about a second per container). */
    private static final class SlowStatsRuntime extends DelegatingRuntime {
        private final Runnable slowness;

        SlowStatsRuntime(ContainerRuntime delegate, Runnable slowness) {
            super(delegate);
            this.slowness = slowness;
        }

        @Override
        public Optional<ResourceStats> stats(String containerId) {
            slowness.run();
            return Optional.of(new ResourceStats(10, 1 << 20, 0));
        }

        @Override
        public String name() {
            return "slow-stats";
        }
    }

    @Test
    void withoutRequestsTheSeedPolicyNeverTicks() {
        startSeed();

        h.advance(Duration.ofMinutes(30));

        assertThat(h.events(Scaled.class)).isEmpty();
        assertThat(h.ports()).containsExactly(8000);
    }

    @Test
    void scaleInRemovesTheHighestPortsFirst() {
        startSeed();
        h.requests(45, 200);
        h.advance(TWO_MINUTES);
        h.seconds(2);
        assertThat(h.ports()).containsExactly(8000, 8001, 8002);

        h.requests(20, 200);
        h.advance(TWO_MINUTES);
        h.scheduler.runPending();

        assertThat(h.ports()).containsExactly(8000, 8001);
        assertThat(h.runningPorts()).containsExactly(8000, 8001);
        h.advance(TWO_MINUTES);
        assertThat(h.ports()).containsExactly(8000);
        assertThat(h.events(Scaled.class)).extracting(Scaled::to).containsExactly(3, 2, 1);
    }

    @Test
    void aDrainingReplicaKeepsRunningUntilItsInFlightRequestCompletes() {
        h.startReady(3);
        Lease held = h.leaseOn(8002);

        h.orchestrator.scaleTo(2);
        h.scheduler.runPending();

        assertThat(h.replicaAt(8002).state()).isEqualTo(ReplicaState.DRAINING);
        assertThat(h.routablePorts()).containsExactly(8000, 8001);
        h.seconds(10);
        assertThat(h.runningPorts()).containsExactly(8000, 8001, 8002);
        assertThat(h.orchestrator.router().newLease().acquire(Harness.GET, held.backend(), h.now())).isTrue();

        held.complete(200, h.now());
        h.advance(Duration.ofMillis(100));

        assertThat(h.runningPorts()).containsExactly(8000, 8001);
        assertThat(h.ports()).containsExactly(8000, 8001);
    }

    @Test
    void aDrainingReplicaIsStoppedAtTheDrainTimeoutEvenWithRequestsInFlight() {
        h.start(h.builder().initialReplicas(2).drainTimeout(Duration.ofSeconds(5)));
        h.seconds(2);
        h.leaseOn(8001);

        h.orchestrator.scaleTo(1);
        h.seconds(4);
        assertThat(h.runningPorts()).containsExactly(8000, 8001);
        h.seconds(1);

        assertThat(h.runningPorts()).containsExactly(8000);
    }

    @Test
    void scaleToClampsToMinAndMax() {
        h.start(h.builder().initialReplicas(2).minReplicas(2).maxReplicas(4));

        assertThat(h.orchestrator.scaleTo(10)).isEqualTo(4);
        h.scheduler.runPending();
        assertThat(h.ports()).containsExactly(8000, 8001, 8002, 8003);

        assertThat(h.orchestrator.scaleTo(0)).isEqualTo(2);
        h.scheduler.runPending();
        assertThat(h.ports()).containsExactly(8000, 8001);
        assertThat(h.events(Scaled.class)).extracting(Scaled::from, Scaled::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2, 4), org.assertj.core.groups.Tuple.tuple(4, 2));
        assertThat(h.events(Scaled.class)).extracting(Scaled::reason).containsExactly(
                "scaled to 4 by request for 10 (min 2, max 4)", "scaled to 2 by request for 0 (min 2, max 4)");
    }

    @Test
    void aPolicyAnswerOutsideMinMaxIsClamped() {
        h.start(h.builder().initialReplicas(1).minReplicas(1).maxReplicas(3)
                .scalingPolicy(context -> 100).scalingInterval(Duration.ofSeconds(30)));

        h.seconds(30);

        assertThat(h.orchestrator.status().desired()).isEqualTo(3);
        assertThat(h.events(Scaled.class)).singleElement().satisfies(e -> assertThat(e.reason()).contains("clamped to 3"));
        assertThat(h.orchestrator.status().lastScaling()).isPresent();
    }

    @Test
    void aThrowingPolicyKeepsTheCountAndTheLoopGoesOn() {
        AtomicInteger calls = new AtomicInteger();
        h.start(h.builder().initialReplicas(2).scalingInterval(Duration.ofSeconds(10)).scalingPolicy(context -> {
            calls.incrementAndGet();
            throw new IllegalStateException("policy bug");
        }));

        h.seconds(60);

        assertThat(calls.get()).isEqualTo(6);
        assertThat(h.orchestrator.status().desired()).isEqualTo(2);
        assertThat(h.events(UserCodeFailed.class)).isNotEmpty();
        assertThat(h.orchestrator.replicas()).allMatch(r -> r.state() == ReplicaState.READY);
    }

    @Test
    void theRulePolicyScalesOutOnHighRateAndBackInWhenIdle() {
        ScalingPolicy rules = ScalingPolicy.rules(List.of(
                new ScalingRule(Metric.REQUEST_RATE, Duration.ofMinutes(1), 1.0, Action.SCALE_OUT, 2, Duration.ZERO),
                new ScalingRule(Metric.REQUEST_RATE, Duration.ofMinutes(1), 0.1, Action.SCALE_IN, 2, Duration.ZERO)));
        h.start(h.builder().initialReplicas(1).maxReplicas(8).scalingPolicy(rules).scalingInterval(Duration.ofMinutes(1)));
        h.seconds(2);

        h.requests(200, 200);
        h.seconds(58);
        assertThat(h.orchestrator.status().desired()).isEqualTo(2);

        h.advance(Duration.ofMinutes(2));
        assertThat(h.orchestrator.status().desired()).isEqualTo(1);
    }

    @Test
    void newReplicasTakeTheLowestFreePorts() {
        h.start(h.builder().initialReplicas(1).maxReplicas(5));
        h.orchestrator.scaleTo(3);
        h.scheduler.runPending();
        h.orchestrator.scaleTo(1);
        h.scheduler.runPending();
        h.orchestrator.scaleTo(2);
        h.scheduler.runPending();

        assertThat(h.ports()).containsExactly(8000, 8001);
    }

    @Test
    void aScaleOutWhileReplicasStillDrainStaysWithinMaxPlusSurgePortsAndTakesTheirPortsOnceFree() {
        h.start(h.builder().initialReplicas(4).maxReplicas(4));
        h.seconds(2);
        List<Lease> held = List.of(h.leaseOn(8001), h.leaseOn(8002), h.leaseOn(8003));
        h.orchestrator.scaleTo(1);
        h.scheduler.runPending();

        h.orchestrator.scaleTo(4);
        h.seconds(5);

        assertThat(h.ports()).as("8000..8003 and the surge port 8004 (25 % of 4) at most")
                .allSatisfy(port -> assertThat(port).isBetween(8000, 8004))
                .containsExactly(8000, 8001, 8002, 8003, 8004);
        held.forEach(lease -> lease.complete(200, h.now()));
        h.seconds(5);

        assertThat(h.ports()).as("the ports the drained replicas freed, as each one left")
                .hasSize(4).allSatisfy(port -> assertThat(port).isBetween(8000, 8004));
        assertThat(h.orchestrator.status().ready()).isEqualTo(4);
    }
}
